"""The error registry: every app's codes are unique, answer with a 4xx status and read in both languages."""

from django.utils import translation
from django.utils.functional import Promise

from vardnav.cases.errors import CaseError
from vardnav.core.errors import CoreError, DomainError, NotFound, registered_codes

# A gateway status is allowed only where an upstream service (BankID, the virus scanner) failed.
UPSTREAM_STATUSES = {502, 503, 504}


def test_every_registered_code_is_unique():
    codes = [str(code) for code in registered_codes()]
    assert len(codes) > 100
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_every_code_answers_with_a_client_error_status():
    for code in registered_codes():
        if code is CoreError.INTERNAL:
            continue  # the API's answer for a bug (api/problems.py), never raised by domain code
        assert 400 <= code.status < 500 or code.status in UPSTREAM_STATUSES, code


def test_every_message_is_translatable_with_an_english_translation():
    for code in registered_codes():
        assert isinstance(code.message, Promise), code
        swedish = str(code.message)
        with translation.override("en"):
            english = str(code.message)
        assert english and english != swedish, code


def test_a_message_names_its_values_in_the_active_language():
    error = DomainError(CoreError.INVALID_CURSOR, field="after")
    with translation.override("en"):
        assert error.as_problem() == {
            "type": "https://vardnav.se/problems/invalid-cursor",
            "title": "The page marker is invalid. Start again from the first page.",
            "status": 400,
            "code": "invalid-cursor",
            "errors": {"after": ["The page marker is invalid. Start again from the first page."]},
        }


def test_a_code_fills_its_placeholders_from_the_raise_site():
    error = CaseError.MESSAGE_TOO_LONG.error(field="body", limit=5000, length=5001)
    assert error.message == "Meddelandet får vara högst 5000 tecken (nu 5001)."
    assert error.status == 422 and error.code == "message-too-long"


def test_not_found_is_one_answer_for_missing_and_not_yours():
    assert NotFound().status == 404 and NotFound().code == CoreError.NOT_FOUND
