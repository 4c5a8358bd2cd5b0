"""Issue 11, item 15: the language of a resident's e-mail and SMS: set by the site's language switch and on the profile."""

from __future__ import annotations

import pytest

from tests.personas import actor_for
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.errors import DomainError
from vardnav.identity.actions import do_set_message_language, do_update_profile
from vardnav.identity.tests.resident_helpers import logged_in
from vardnav.notifications.models import OutgoingMessage
from vardnav.people.errors import PeopleError
from vardnav.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rate_limits")]


def language_of(person: Person) -> str:
    return Person.objects.get(pk=person.pk).preferred_language


def test_the_language_switch_stores_the_choice_for_a_logged_in_resident(client, world):
    logged_in(client, world.resident_a)
    assert language_of(world.resident_a) == "sv"

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/mina-sidor/"})

    assert response.status_code == 302 and response["Location"] == "/mina-sidor/"
    assert language_of(world.resident_a) == "en"
    entry = AuditEntry.objects.filter(action=AuditEvent.UPDATE, subject_person_id=world.resident_a.pk).latest("id")
    assert entry.purpose == "Ändrade språk för e-post och sms"
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert language_of(world.resident_a) == "sv"


def test_a_guardian_acting_for_a_child_sets_the_guardians_own_language(client, world):
    logged_in(client, world.guardian, acting_for=world.child_8)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert language_of(world.guardian) == "en"
    assert language_of(world.child_8) == "sv"


def test_visitors_and_staff_switch_the_site_only(client, world):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x))
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert set(Person.objects.values_list("preferred_language", flat=True)) == {"sv"}


def test_an_unknown_language_changes_nothing_and_is_refused_by_the_action(client, world):
    logged_in(client, world.resident_a)
    assert client.post("/i18n/setlang/", {"language": "xx", "next": "/"}).status_code == 302
    assert language_of(world.resident_a) == "sv"
    with pytest.raises(DomainError) as refused:
        do_set_message_language(actor_for(world.resident_a), "de")
    assert refused.value.code == PeopleError.INVALID_LANGUAGE


@pytest.mark.rule("ID-6")
def test_the_profile_shows_and_saves_the_language_for_e_mail_and_sms(client, world):
    logged_in(client, world.resident_a)
    page = client.get("/mina-sidor/profil/").content.decode()
    assert "Språk för e-post och sms" in page
    assert 'name="preferred_language" value="sv" id="id_preferred_language_0" required checked' in page

    response = client.post("/mina-sidor/profil/", {"section": "language", "preferred_language": "en"})
    assert response.status_code == 302
    assert language_of(world.resident_a) == "en"
    page = client.get("/mina-sidor/profil/").content.decode()
    assert "Språket för e-post och sms är sparat." in page
    assert 'name="preferred_language" value="en" id="id_preferred_language_1" required checked' in page


def test_a_bad_language_on_the_profile_is_shown_at_its_field(client, world):
    logged_in(client, world.resident_a)
    response = client.post("/mina-sidor/profil/", {"section": "language", "preferred_language": "de"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field__error" id="language-error">Välj svenska eller engelska.</p>' in html
    assert language_of(world.resident_a) == "sv"


def test_the_address_confirmation_e_mail_is_written_in_the_chosen_language(world):
    do_set_message_language(actor_for(world.resident_a), "en")
    do_update_profile(
        actor_for(world.resident_a), email="karin@example.se", phone="", confirmation_link=lambda t: f"https://x/{t}/"
    )
    do_update_profile(
        actor_for(world.resident_b), email="b@example.se", phone="", confirmation_link=lambda t: f"https://x/{t}/"
    )

    by_recipient = {message.recipient: message for message in OutgoingMessage.objects.all()}
    english, swedish = by_recipient["karin@example.se"], by_recipient["b@example.se"]
    assert english.subject == "Confirm your e-mail address at Vårdnav"
    assert english.body.startswith("Hello,\n\nYou have entered this e-mail address in your profile at Vårdnav.")
    assert "https://x/" in english.body and "If it was not you" in english.body
    assert swedish.subject == "Bekräfta din e-postadress hos Vårdnav"
    assert swedish.body.startswith("Hej!\n\nDu har angett den här e-postadressen")


def test_the_language_is_read_and_patched_through_the_api(client, world):
    logged_in(client, world.guardian, acting_for=world.child_8)
    assert client.get("/api/v1/me/profile").json()["preferred_language"] == "sv"

    response = client.patch("/api/v1/me/profile", {"preferred_language": "en"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["preferred_language"] == "en"
    assert language_of(world.guardian) == "en" and language_of(world.child_8) == "sv"

    refused = client.patch("/api/v1/me/profile", {"preferred_language": "de"}, content_type="application/json")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"]["preferred_language"] == ["Välj svenska eller engelska."]
    assert language_of(world.guardian) == "en"
