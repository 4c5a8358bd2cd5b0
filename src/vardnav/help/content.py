"""The help centre's articles, written for Vårdnav in Swedish with an English version.

Loaded by the data migration `0002_help_articles` (help content is product
content, present in every installation, not demo data). Each entry:
(slug, category, audience, position, common, title_sv, title_en, body_sv, body_en);
paragraphs are separated by a blank line.
"""

from __future__ import annotations

from typing import Any

ARTICLES: list[tuple[str, str, str, int, bool, str, str, str, str]] = [
    (
        "logga-in-med-bankid",
        "login",
        "resident",
        10,
        True,
        "Hur loggar jag in?",
        "How do I log in?",
        "Du loggar in med BankID, antingen med BankID-appen på mobilen eller med BankID på samma dator eller "
        "surfplatta. Välj Logga in, starta BankID och följ anvisningarna i appen.\n\n"
        "Använder du mobilt BankID på en annan enhet skannar du QR-koden som visas på skärmen. Koden byts ut "
        "hela tiden, så skanna den som syns just nu.\n\n"
        "Saknar du BankID kan du beställa det från din bank. Utan e-legitimation kan du fortfarande läsa "
        "mottagningarnas sidor, boka vissa tider och kontakta supporten.",
        "You log in with BankID, either with the BankID app on your phone or with BankID on the same computer "
        "or tablet. Choose Log in, start BankID and follow the instructions in the app.\n\n"
        "If you use Mobile BankID on another device, scan the QR code shown on the screen. The code changes "
        "all the time, so scan the one that is showing right now.\n\n"
        "If you do not have BankID you can order it from your bank. Without an e-ID you can still read the "
        "clinics' pages, book some appointments and contact support.",
    ),
    (
        "for-ditt-barn",
        "login",
        "resident",
        20,
        True,
        "Kan jag sköta mitt barns kontakter med vården?",
        "Can I handle my child's contacts with care?",
        "Ja, som vårdnadshavare kan du skicka ärenden, boka tider och läsa svar för ditt barn tills barnet "
        "fyller 16 år. Uppgiften om vem som är vårdnadshavare hämtas från folkbokföringen.\n\n"
        "När du har loggat in väljer du vem du vill agera för. Överst på sidan står det då att du agerar för "
        "barnet, så att du alltid ser för vem du gör något.\n\n"
        "Från 16 år loggar barnet in själv med eget BankID. Ett barn kan ha rätt att hålla vissa uppgifter "
        "för sig själv även före 16 år; det bedömer vården i varje enskilt fall.",
        "Yes, as a guardian you can send cases, book appointments and read replies for your child until the "
        "child turns 16. Who is a guardian comes from the population register.\n\n"
        "After logging in you choose whom you act for. The top of the page then says you are acting for the "
        "child, so you always see on whose behalf you are doing something.\n\n"
        "From 16 the child logs in with their own BankID. A child may have the right to keep some "
        "information private even before 16; care staff judge that in each case.",
    ),
    (
        "vad-ar-en-e-tjanst",
        "cases",
        "resident",
        10,
        True,
        "Vad är en e-tjänst och ett ärende?",
        "What is an e-service and a case?",
        "En e-tjänst är ett formulär som mottagningen har ordnat för en viss sak, till exempel att få "
        "rådgivning, förnya ett recept eller beställa ett intyg. Du svarar på några frågor och skickar in "
        "dem.\n\n"
        "Det du skickar blir ett ärende hos mottagningen. Under Mina ärenden ser du alla dina ärenden, vad "
        "som har hänt med dem och mottagningens svar.\n\n"
        "E-tjänsterna är inte till för akuta besvär. Vid akut sjukdom eller skada: ring 112. "
        "Sjukvårdsrådgivning: ring 1177.",
        "An e-service is a form the clinic has set up for a particular matter, for example getting advice, "
        "renewing a prescription or ordering a certificate. You answer a few questions and send them.\n\n"
        "What you send becomes a case at the clinic. Under My cases you see all your cases, what has happened "
        "with them and the clinic's replies.\n\n"
        "The e-services are not for urgent problems. In an emergency: call 112. Medical advice: call 1177.",
    ),
    (
        "nar-far-jag-svar",
        "cases",
        "resident",
        20,
        True,
        "När får jag svar på mitt ärende?",
        "When will I get a reply to my case?",
        "Varje e-tjänst visar hur lång tid mottagningen brukar behöva för att svara, oftast inom några "
        "arbetsdagar. Helger och helgdagar räknas inte.\n\n"
        "När mottagningen har svarat får du en avisering som säger att det finns ett nytt meddelande. Själva "
        "svaret läser du alltid efter inloggning – aviseringen innehåller aldrig uppgifter om din hälsa.\n\n"
        "Har du inte fått svar i tid, eller blir du sämre medan du väntar, kontakta mottagningen per telefon "
        "eller ring 1177.",
        "Each e-service shows how long the clinic usually needs to reply, most often a few working days. "
        "Weekends and public holidays do not count.\n\n"
        "When the clinic has replied you get a notice saying there is a new message. You always read the "
        "reply itself after logging in – the notice never contains information about your health.\n\n"
        "If you have not had a reply in time, or you get worse while waiting, call the clinic or call 1177.",
    ),
    (
        "bifoga-filer",
        "cases",
        "resident",
        30,
        False,
        "Kan jag skicka med bilder och filer?",
        "Can I attach pictures and files?",
        "Ja, i de e-tjänster där mottagningen har valt det kan du bifoga bilder och dokument, till exempel ett "
        "foto av ett utslag. Formuläret visar vilka filtyper och hur stora filer som går att skicka.\n\n"
        "Varje fil kontrolleras innan den sparas. En fil som inte går att läsa eller som är för stor tas inte "
        "emot, och du får veta varför direkt vid fältet.\n\n"
        "Tänk på att bara skicka det som behövs för ärendet.",
        "Yes, in the e-services where the clinic has chosen it you can attach pictures and documents, for "
        "example a photo of a rash. The form shows which file types and sizes can be sent.\n\n"
        "Each file is checked before it is saved. A file that cannot be read or is too large is not accepted, "
        "and you are told why right next to the field.\n\n"
        "Only send what the case needs.",
    ),
    (
        "fornya-recept",
        "medicines",
        "resident",
        10,
        True,
        "Hur förnyar jag ett recept?",
        "How do I renew a prescription?",
        "Under Läkemedel ser du dina recept. Välj det läkemedel du vill förnya och skicka en begäran till "
        "mottagningen som skrev ut det.\n\n"
        "Förnya i god tid innan läkemedlet tar slut – det kan ta några arbetsdagar innan receptet är klart. "
        "När det är förnyat hämtar du ut läkemedlet på valfritt apotek.\n\n"
        "Vissa läkemedel, till exempel narkotikaklassade, kan inte förnyas utan ett besök. Det står i så fall "
        "vid läkemedlet.",
        "Under Medicines you see your prescriptions. Choose the medicine you want renewed and send a request "
        "to the clinic that prescribed it.\n\n"
        "Renew in good time before the medicine runs out – it can take a few working days before the "
        "prescription is ready. Once it is renewed you collect the medicine at any pharmacy.\n\n"
        "Some medicines, for example narcotic ones, cannot be renewed without a visit. If so, it says so next "
        "to the medicine.",
    ),
    (
        "boka-och-avboka",
        "bookings",
        "resident",
        10,
        True,
        "Hur bokar och avbokar jag en tid?",
        "How do I book and cancel an appointment?",
        "Mottagningar som erbjuder bokning visar sina lediga tider på mottagningens sida. Välj en tid och "
        "bekräfta. Bokningen syns sedan under Mina bokningar.\n\n"
        "Du avbokar eller bokar om från bokningen under Mina bokningar. Varje bokning har också en avbokningskod "
        "som du får i bekräftelsen; med den kan du avboka utan att logga in.\n\n"
        "Avboka i god tid, oftast senast 24 timmar före besöket; senare än så ringer du mottagningen. Ett besök som uteblir utan avbokning kan kosta en avgift.",
        "Clinics that offer booking show their free times on the clinic's page. Choose a time and confirm. "
        "The booking then shows under My bookings.\n\n"
        "You cancel or rebook from the booking under My bookings. Each booking also has a cancellation code "
        "that you get in the confirmation; with it you can cancel without logging in.\n\n"
        "Cancel in good time, usually at least 24 hours before the visit; later than that, call the clinic. A missed visit that was not cancelled may cost a fee.",
    ),
    (
        "journalen",
        "journal",
        "resident",
        10,
        True,
        "Vad står i journalen och vem får läsa den?",
        "What is in the medical record and who may read it?",
        "Journalen innehåller det vårdpersonalen har antecknat om din vård: bedömningar, åtgärder och "
        "resultat. Under Min journal läser du de anteckningar som mottagningen har signerat.\n\n"
        "Bara den personal som deltar i din vård får läsa din journal, och varje gång någon läser den sparas det "
        "i en logg. Under Mina sidor kan du se vem som har läst dina uppgifter.\n\n"
        "Tycker du att något i journalen är fel kan du be mottagningen rätta det eller lägga till en "
        "anteckning om att du inte håller med.",
        "The medical record contains what care staff have written about your care: assessments, actions and "
        "results. Under My journal you read the notes the clinic has signed.\n\n"
        "Only the staff taking part in your care may read your record, and every read is stored in a log. "
        "Under My pages you can see who has read your information.\n\n"
        "If you think something in the record is wrong you can ask the clinic to correct it or to add a note "
        "that you disagree.",
    ),
    (
        "kontaktuppgifter-och-aviseringar",
        "account",
        "resident",
        10,
        False,
        "Hur ändrar jag mina kontaktuppgifter och aviseringar?",
        "How do I change my contact details and notices?",
        "Under Mina sidor, Inställningar anger du e-postadress och mobilnummer och väljer om du vill få "
        "aviseringar via e-post, sms eller båda. En ny e-postadress bekräftar du via en länk.\n\n"
        "Aviseringar säger bara att det finns något nytt att läsa. Innehållet läser du alltid efter "
        "inloggning.",
        "Under My pages, Settings you enter your e-mail address and mobile number and choose whether you want "
        "notices by e-mail, text message or both. You confirm a new e-mail address through a link.\n\n"
        "Notices only say that there is something new to read. You always read the content after logging in.",
    ),
    (
        "synpunkter-och-klagomal",
        "feedback",
        "resident",
        10,
        False,
        "Hur lämnar jag synpunkter eller klagomål på vården?",
        "How do I give feedback or complain about care?",
        "Är du missnöjd med vården du har fått, vänd dig först till mottagningen. Berätta vad som hände och "
        "när; det hjälper dem att utreda och svara.\n\n"
        "Får du inget svar, eller är du inte nöjd med svaret, kan du vända dig till patientnämnden i din "
        "region. Patientnämnden är fristående från vården och hjälper dig kostnadsfritt.\n\n"
        "Synpunkter på själva e-tjänsterna skickar du till supporten.",
        "If you are unhappy with the care you have received, first turn to the clinic. Tell them what "
        "happened and when; that helps them investigate and reply.\n\n"
        "If you get no reply, or are not satisfied with it, you can turn to the patient advisory committee "
        "(patientnämnden) of your region. It is independent of care and helps you free of charge.\n\n"
        "Feedback about the e-services themselves goes to support.",
    ),
    (
        "support",
        "feedback",
        "resident",
        20,
        True,
        "Vart vänder jag mig om något inte fungerar?",
        "Where do I turn if something does not work?",
        "Om inloggningen, ett formulär eller en sida inte fungerar, skriv till supporten via formuläret "
        "Support längst ned på varje sida. Beskriv vad du försökte göra och vad som hände.\n\n"
        "Supporten hjälper till med e-tjänsterna men kan inte svara på frågor om din vård. Sådana frågor "
        "skickar du som ett ärende till din mottagning.",
        "If logging in, a form or a page does not work, write to support using the Support form at the bottom "
        "of every page. Describe what you tried to do and what happened.\n\n"
        "Support helps with the e-services but cannot answer questions about your care. Send such questions "
        "as a case to your clinic.",
    ),
    (
        "personal-inkorgen",
        "cases",
        "staff",
        10,
        False,
        "Hur fungerar inkorgen för personal?",
        "How does the staff inbox work?",
        "Inkorgen visar mottagningens ärenden. En mottagare fördelar nya ärenden, och en handläggare tar ett "
        "ärende för att svara, ställa en fråga till invånaren eller avsluta det.\n\n"
        "Vad du får göra beror på din roll vid mottagningen. Varje gång du öppnar ett ärende loggas det.",
        "The inbox shows the clinic's cases. A receiver distributes new cases, and a handler takes a case to "
        "reply, ask the resident a question or close it.\n\n"
        "What you may do depends on your role at the clinic. Every time you open a case it is logged.",
    ),
    (
        "personal-inloggning",
        "login",
        "staff",
        10,
        False,
        "Jag kommer inte in som personal – vad gör jag?",
        "I cannot log in as staff – what do I do?",
        "Personal loggar in via vårdgivarens inloggning för medarbetare, inte med invånarnas BankID-"
        "inloggning. Kontrollera att du använder inloggningen för personal.\n\n"
        "Saknar du behörighet till en mottagning, kontakta din chef eller vårdgivarens administratör. Fungerar "
        "inte inloggningen alls, kontakta supporten.",
        "Staff log in through the care provider's login for employees, not the residents' BankID login. "
        "Check that you are using the staff login.\n\n"
        "If you lack access to a clinic, contact your manager or the care provider's administrator. If the "
        "login does not work at all, contact support.",
    ),
]


def load_articles(model: Any = None, version_model: Any = None) -> int:
    """Write the articles above (create, or update by slug when the text changed); returns how many.

    Each new or changed text also becomes a new HelpArticleVersion (HELP-1: earlier
    versions are kept), and "Senast uppdaterat" moves only when the text changed.
    Called by migration 0004 (with the historical models) so every installation has
    them, and by the demo loader so a demo reset — which empties every table —
    gets them back.
    """
    from django.utils import timezone

    if model is None or version_model is None:
        from vardnav.help.models import HelpArticle, HelpArticleVersion

        model, version_model = HelpArticle, HelpArticleVersion
    now = timezone.now()
    existing = {article.slug: article for article in model.objects.filter(provider__isnull=True)}
    for slug, category, audience, position, common, title_sv, title_en, body_sv, body_en in ARTICLES:
        text = {
            "category": category,
            "audience": audience,
            "title_sv": title_sv,
            "title_en": title_en,
            "body_sv": body_sv,
            "body_en": body_en,
            "published": True,
        }
        article = existing.get(slug)
        if article is not None and all(getattr(article, field) == value for field, value in text.items()):
            if (article.position, article.common) != (position, common):
                model.objects.filter(pk=article.pk).update(position=position, common=common)
            if not version_model.objects.filter(article=article).exists():
                version_model.objects.create(article=article, number=article.version, saved_at=article.updated_at, **text)
            continue
        if article is None:
            article = model.objects.create(slug=slug, position=position, common=common, updated_at=now, version=1, **text)
        else:
            last = version_model.objects.filter(article=article).order_by("-number").first()
            number = (last.number if last else article.version) + 1
            model.objects.filter(pk=article.pk).update(
                position=position, common=common, updated_at=now, version=number, **text
            )
            article.version = number
        version_model.objects.create(article=article, number=article.version, saved_at=now, **text)
    return len(ARTICLES)
