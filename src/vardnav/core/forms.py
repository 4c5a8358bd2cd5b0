"""The one mapping of a DomainError onto a web form.

Why here and not in `web`: every app's views use it, and the import layers
(.importlinter) let every app import core but none import web.
"""

from __future__ import annotations

from django import forms

from vardnav.core.errors import DomainError


def error_lines(error: DomainError) -> list[str]:
    """The refusal as lines for a page message: its message, then each detail not already said."""
    lines = [error.message]
    for messages in error.errors.values():
        lines += [str(message) for message in messages if str(message) not in lines]
    return lines


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put the error's messages next to the fields they name, the rest above the form.

    A detail keyed per item (`files.1`) belongs to its field (`files`) and follows
    the error's own message there; details keyed by plain field names stand on
    their own (the message is then only a summary of them).
    """
    details = error.errors
    per_item = any("." in name for name in details)
    if not details or per_item:
        home = error.field or (next(iter(details)).split(".", 1)[0] if details else None)
        form.add_error(home if home in form.fields else None, error.message)
    for name, messages in details.items():
        field = name.split(".", 1)[0]
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))
