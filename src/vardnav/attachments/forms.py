"""The file picker of resident and staff forms, and how refusals are shown next to it."""

from __future__ import annotations

from django import forms

ACCEPT = ".pdf,.gif,.jpg,.jpeg,.png,application/pdf,image/gif,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def files_field(max_files: int) -> forms.FileField:
    """Only for rendering and errors: the files themselves are read from request.FILES and checked
    by attachments.validation, the one validator for the web and the API."""
    return forms.FileField(
        label="Bifoga filer (frivilligt)",
        required=False,
        help_text=f"PDF, GIF, JPEG eller PNG. Högst 20 MB per fil och högst {max_files} filer. "
        "Platsuppgifter i bilder tas bort.",
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
