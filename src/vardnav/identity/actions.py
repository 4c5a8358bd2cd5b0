"""The only place that changes identity state: logins, acting-for, profile, consent.

Why here: the pages and the API both log people in, switch whom a guardian
acts for and edit the profile; each path calls the same do_* function, so the
rules (ID-1..ID-4, ID-6, PRIV-1, PRIV-3, PRIV-6) hold whichever way in. The
session itself is written by the caller (session.start_session /
update_session) after the action has succeeded, because only the caller holds
the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core import signing
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.identity.checks import OWN_BANKID_AGE, check_may_log_in_with_own_bankid
from vardnav.identity.errors import IdentityError
from vardnav.notifications.actions import queue_message, written_for
from vardnav.notifications.models import OutgoingChannel
from vardnav.organizations.models import Staff
from vardnav.people.actions import do_set_preferred_language, do_sync_person_from_register, do_update_contact
from vardnav.people.checks import check_guardianship
from vardnav.people.errors import PeopleError
from vardnav.people.models import ContactSharingConsent, Person

EMAIL_CONFIRMATION_SALT = "vardnav.identity.email-confirmation"
EMAIL_CONFIRMATION_MAX_AGE = 24 * 3600
CONSENT_NO_EMAIL = _("Du har ingen e-postadress i din profil. Lägg till den först.")
CONSENT_NO_PHONE = _("Du har inget mobilnummer i din profil. Lägg till det först.")


def _require_resident(actor: Actor) -> int:
    if not actor.is_resident or actor.person_id is None:
        raise PermissionDenied()
    return actor.person_id


def _locked_own_person(actor: Actor) -> Person:
    person = Person.objects.select_for_update().filter(pk=_require_resident(actor)).first()
    if person is None:
        raise NotFound()
    return person


# --- login and logout -------------------------------------------------------


def do_login_resident(personal_number: str) -> Person:
    """A BankID login completed: refuse under 16 (ID-2), else refresh the person from the register.

    Returns the Person to start the session for. The register sync also
    refreshes the guardian relations (ID-4) the choose-person page offers.
    Nothing is stored when the login is refused.
    """
    number = check_may_log_in_with_own_bankid(personal_number)
    journal_only = number.age_on(clock.today()) < OWN_BANKID_AGE  # REC-8: early access, the journal only
    with transaction.atomic():
        person = do_sync_person_from_register(number.digits12)
        actor = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
        purpose = "BankID, endast journalen (tidig åtkomst)" if journal_only else "BankID"
        do_record(actor, AuditEvent.LOGIN, person, subject_person_id=person.pk, purpose=purpose)
    return person


def do_logout(actor: Actor) -> None:
    """Record that the resident or staff member logged out; the caller ends the session."""
    if actor.kind not in (ActorKind.RESIDENT, ActorKind.STAFF):
        return
    with transaction.atomic():
        do_record(
            actor,
            AuditEvent.LOGOUT,
            object_type=(Person if actor.is_resident else Staff)._meta.label_lower,
            object_id=actor.person_id if actor.is_resident else actor.staff_id,
            subject_person_id=actor.person_id,
            unit_id=actor.unit_id,
        )


# --- acting for a child -----------------------------------------------------


def do_choose_acting_for(actor: Actor, child: Person | None) -> int | None:
    """A guardian chooses to act for `child` (or for themself when None); returns the new acting_for_id.

    `child` comes from access.access_child_for_guardian (under 16, ID-3). The
    relation is checked against the population register as it is now (ID-4): a
    mismatch refreshes our copy of the guardian's relations and refuses with a
    clear message. The audit entry names both the guardian and the child.
    """
    guardian_id = _require_resident(actor)
    if child is None:
        with transaction.atomic():
            do_record(
                Actor(kind=ActorKind.RESIDENT, person_id=guardian_id),
                AuditEvent.ACTING_FOR_SELF,
                object_type=Person._meta.label_lower,
                object_id=guardian_id,
                subject_person_id=guardian_id,
            )
        return None
    guardian = Person.objects.filter(pk=guardian_id).first()
    if guardian is None:
        raise NotFound()
    try:
        check_guardianship(guardian.personal_number, child.personal_number)
    except DomainError as error:
        if error.code == PeopleError.GUARDIANSHIP_MISMATCH:
            # Our copy is out of date: bring it in line so the list stops offering the child.
            do_sync_person_from_register(guardian.personal_number)
        raise
    with transaction.atomic():
        do_record(
            Actor(kind=ActorKind.RESIDENT, person_id=guardian_id, acting_for_id=child.pk),
            AuditEvent.ACTING_FOR_CHILD,
            child,
            subject_person_id=child.pk,
        )
    return child.pk


# --- profile ------------------------------------------------------------------


def _email_fingerprint(email: str) -> str:
    """Ties a confirmation link to one address without putting the address in the link."""
    return salted_hmac(EMAIL_CONFIRMATION_SALT, email.casefold()).hexdigest()[:32]


def make_email_confirmation_token(person: Person) -> str:
    return signing.dumps({"p": person.pk, "e": _email_fingerprint(person.email)}, salt=EMAIL_CONFIRMATION_SALT)


def _queue_confirmation(person: Person, link: str) -> None:
    """Queue the confirmation e-mail in the caller's transaction, through the outbox.

    Why the outbox and not an inline send: an SMTP server that is down or slow
    must never turn saving the profile into an error page; the worker delivers
    the e-mail with retries, like every other notice (docs/decisions/0006).
    The event key names the address's fingerprint, so saving the same address
    twice in one moment queues one e-mail, and a new address always gets its own.
    """
    with written_for(person):
        subject = gettext("Bekräfta din e-postadress hos Vårdnav")
        body = (
            gettext("Hej!")
            + "\n\n"
            + gettext(
                "Du har angett den här e-postadressen i din profil hos Vårdnav. "
                "Bekräfta att den är din genom att öppna länken nedan. Länken gäller i 24 timmar."
            )
            + f"\n\n{link}\n\n"
            + gettext("Om det inte var du kan du bortse från meddelandet.")
            + "\n"
        )
    queue_message(
        event_key=f"email-confirmation:{person.pk}:{_email_fingerprint(person.email)}:{clock.now():%Y%m%d%H%M%S%f}",
        channel=OutgoingChannel.EMAIL,
        recipient=person.email,
        subject=subject,
        body=body,
    )


def do_update_profile(actor: Actor, *, email: str, phone: str, confirmation_link: Callable[[str], str]) -> Person:
    """The resident edits their own e-mail and mobile number (ID-6).

    A protected-identity resident is refused (PRIV-1) by people.do_update_contact,
    and so never gets an e-mail (PRIV-3). A new address is unconfirmed until the
    link sent to it is opened; the e-mail is queued in the same transaction, so it
    goes out (with retries) only if the change commits.
    `confirmation_link` turns a token into the absolute URL to put in the e-mail.
    """
    # The profile is always the guardian's own, even while acting for a child.
    own = Actor(kind=ActorKind.RESIDENT, person_id=_require_resident(actor))
    with transaction.atomic():
        person = _locked_own_person(own)
        if person.protected_identity:
            raise PeopleError.PROTECTED_IDENTITY.error()
        previous_email = person.email
        person = do_update_contact(own, person, email=email, phone=phone)
        if person.email and person.email != previous_email:
            _queue_confirmation(person, confirmation_link(make_email_confirmation_token(person)))
    return person


def do_set_message_language(actor: Actor, language: object) -> Person:
    """The resident chooses the language of their e-mail and SMS (profile page or the site's language switch).

    Always the logged-in resident's own: a guardian acting for a child sets the guardian's language.
    """
    person_id = _require_resident(actor)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return do_set_preferred_language(Actor(kind=ActorKind.RESIDENT, person_id=person_id), person, language)


def do_confirm_email(token: str) -> Person:
    """The resident opened the link sent to their new address: mark it confirmed.

    No login needed: the signed token proves the link came from us and names the
    address it was sent to; a later change of address makes the old link void.
    """
    try:
        payload = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE)
        person_id = int(payload["p"])
        fingerprint = str(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise IdentityError.INVALID_CONFIRMATION_LINK.error() from None
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if (
            person is None
            or person.protected_identity
            or not person.email
            or not constant_time_compare(_email_fingerprint(person.email), fingerprint)
        ):
            raise IdentityError.INVALID_CONFIRMATION_LINK.error()
        if person.email_confirmed_at is None:
            person.email_confirmed_at = clock.now()
            person.save(update_fields=["email_confirmed_at", "updated_at"])
            do_record(
                Actor(kind=ActorKind.RESIDENT, person_id=person.pk),
                AuditEvent.PERSON_EMAIL_CONFIRMED,
                person,
                subject_person_id=person.pk,
            )
    return person


# --- consent to share contact details (PRIV-6) -------------------------------


def do_give_contact_sharing_consent(actor: Actor, *, share_email: bool, share_phone: bool) -> ContactSharingConsent:
    """Give (or change) consent: the active consent is withdrawn and a new one recorded."""
    errors: dict[str, list[str | Promise]] = {}
    with transaction.atomic():
        person = _locked_own_person(actor)
        if person.protected_identity:
            raise IdentityError.CONSENT_PROTECTED_IDENTITY.error()
        if not (share_email or share_phone):
            raise IdentityError.CONSENT_EMPTY.error(field="share_email")
        if share_email and not person.email:
            errors["share_email"] = [CONSENT_NO_EMAIL]
        if share_phone and not person.phone:
            errors["share_phone"] = [CONSENT_NO_PHONE]
        if errors:
            raise IdentityError.CONSENT_MISSING_CONTACT.error(errors=errors)
        now = clock.now()
        active = ContactSharingConsent.objects.filter(person=person, withdrawn_at__isnull=True).first()
        if active is not None:
            active.withdrawn_at = now
            active.save(update_fields=["withdrawn_at"])
        consent = ContactSharingConsent.objects.create(
            person=person, share_email=share_email, share_phone=share_phone, given_at=now
        )
        do_record(
            Actor(kind=ActorKind.RESIDENT, person_id=person.pk),
            AuditEvent.CONTACT_SHARING_CONSENT_GIVEN,
            consent,
            subject_person_id=person.pk,
        )
    return consent


def do_withdraw_contact_sharing_consent(actor: Actor) -> ContactSharingConsent | None:
    """Withdraw the active consent, if any; from now on no provider may use the details."""
    with transaction.atomic():
        person = _locked_own_person(actor)
        active = ContactSharingConsent.objects.select_for_update().filter(person=person, withdrawn_at__isnull=True)
        consent = active.first()
        if consent is None:
            return None
        consent.withdrawn_at = clock.now()
        consent.save(update_fields=["withdrawn_at"])
        do_record(
            Actor(kind=ActorKind.RESIDENT, person_id=person.pk),
            AuditEvent.CONTACT_SHARING_CONSENT_WITHDRAWN,
            consent,
            subject_person_id=person.pk,
        )
    return consent
