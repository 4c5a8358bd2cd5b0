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
    (
        "bankid-startar-inte",
        "login",
        "resident",
        30,
        False,
        "BankID startar inte eller inloggningen avbryts – vad gör jag?",
        "BankID does not start or the login stops – what do I do?",
        "Kontrollera först att BankID-appen är uppdaterad och att du har internetanslutning. Starta sedan "
        "inloggningen igen från början: en påbörjad inloggning gäller bara en kort stund.\n\n"
        "Om du skannar QR-koden med mobilen, håll telefonen stilla en stund så att kameran hinner läsa koden. "
        "Får du meddelandet att BankID redan används, avsluta den andra inloggningen eller vänta en minut.\n\n"
        "Har du spärrat eller tappat bort ditt BankID behöver du ett nytt från din bank. Vårdnav kan inte "
        "hjälpa till med själva BankID, men supporten svarar på frågor om inloggningen i Vårdnav.",
        "First check that the BankID app is up to date and that you are connected to the internet. Then start "
        "the login again from the beginning: a started login is only valid for a short while.\n\n"
        "If you scan the QR code with your phone, hold the phone still for a moment so the camera can read the "
        "code. If you are told that BankID is already in use, finish the other login or wait a minute.\n\n"
        "If your BankID is blocked or lost you need a new one from your bank. Vårdnav cannot help with BankID "
        "itself, but support answers questions about logging in to Vårdnav.",
    ),
    (
        "avgifter-och-betalning",
        "fees",
        "resident",
        10,
        True,
        "Vad kostar ett ärende och hur betalar jag?",
        "What does a case cost and how do I pay?",
        "Ett vårdärende har samma patientavgift som ett besök hos mottagningen. Avgiften beror på vilken "
        "yrkesgrupp som handlägger ärendet, så den kan ändras om ärendet lämnas över till någon annan, till "
        "exempel från en läkare till en sjuksköterska. Avgiften visas innan du skickar ärendet.\n\n"
        "Har du frikort är vården avgiftsfri. I regioner med e-frikort hämtas frikortet automatiskt när du "
        "skickar ärendet, annars skriver du in det själv.\n\n"
        "Fakturan skapas när ärendet har avslutats och finns sedan i ärendet. Du får ett e-postmeddelande och "
        "en avisering i Vårdnav. Du kan betala med Swish, med banköverföring eller som vanlig faktura med "
        "OCR-nummer. Fakturan är också ditt kvitto och kan sparas som PDF.",
        "A care case has the same patient fee as a visit to the clinic. The fee depends on which professional "
        "group handles the case, so it can change if the case is handed over to someone else, for example "
        "from a doctor to a nurse. The fee is shown before you send the case.\n\n"
        "If you have a high-cost exemption card (frikort) care is free. In regions with e-frikort the card is "
        "fetched automatically when you send the case; otherwise you enter it yourself.\n\n"
        "The invoice is created when the case has been closed and is then found in the case. You get an e-mail "
        "and a notification in Vårdnav. You can pay with Swish, by bank transfer or as an ordinary invoice with "
        "an OCR number. The invoice is also your receipt and can be saved as a PDF.",
    ),
    (
        "obetald-faktura",
        "fees",
        "resident",
        20,
        False,
        "Vad händer om jag inte betalar fakturan i tid?",
        "What happens if I do not pay the invoice on time?",
        "Betala gärna senast på förfallodagen, som står på fakturan. Efter förfallodagen skickas en påminnelse "
        "med påminnelseavgift, och en faktura som fortfarande är obetald lämnas till slut till inkasso.\n\n"
        "Har du frågor om en faktura, eller tror du att den är fel, kontakta mottagningen innan förfallodagen. "
        "Under Mina sidor, Mina avgifter, ser du vad dina ärenden kostar.",
        "Please pay by the due date shown on the invoice. After the due date a reminder with a reminder fee is "
        "sent, and an invoice that is still unpaid is eventually handed over to debt collection.\n\n"
        "If you have questions about an invoice, or think it is wrong, contact the clinic before the due date. "
        "Under My pages, My fees, you see what your cases cost.",
    ),
    (
        "vaccinationskortet",
        "vaccinations",
        "resident",
        10,
        True,
        "Var ser jag mina vaccinationer?",
        "Where do I see my vaccinations?",
        "Under Mina sidor finns ditt vaccinationskort. Där står de vaccinationer du har fått på vårdgivarens "
        "mottagningar, med vaccin, dos, datum och mottagning. Som vårdnadshavare når du ditt barns kort från "
        "samma meny tills barnet fyller 16 år.\n\n"
        "Har du fått en vaccination någon annanstans kan du lägga till den själv. Den märks som egenrapporterad "
        "och blandas aldrig ihop med mottagningens egna uppgifter, men den räknas när nästa dos beräknas.\n\n"
        "När det är dags för nästa dos visar kortet det, och du får en påminnelse med en länk för att boka tid. "
        "Påminnelsen i e-post eller sms säger bara att en påminnelse väntar i Vårdnav.",
        "Under My pages you find your vaccination card. It lists the vaccinations you have received at the care "
        "provider's clinics, with vaccine, dose, date and clinic. As a guardian you reach your child's card from "
        "the same menu until the child turns 16.\n\n"
        "If you have been vaccinated somewhere else you can add it yourself. It is marked as self-reported and "
        "never mixed up with the clinic's own entries, but it counts when the next dose is worked out.\n\n"
        "When the next dose is due the card shows it, and you get a reminder with a link to book an appointment. "
        "A reminder by e-mail or text message only says that a reminder is waiting in Vårdnav.",
    ),
    (
        "vaccin-infor-resa",
        "vaccinations",
        "resident",
        20,
        False,
        "Vilka vaccin behöver jag inför en resa?",
        "Which vaccines do I need before a trip?",
        "Under Reseråd om vaccinationer kan du välja resmål och hur länge resan varar för att se vilka vaccin som kan vara "
        "aktuella att överväga. Det är ett underlag inför besöket, inte ett besked: sjuksköterskan på "
        "vaccinationsmottagningen går igenom det med dig och antecknar rådet vid besöket.\n\n"
        "Boka tid i god tid före resan, eftersom vissa vaccin ges i flera doser med veckor emellan.",
        "Under Travel advice on vaccinations you can choose your destination and how long the trip lasts to see which vaccines "
        "may be worth considering. It is a basis for the visit, not a decision: the nurse at the vaccination "
        "clinic goes through it with you and records the advice at the visit.\n\n"
        "Book an appointment well before the trip, since some vaccines are given in several doses weeks apart.",
    ),
    (
        "personal-roller",
        "roles",
        "staff",
        10,
        False,
        "Vilka roller finns och vem ger dem?",
        "Which roles are there and who grants them?",
        "Ärendemottagare läser mottagningens inkomna ärenden och fördelar dem. Ärendehanterare handlägger de "
        "ärenden som fördelats till dem. Verksamhetschefen ger roller och sköter mottagningens inställningar, "
        "och vårdgivarens administratörer sköter alla vårdgivarens mottagningar.\n\n"
        "En roll gäller en mottagning. Arbetar du på flera mottagningar väljer du vid inloggningen var du "
        "arbetar just nu, och du ser bara den mottagningens ärenden.\n\n"
        "Saknar du en roll du behöver, kontakta din verksamhetschef. Varje ändring av roller loggas.",
        "Case receivers read the clinic's incoming cases and assign them. Case handlers handle the cases "
        "assigned to them. The head of unit grants roles and keeps the clinic's settings, and the care "
        "provider's administrators keep all of the provider's clinics.\n\n"
        "A role applies to one clinic. If you work at several clinics you choose where you work right now when "
        "you log in, and you only see that clinic's cases.\n\n"
        "If you lack a role you need, contact your head of unit. Every change of roles is logged.",
    ),
    (
        "personal-bifogade-filer",
        "cases",
        "staff",
        20,
        False,
        "Hur hanterar jag bifogade filer i ett ärende?",
        "How do I handle attached files in a case?",
        "Filer som invånaren bifogat visas i ärendet och öppnas därifrån. Varje öppnad fil loggas som en läsning "
        "av ärendet, precis som ärendet självt.\n\n"
        "Filer kontrolleras när de laddas upp: bara tillåtna filtyper och storlekar tas emot. Ladda inte ner "
        "filer till datorn i onödan, och spara aldrig patientuppgifter utanför journalen.\n\n"
        "Behöver du en bild som saknas, be invånaren om den i ett svar i ärendet.",
        "Files the resident attached are shown in the case and opened from there. Every file opened is logged "
        "as a read of the case, just like the case itself.\n\n"
        "Files are checked when they are uploaded: only allowed file types and sizes are accepted. Do not "
        "download files to your computer unnecessarily, and never keep patient data outside the record.\n\n"
        "If you need a picture that is missing, ask the resident for it in a reply in the case.",
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
                version_model.objects.create(
                    article=article, number=article.version, saved_at=article.updated_at, **text
                )
            continue
        if article is None:
            article = model.objects.create(
                slug=slug, position=position, common=common, updated_at=now, version=1, **text
            )
        else:
            last = version_model.objects.filter(article=article).order_by("-number").first()
            number = (last.number if last else article.version) + 1
            model.objects.filter(pk=article.pk).update(
                position=position, common=common, updated_at=now, version=number, **text
            )
            article.version = number
        version_model.objects.create(article=article, number=article.version, saved_at=now, **text)
    return len(ARTICLES)
