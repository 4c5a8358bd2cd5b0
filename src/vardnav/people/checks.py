"""Validation of input about people, before any people action runs.

Why separate from actions: the identity flow (a guardian choosing a child) and
the profile page (contact details) validate first and show Swedish messages next
to the field; only valid, normalised values reach a do_* function.
"""

from __future__ import annotations

import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from vardnav.core.errors import DomainError
from vardnav.core.personal_number import parse_personal_number
from vardnav.people.errors import PeopleError
from vardnav.people.models import MessageLanguage
from vardnav.people.register import PopulationRegister, get_population_register


def _name_tokens(name: str) -> list[str]:
    normalised = unicodedata.normalize("NFC", name).casefold().replace("-", " ")
    return normalised.split()


def _name_matches(typed: str, given_name: str, surname: str) -> bool:
    """A typed name matches when it has at least one registered given name and the surname.

    People write the name they go by, not every given name the register holds
    ("Elsa Lindqvist" for "Elsa Maria Lindqvist"), so extra registered given
    names may be left out; nothing may be added or misspelt.
    """
    typed_tokens = _name_tokens(typed)
    given_tokens = _name_tokens(given_name)
    surname_tokens = _name_tokens(surname)
    if not typed_tokens or not surname_tokens:
        return False
    if typed_tokens[-len(surname_tokens) :] != surname_tokens:
        return False
    typed_given = typed_tokens[: -len(surname_tokens)]
    return bool(typed_given) and all(token in given_tokens for token in typed_given)


def check_guardianship(
    guardian_pnr: str,
    child_pnr: str,
    *,
    child_name: str | None = None,
    register: PopulationRegister | None = None,
) -> None:
    """ID-4: the relation, and the child's name if given, must match folkbokföringen.

    The relation is checked before the name, so someone who is not the guardian
    learns nothing about the name registered for a number.
    """
    register = register or get_population_register()
    guardian = parse_personal_number(guardian_pnr, field="guardian_personal_number").digits12
    child = parse_personal_number(child_pnr, field="child_personal_number").digits12
    if guardian not in register.guardians_of(child):
        raise PeopleError.GUARDIANSHIP_MISMATCH.error(field="child_personal_number")
    if child_name is None:
        return
    record = register.lookup(child)
    if record is None or not _name_matches(child_name, record.given_name, record.surname):
        raise PeopleError.CHILD_NAME_MISMATCH.error(field="child_name")


def check_email(email: str) -> str:
    """A syntactically valid address, domain lower-cased; empty means none."""
    email = email.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise PeopleError.INVALID_EMAIL.error(field="email") from None
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_phone(phone: str) -> str:
    """A valid phone number in E.164 (Swedish numbers may omit +46); empty means none."""
    phone = phone.strip()
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, "SE")
    except phonenumbers.NumberParseException:
        raise PeopleError.INVALID_PHONE.error(field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise PeopleError.INVALID_PHONE.error(field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_contact(*, email: str, phone: str) -> tuple[str, str]:
    """Both fields at once, so the form shows every mistake in one round."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for field, check, value in (("email", check_email, email), ("phone", check_phone, phone)):
        try:
            cleaned[field] = check(value)
        except DomainError as error:
            errors[field] = [str(error.message)]
    if errors:
        raise PeopleError.INVALID_CONTACT_DETAILS.error(errors=errors)
    return cleaned["email"], cleaned["phone"]


def check_language(language: object) -> str:
    """A language e-mail and SMS can be written in ("sv" or "en")."""
    value = str(language or "").strip()
    if value not in MessageLanguage.values:
        raise PeopleError.INVALID_LANGUAGE.error(field="preferred_language")
    return value
