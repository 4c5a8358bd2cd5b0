"""One error vocabulary for the whole platform.

Why: the UI and the API must say the same thing about the same mistake. Every
refusal has a registered code: an `ErrorCode` member in the raising app's
`errors.py`, carrying its stable string (the problem `type` suffix), its HTTP
status and its translatable Swedish message. Domain code raises a DomainError
for such a code; the API maps it once to application/problem+json
(`problem_body`) and the web once to form errors (`vardnav.web.forms`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

PROBLEM_TYPE_BASE = "https://vardnav.se/problems/"


class ErrorCode(StrEnum):
    """Base of every app's error codes; subclass it in `<app>/errors.py`.

    A member is written `NAME = ("stable-code", status, _("Swedish message"))`.
    The message may carry `%(name)s` placeholders, filled from the keyword
    arguments of `error(...)`. Members compare equal to their code string.
    """

    status: int
    message: Promise

    def __new__(cls, code: str, status: int, message: Promise) -> ErrorCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.message = message
        return member

    def error(
        self,
        *,
        field: str | None = None,
        errors: dict[str, list[Any]] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> DomainError:
        """The DomainError for this code, e.g. `raise CaseError.CASE_CLOSED.error()`."""
        return DomainError(self, field=field, errors=errors, headers=headers, **params)


class CoreError(ErrorCode):
    """Refusals that belong to no single app."""

    NOT_FOUND = ("not-found", 404, _("Hittades inte."))
    FORBIDDEN = ("forbidden", 403, _("Du har inte behörighet att göra detta."))
    UNAUTHENTICATED = ("unauthenticated", 401, _("Du måste logga in."))
    VALIDATION = ("validation", 422, _("Uppgifterna är ogiltiga."))
    INVALID_CURSOR = ("invalid-cursor", 400, _("Sidmarkören är ogiltig. Börja om från första sidan."))
    INVALID_IDEMPOTENCY_KEY = (
        "invalid-idempotency-key",
        400,
        _("Idempotency-Key måste vara 8–255 tecken: bokstäver, siffror, punkt, kolon, bindestreck eller understreck."),
    )
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency-key-reused",
        409,
        _("Samma Idempotency-Key har redan använts för en annan begäran."),
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "unsupported-media-type",
        415,
        _("Innehållstypen %(content_type)s stöds inte här. Tillåten innehållstyp: %(accepted)s."),
    )
    MALFORMED_BODY = (
        "malformed-body",
        400,
        _("Innehållet kunde inte läsas. Skicka ett JSON-objekt med innehållstypen application/json."),
    )
    MALFORMED_MULTIPART = (
        "malformed-multipart",
        400,
        _("Formulärdata (multipart) kunde inte läsas: kontrollera gränsen (boundary) och innehållet."),
    )
    BODY_TOO_LARGE = (
        "body-too-large",
        413,
        _("Förfrågan är för stor. Skicka mindre innehåll, eller filer en i taget."),
    )
    METHOD_NOT_ALLOWED = ("method-not-allowed", 405, _("Metoden %(method)s stöds inte för den här adressen."))
    INTERNAL = (
        "internal",
        500,
        _("Ett tekniskt fel har uppstått. Försök igen om en stund; uppge referens %(reference)s om du kontaktar oss."),
    )
    INVALID_PERSONAL_NUMBER = (
        "invalid-personal-number",
        422,
        _("Personnumret är inte giltigt. Skriv det med tolv siffror, till exempel 19790101-2380."),
    )


def registered_codes() -> list[ErrorCode]:
    """Every code of every installed app (each app's `errors` module is imported first)."""
    autodiscover_modules("errors")
    codes: list[ErrorCode] = []
    pending = list(ErrorCode.__subclasses__())
    while pending:
        family = pending.pop()
        codes.extend(family)
        pending.extend(family.__subclasses__())
    return codes


def problem_body(*, code: str, title: str, status: int, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """RFC 9457 problem details: the one shape every API error is answered in."""
    problem: dict[str, Any] = {"type": f"{PROBLEM_TYPE_BASE}{code}", "title": title, "status": status, "code": code}
    if errors:
        problem["errors"] = errors
    return problem


class DomainError(Exception):
    """A refusal the user can understand and act on.

    code: the registered ErrorCode; its string is the problem `type` suffix.
    field: the input field the error belongs to, if any.
    errors: per-field messages when more than one field (or item) is wrong.
    params: the values the code's message names (`%(limit)s`).
    headers: HTTP headers the answer carries, in the API and on pages (e.g. Retry-After).
    """

    def __init__(
        self,
        code: ErrorCode,
        field: str | None = None,
        errors: dict[str, list[Any]] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.headers = headers or {}
        self.field = field
        self.errors = errors or {}
        self.params = params
        if not isinstance(code, ErrorCode):
            raise TypeError(f"DomainError needs a registered ErrorCode, not {code!r}")
        self._message: str | Promise = code.message
        self.status = code.status
        super().__init__(str(code))

    @property
    def message(self) -> str:
        """The Swedish (or English) text, its placeholders filled, in the active language."""
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message

    def field_errors(self) -> dict[str, list[str]]:
        """Per-field messages, with the error's own field holding its message when it names one."""
        errors = {name: [str(m) for m in messages] for name, messages in self.errors.items()}
        if self.field and self.field not in errors:
            errors[self.field] = [self.message]
        return errors

    def as_problem(self) -> dict[str, Any]:
        return problem_body(code=str(self.code), title=self.message, status=self.status, errors=self.field_errors())


class NotFound(DomainError):
    """The same answer for 'does not exist' and 'not yours', so ids reveal nothing."""

    def __init__(self, code: ErrorCode = CoreError.NOT_FOUND) -> None:
        super().__init__(code)


class PermissionDenied(DomainError):
    """The actor is known but may not do this (403)."""

    def __init__(self, code: ErrorCode = CoreError.FORBIDDEN) -> None:
        super().__init__(code)
