"""The demo's own help entries of a care provider (HELP-1), saved by its administrator through help.actions.

Loaded by the `load_demo` command after the world (like the demo prescriptions),
not by `load_demo()` itself: the test fixture replays that load from a snapshot,
which only works for tables the load found empty, and the help tables already
hold Vårdnav's own articles. Idempotent: a provider that has entries gets none.
"""

from __future__ import annotations

from vardnav.core.actor import Actor, ActorKind
from vardnav.help.actions import do_save_help_article
from vardnav.help.models import HelpArticle
from vardnav.organizations.models import CareProvider, Staff

# (provider slug, category, audience, Swedish question, Swedish answer as HTML, English question, English answer)
ENTRIES = [
    (
        "region-norrsund",
        "bookings",
        "resident",
        "Kan jag boka tid på en annan vårdcentral än den jag är listad på?",
        "<p>Ja. Du kan boka tid på alla <strong>Region Norrsunds</strong> vårdcentraler som har lediga tider, "
        "men ärenden och uppföljning sköts helst av den vårdcentral där du är listad.</p>"
        "<p>Vill du byta vårdcentral gör du det hos den nya vårdcentralen.</p>",
        "Can I book an appointment at another health centre than the one I am listed at?",
        "<p>Yes. You can book at any of <strong>Region Norrsund's</strong> health centres with free times, but "
        "cases and follow-up are best handled by the health centre where you are listed.</p>"
        "<p>If you want to change health centre, you do so at the new one.</p>",
    ),
    (
        "region-norrsund",
        "cases",
        "resident",
        "Hur snabbt svarar vårdcentralen under helger?",
        "<p>Ärenden som kommer in under helgen läses nästa vardag. Under helger gäller:</p>"
        "<ul><li>akut sjukdom eller skada: ring 112</li><li>sjukvårdsrådgivning: ring 1177</li></ul>",
        "How quickly does the health centre reply at weekends?",
        "<p>Cases that arrive at the weekend are read on the next working day. At weekends:</p>"
        "<ul><li>acute illness or injury: call 112</li><li>medical advice: call 1177</li></ul>",
    ),
    (
        "region-norrsund",
        "roles",
        "staff",
        "Vem i Region Norrsund ger behörighet till e-tjänsterna?",
        "<p>Din verksamhetschef ger roller på mottagningen. Regionens administratör för e-tjänsterna "
        "hjälper till med nya mottagningar och med frågor om vårdgivarens regler.</p>",
        "Who in Region Norrsund grants access to the e-services?",
        "<p>Your head of unit grants roles at the clinic. The region's e-services administrator helps with new "
        "clinics and with questions about the provider's rules.</p>",
    ),
    (
        "region-vastera",
        "bookings",
        "resident",
        "Hur bokar jag tid hos barnmorskemottagningen?",
        "<p>Logga in och välj <em>Boka tid</em> på barnmorskemottagningens sida. Passar ingen tid, skicka ett "
        "ärende så hör mottagningen av sig.</p>",
        "How do I book an appointment at the midwife clinic?",
        "<p>Log in and choose <em>Book an appointment</em> on the midwife clinic's page. If no time suits you, "
        "send a case and the clinic will contact you.</p>",
    ),
]


def load_demo_help_entries() -> int:
    """Save the entries above as each provider's administrator; returns how many were created."""
    created = 0
    for slug in sorted({entry[0] for entry in ENTRIES}):
        provider = CareProvider.objects.filter(slug=slug).first()
        admin = Staff.objects.filter(provider=provider, is_provider_admin=True, is_active=True).first()
        if provider is None or admin is None or HelpArticle.objects.filter(provider=provider).exists():
            continue
        actor = Actor(kind=ActorKind.STAFF, staff_id=admin.pk, provider_id=provider.pk)
        for _slug, category, audience, title_sv, html_sv, title_en, html_en in (e for e in ENTRIES if e[0] == slug):
            article = do_save_help_article(
                actor, title=title_sv, body_html=html_sv, category=category, audience=audience, published=True
            )
            do_save_help_article(actor, article, language="en", title=title_en, body_html=html_en)
            created += 1
    return created
