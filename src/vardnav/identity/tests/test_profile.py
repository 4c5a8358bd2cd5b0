"""The resident's profile (ID-6), protected identity (PRIV-1, PRIV-3) and consent to share (PRIV-6)."""

from __future__ import annotations

import re
import socket

import pytest
from django.core import mail

from tests.personas import make_person
from tests.tasks import run_tasks
from vardnav.audit.models import AuditEntry
from vardnav.demo import identities as ids
from vardnav.identity.tests.resident_helpers import logged_in
from vardnav.notifications.models import OutgoingMessage, OutgoingStatus
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.models import ContactSharingConsent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("clean_rate_limits"),
    pytest.mark.usefixtures("frozen_today"),
]


@pytest.fixture
def resident():
    return make_person(ids.RESIDENT_A)


@pytest.fixture
def protected():
    return make_person(ids.PROTECTED)


def save_profile(client, django_capture_on_commit_callbacks, **data):
    """Save the form, then let the worker deliver what the save queued."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mina-sidor/profil/", data)
    run_tasks()
    return response


def confirmation_path() -> str:
    body = mail.outbox[-1].body
    return re.search(r"https?://[^/\s]+(/mina-sidor/profil/bekrafta-epost/[^\s]+/)", body).group(1)


def test_the_profile_shows_name_and_personal_number(client, resident):
    logged_in(client, resident)
    page = client.get("/mina-sidor/profil/").content.decode()
    assert "Karin Berg" in page
    assert "19760101-2391" in page


@pytest.mark.rule("ID-6")
def test_a_resident_edits_email_and_mobile_number(client, resident, django_capture_on_commit_callbacks):
    logged_in(client, resident)

    response = save_profile(client, django_capture_on_commit_callbacks, email="karin@Exempel.SE", phone="070-123 45 67")

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email == "karin@exempel.se"
    assert resident.phone == "+46701234567"
    assert resident.email_confirmed_at is None


@pytest.mark.rule("ID-6")
def test_a_new_email_address_is_confirmed_through_the_link_sent_to_it(
    client, resident, django_capture_on_commit_callbacks
):
    logged_in(client, resident)
    save_profile(client, django_capture_on_commit_callbacks, email="karin@exempel.se", phone="")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["karin@exempel.se"]
    path = confirmation_path()
    assert "karin" not in path and str(resident.personal_number) not in path

    assert "Bekräfta e-postadressen" in client.get(path).content.decode()
    resident.refresh_from_db()
    assert resident.email_confirmed_at is None  # a GET (a mail scanner) confirms nothing

    response = client.post(path)
    resident.refresh_from_db()
    assert response.status_code == 200
    assert resident.email_confirmed_at is not None
    assert AuditEntry.objects.filter(action="person.email_confirmed", subject_person_id=resident.pk).exists()


def test_a_confirmation_link_expires_after_24_hours(client, resident, django_capture_on_commit_callbacks, frozen_today):
    logged_in(client, resident)
    save_profile(client, django_capture_on_commit_callbacks, email="karin@exempel.se", phone="")
    path = confirmation_path()

    frozen_today.shift(24 * 3600 + 1)
    response = client.post(path)

    resident.refresh_from_db()
    assert response.status_code == 400
    assert "ogiltig eller för gammal" in response.content.decode()
    assert resident.email_confirmed_at is None


def test_a_link_for_an_old_address_does_not_confirm_the_new_one(client, resident, django_capture_on_commit_callbacks):
    logged_in(client, resident)
    save_profile(client, django_capture_on_commit_callbacks, email="forsta@exempel.se", phone="")
    old_path = confirmation_path()
    save_profile(client, django_capture_on_commit_callbacks, email="andra@exempel.se", phone="")

    assert client.post(old_path).status_code == 400
    resident.refresh_from_db()
    assert resident.email_confirmed_at is None


def test_a_tampered_link_is_refused(client, resident):
    response = client.post("/mina-sidor/profil/bekrafta-epost/eyJwIjoxfQ:abc:def/")
    assert response.status_code == 400


@pytest.mark.rule("ID-6")
def test_bad_contact_details_get_swedish_messages_and_nothing_is_stored(
    client, resident, django_capture_on_commit_callbacks
):
    logged_in(client, resident)

    response = save_profile(client, django_capture_on_commit_callbacks, email="inte-en-adress", phone="12")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Skriv en giltig e-postadress" in page
    assert "Skriv ett giltigt telefonnummer" in page
    resident.refresh_from_db()
    assert resident.email == "" and resident.phone == ""
    assert mail.outbox == []


@pytest.mark.rule("PRIV-1")
def test_a_protected_resident_is_offered_no_contact_fields(client, protected):
    logged_in(client, protected)

    page = client.get("/mina-sidor/profil/").content.decode()

    assert 'name="email"' not in page
    assert 'name="phone"' not in page
    assert "skyddade personuppgifter" in page
    assert "19850101-2382" in page


@pytest.mark.rule("PRIV-1")
@pytest.mark.rule("PRIV-3")
def test_a_protected_resident_posting_contact_details_is_refused_and_gets_no_email(
    client, protected, django_capture_on_commit_callbacks
):
    logged_in(client, protected)

    response = save_profile(client, django_capture_on_commit_callbacks, email="linnea@exempel.se", phone="0701234567")

    assert response.status_code == 409
    protected.refresh_from_db()
    assert protected.email == "" and protected.phone == ""
    assert mail.outbox == []


@pytest.mark.rule("ID-6")
def test_a_guardian_acting_for_a_child_edits_only_their_own_profile(
    client, frozen_today, django_capture_on_commit_callbacks
):
    guardian = make_person(ids.GUARDIAN)
    child = get_person_by_personal_number(ids.CHILD_8)
    logged_in(client, guardian, acting_for=child)

    page = client.get("/mina-sidor/profil/").content.decode()
    save_profile(client, django_capture_on_commit_callbacks, email="anna@exempel.se", phone="")

    assert "Anna Lindqvist" in page
    assert "Elsa" not in page.split("<h1", 1)[1].split("</section>", 1)[0]
    guardian.refresh_from_db()
    child.refresh_from_db()
    assert guardian.email == "anna@exempel.se"
    assert child.email == ""


def test_the_profile_needs_a_login(client):
    response = client.get("/mina-sidor/profil/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/?next=%2Fmina-sidor%2Fprofil%2F"


# --- consent to share contact details (PRIV-6) -------------------------------------


@pytest.mark.rule("PRIV-6")
def test_the_settings_page_explains_who_may_use_the_details(client, resident):
    logged_in(client, resident)
    page = client.get("/mina-sidor/installningar/").content.decode()
    assert "vårdrelation" in page
    assert "aldrig för marknadsföring" in page
    assert "återkalla" in page


@pytest.mark.rule("PRIV-6")
def test_a_resident_gives_and_withdraws_consent(client, resident, django_capture_on_commit_callbacks, frozen_today):
    logged_in(client, resident)
    save_profile(client, django_capture_on_commit_callbacks, email="karin@exempel.se", phone="0701234567")

    given = client.post("/mina-sidor/installningar/", {"action": "give", "share_email": "on", "share_phone": "on"})
    consent = ContactSharingConsent.objects.get(person=resident)
    frozen_today.shift(60)
    withdrawn = client.post("/mina-sidor/installningar/", {"action": "withdraw"})

    assert given.status_code == 302 and withdrawn.status_code == 302
    assert consent.share_email and consent.share_phone
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not ContactSharingConsent.objects.filter(person=resident, withdrawn_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="contact_sharing_consent.withdrawn").count() == 1
    assert "Du delar inga kontaktuppgifter" in client.get("/mina-sidor/installningar/").content.decode()


@pytest.mark.rule("PRIV-6")
def test_changing_consent_keeps_the_history(client, resident, django_capture_on_commit_callbacks):
    logged_in(client, resident)
    save_profile(client, django_capture_on_commit_callbacks, email="karin@exempel.se", phone="0701234567")

    client.post("/mina-sidor/installningar/", {"action": "give", "share_email": "on", "share_phone": "on"})
    client.post("/mina-sidor/installningar/", {"action": "give", "share_phone": "on"})

    rows = list(ContactSharingConsent.objects.filter(person=resident).order_by("pk"))
    assert len(rows) == 2
    assert rows[0].withdrawn_at is not None
    assert rows[1].withdrawn_at is None and rows[1].share_phone and not rows[1].share_email


@pytest.mark.rule("PRIV-6")
def test_consent_to_share_a_detail_that_is_missing_is_refused(client, resident):
    logged_in(client, resident)

    response = client.post("/mina-sidor/installningar/", {"action": "give", "share_email": "on"})

    assert response.status_code == 400
    assert "ingen e-postadress i din profil" in response.content.decode()
    assert not ContactSharingConsent.objects.exists()


@pytest.mark.rule("PRIV-1")
def test_a_protected_resident_cannot_consent_to_share_anything(client, protected):
    logged_in(client, protected)

    page = client.get("/mina-sidor/installningar/").content.decode()
    response = client.post("/mina-sidor/installningar/", {"action": "give", "share_email": "on"})

    assert 'name="share_email"' not in page
    assert response.status_code == 409
    assert not ContactSharingConsent.objects.exists()


@pytest.mark.rule("ID-6")
def test_saving_an_email_address_works_when_no_mail_server_answers(
    client, resident, django_capture_on_commit_callbacks, settings
):
    """The confirmation e-mail waits in the outbox: a mail server that is down is the worker's problem."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    logged_in(client, resident)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mina-sidor/profil/", {"email": "karin@exempel.se", "phone": ""}, follow=True)

    assert response.status_code == 200
    assert "Vi har skickat ett mejl till karin@exempel.se" in response.content.decode()
    queued = OutgoingMessage.objects.get()
    assert queued.recipient == "karin@exempel.se"
    assert queued.status == OutgoingStatus.QUEUED and "karin" not in queued.event_key
    run_tasks()  # the worker's first try fails and schedules a retry
    queued.refresh_from_db()
    assert queued.status == OutgoingStatus.QUEUED and queued.attempts == 1 and queued.last_error
    resident.refresh_from_db()
    assert resident.email == "karin@exempel.se"
