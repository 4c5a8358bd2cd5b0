"""The file store's refusals: registered codes (see core.errors), and the refusal of one uploaded file."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class FileRefused(Exception):
    """One file is not accepted; `message` says why, in Swedish, for the person who sent it."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class AttachmentError(ErrorCode):
    FILE_NOT_FOUND = ("file-not-found", 404, _("Filen finns inte."))
    PAGE_NOT_FOUND = ("page-not-found", 404, _("Sidan finns inte."))
    TOO_MANY_FILES = (
        "too-many-files",
        422,
        _("Du kan bifoga högst %(limit)s filer per meddelande (nu %(count)s)."),
    )
    ATTACHMENT_NOT_STAGED = (
        "attachment-not-staged",
        422,
        _("En vald fil finns inte bland dina uppladdade filer i ärendet. Ladda upp den igen."),
    )
    ATTACHMENT_SENT = ("attachment-sent", 409, _("En skickad fil kan inte tas bort."))
    REQUEST_TOO_LARGE = (
        "request-too-large",
        413,
        _("Förfrågan är för stor. Varje fil får vara högst 20 MB och ett meddelande får ha högst 10 filer."),
    )
    FILES_REFUSED = (
        "files-refused",
        422,
        _(
            "Filer kunde inte tas emot (%(count)s st.), så ingenting skickades. Ta bort eller byt ut dem och försök igen."
        ),
    )
    FILES_NOT_SCANNED = (
        "files-not-scanned",
        503,
        _("Filerna kunde inte virussökas just nu, så ingenting skickades. Försök igen om en stund."),
    )
    FILES_BUSY = (
        "files-busy",
        503,
        _("Många filer tas emot just nu, så ingenting skickades. Försök igen om en stund."),
    )
