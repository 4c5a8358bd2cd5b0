"""The files of a case as pages. Residents open a file as a preview first, with a download button (ATT-6);
staff upload files to a case, preview them and only then send them with a message (ATT-7).

Thin views: the case's access_* (audited) → the attachments store serves the bytes,
or check_* → do_* → back to the case page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vardnav.attachments import serving
from vardnav.attachments.actions import max_files_for
from vardnav.attachments.uploads import checked_uploads, uploaded_files
from vardnav.cases import actions
from vardnav.cases.access import (
    access_attachment_for_resident,
    access_attachment_for_staff,
    access_case_to_handle,
    access_staged_for_staff,
)
from vardnav.cases.errors import CaseError
from vardnav.core.errors import DomainError
from vardnav.core.forms import error_lines
from vardnav.core.http import ActorRequest
from vardnav.identity.decorators import resident_required
from vardnav.identity.staff.views import StaffRequest, staff_required

if TYPE_CHECKING:
    from vardnav.attachments.models import Attachment
    from vardnav.cases.models import Case

PREVIEW_PAGES = 30  # PDF pages shown on the preview page; the download has them all


def _preview_context(case: Case, attachment: Attachment, *, staff: bool) -> dict[str, Any]:
    prefix = "cases:staff_attachment_" if staff else "cases:attachment_"
    inline = reverse(prefix + "inline", args=[case.pk, attachment.pk])
    return {
        "case": case,
        "attachment": attachment,
        "layout": "layouts/staff.html" if staff else "layouts/resident.html",
        "back_url": reverse("cases:staff_detail" if staff else "cases:detail", args=[case.pk]),
        "download_url": reverse(prefix + "download", args=[case.pk, attachment.pk]),
        "page_urls": [f"{inline}?sida={page}" for page in range(1, min(attachment.pages, PREVIEW_PAGES) + 1)]
        if attachment.is_pdf
        else [inline],
        "more_pages": max(0, attachment.pages - PREVIEW_PAGES) if attachment.is_pdf else 0,
    }


# --- residents ---------------------------------------------------------------------------


@resident_required
@require_GET
def preview(request: ActorRequest, case_id: int, attachment_id: int) -> HttpResponse:
    case, attachment = access_attachment_for_resident(request.actor, case_id, attachment_id)
    return render(request, "attachments/preview.html", _preview_context(case, attachment, staff=False))


@resident_required
@require_GET
def inline(request: ActorRequest, case_id: int, attachment_id: int) -> HttpResponseBase:
    _, attachment = access_attachment_for_resident(request.actor, case_id, attachment_id)
    return serving.preview_response(attachment, request.GET.get("sida"))


@resident_required
@require_GET
def download(request: ActorRequest, case_id: int, attachment_id: int) -> HttpResponseBase:
    _, attachment = access_attachment_for_resident(request.actor, case_id, attachment_id)
    return serving.download_response(attachment)


# --- staff ------------------------------------------------------------------------------------


@staff_required
@require_POST
def staff_upload(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    case = access_case_to_handle(actor, case_id)
    try:
        if not uploaded_files(request):
            raise CaseError.NO_FILES.error(field="files")
        actions.check_staff_may_attach(actor, case)
        with checked_uploads(request, max_files=max_files_for(actor)) as files:
            staged = actions.do_stage_attachments(actor, case, files)
    except DomainError as error:
        if error.status == 404:
            raise
        for line in error_lines(error):
            messages.error(request, line)
    else:
        messages.success(
            request,
            f"{len(staged)} fil{'er' if len(staged) != 1 else ''} uppladdad{'e' if len(staged) != 1 else ''}. "
            "Förhandsgranska innan du skickar.",
        )
    return redirect(reverse("cases:staff_detail", args=[case.pk]) + "#bilagor")


@staff_required
@require_GET
def staff_preview(request: StaffRequest, case_id: int, attachment_id: int) -> HttpResponse:
    actor = request.actor
    case, attachment = access_attachment_for_staff(actor, case_id, attachment_id)
    return render(request, "attachments/preview.html", _preview_context(case, attachment, staff=True))


@staff_required
@require_GET
def staff_inline(request: StaffRequest, case_id: int, attachment_id: int) -> HttpResponseBase:
    actor = request.actor
    _, attachment = access_attachment_for_staff(actor, case_id, attachment_id)
    return serving.preview_response(attachment, request.GET.get("sida"))


@staff_required
@require_GET
def staff_download(request: StaffRequest, case_id: int, attachment_id: int) -> HttpResponseBase:
    actor = request.actor
    _, attachment = access_attachment_for_staff(actor, case_id, attachment_id)
    return serving.download_response(attachment)


@staff_required
@require_POST
def staff_discard(request: StaffRequest, case_id: int, attachment_id: int) -> HttpResponse:
    actor = request.actor
    case = access_case_to_handle(actor, case_id)
    attachment = access_staged_for_staff(actor, case, attachment_id)
    actions.do_discard_staged(actor, case, attachment)
    messages.success(request, "Filen är borttagen och skickas inte.")
    return redirect(reverse("cases:staff_detail", args=[case.pk]) + "#bilagor")
