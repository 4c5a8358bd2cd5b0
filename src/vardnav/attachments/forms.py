"""The file picker of resident and staff forms, and how refusals are shown next to it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ACCEPT = ".pdf,.gif,.jpg,.jpeg,.png,application/pdf,image/gif,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def files_field(max_files: int) -> forms.FileField:
    """Only for rendering and errors: the files themselves are read from request.FILES and checked
    by attachments.validation, the one validator for the web and the API."""
    return forms.FileField(
        label=_("Bifoga filer (frivilligt)"),
        required=False,
        help_text=_(
            "PDF, GIF, JPEG eller PNG. Högst 20 MB per fil och högst %(max)s filer. Platsuppgifter i bilder tas bort."
        )
        % {"max": max_files},
        widget=MultipleFileInput(
            attrs={
                "accept": ACCEPT,
                # vardnav.js checks each chosen file in the browser and takes out only the ones that would be
                # refused, so one bad file does not make the resident choose the good ones again. The server
                # still checks everything (attachments.validation); this only saves a round trip.
                "data-file-check": "",
                "data-max-bytes": settings.ATTACHMENT_MAX_BYTES,
                "data-max-files": max_files,
                "data-msg-type": _("%(name)s togs bort: bara PDF, GIF, JPEG och PNG går att bifoga."),
                "data-msg-size": _("%(name)s togs bort: filen är större än 20 MB."),
                "data-msg-count": _("%(name)s togs bort: du kan bifoga högst %(max)s filer."),
                "data-msg-kept": _("De andra filerna du valde är kvar."),
            }
        ),
    )
