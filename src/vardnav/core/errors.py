"""One error vocabulary for the whole platform.

Why: the UI and the API must say the same thing about the same mistake. Domain code
raises a DomainError with a stable code and a translatable Swedish message; the API
maps it once to application/problem+json and the UI once to form errors.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A refusal the user can understand and act on.

    code: stable machine-readable identifier, used as the problem `type` suffix.
    message: Swedish (translatable) text for the user.
    field: the input field the error belongs to, if any.
    status: HTTP status the API answers with.
    errors: per-field messages when more than one field is wrong.
    """

    def __init__(
        self,
        code: str,
        message: str | Promise,
        field: str | None = None,
        status: int = 400,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.status = status
        self.errors = errors or {}

    def as_problem(self) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://vardnav.se/problems/{self.code}",
            "title": str(self.message),
            "status": self.status,
            "code": self.code,
        }
        errors = {k: [str(m) for m in v] for k, v in self.errors.items()}
        if self.field and self.field not in errors:
            errors[self.field] = [str(self.message)]
        if errors:
            problem["errors"] = errors
        return problem


class NotFound(DomainError):
    """The same answer for 'does not exist' and 'not yours', so ids reveal nothing."""

    def __init__(self, message: str | Promise = "Hittades inte.") -> None:
        super().__init__(code="not-found", message=message, status=404)


class PermissionDenied(DomainError):
    def __init__(self, message: str | Promise = "Du har inte behörighet att göra detta.") -> None:
        super().__init__(code="forbidden", message=message, status=403)
