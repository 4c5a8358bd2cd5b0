"""The files of a case in /api/v1: upload (staged until sent with a message), preview and download.

Files are uploaded as multipart/form-data to a case and come back as staged
attachments; a message, question, reply or distribution then names them in
`attachment_ids` and sends them (ATT-7: upload → preview → send). Downloads and
previews are the bytes themselves with the hardened headers of serving.py.
There is no PUT or PATCH: a stored file is never edited (ATT-6); DELETE removes
only a staged file its uploader has not sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http.response import HttpResponseBase
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from vardnav.attachments import serving
from vardnav.attachments.access import staged_for
from vardnav.attachments.actions import max_files_for
from vardnav.attachments.models import Attachment
from vardnav.attachments.uploads import checked_uploads, uploaded_files
from vardnav.cases import actions
from vardnav.cases.access import (
    access_attachment_for_resident,
    access_attachment_for_staff,
    access_case_for_resident,
    access_case_for_staff,
    access_case_to_handle,
    access_staged_for_resident,
    access_staged_for_staff,
)
from vardnav.cases.errors import CaseError
from vardnav.cases.models import Case
from vardnav.core.http import ApiRequest
from vardnav.identity.api_auth import resident_auth, staff_auth

router = Router(tags=["attachments"])

BINARY = {
    "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}},
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/gif": {"schema": {"type": "string", "format": "binary"}},
    },
    "description": "The file (download) or an image of it (preview)",
}


class AttachmentOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    pages: int
    sent: bool
    created_at: dt.datetime


class AttachmentListOut(Schema):
    items: list[AttachmentOut]


def attachment_out(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "file_name": attachment.file_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "pages": attachment.pages,
        "sent": attachment.state == "sent",
        "created_at": attachment.created_at,
    }


def _stage(request: ApiRequest, case: Case) -> Status[dict[str, Any]]:
    actor = request.auth
    if not uploaded_files(request):
        # 400, not 422: the request is well-formed per the schema; it just carries nothing to store.
        raise CaseError.NO_FILES.error(field="files")
    if actor.is_staff:
        actions.check_staff_may_attach(actor, case)
    else:
        actions.check_resident_may_attach(case)
    with checked_uploads(request, max_files=max_files_for(actor)) as files:
        rows = actions.do_stage_attachments(actor, case, files)
    return Status(201, {"items": [attachment_out(row) for row in rows]})


# --- residents ------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/attachments",
    response={201: AttachmentListOut},
    auth=resident_auth,
    summary="Upload files to my case (sent later with a message)",
)
def resident_upload(
    request: ApiRequest,
    case_id: int,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja's File marker documents the multipart body in OpenAPI (a non-null array); the files are read by uploaded_files()
) -> Status[dict[str, Any]]:
    return _stage(request, access_case_for_resident(request.auth, case_id))


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response={200: None},
    openapi_extra={"responses": {"200": BINARY}},
    auth=resident_auth,
    summary="Download a file of my case",
)
def resident_download(request: ApiRequest, case_id: int, attachment_id: int) -> HttpResponseBase:
    _, attachment = access_attachment_for_resident(request.auth, case_id, attachment_id)
    return serving.download_response(attachment)


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}/preview",
    response={200: None},
    openapi_extra={"responses": {"200": BINARY}},
    auth=resident_auth,
    summary="Preview a file of my case (an image; one PDF page at a time)",
)
def resident_preview(request: ApiRequest, case_id: int, attachment_id: int, page: int = 1) -> HttpResponseBase:
    _, attachment = access_attachment_for_resident(request.auth, case_id, attachment_id)
    return serving.preview_response(attachment, page)


@router.get(
    "/cases/{case_id}/attachments",
    response=AttachmentListOut,
    auth=resident_auth,
    summary="My uploaded files in my case that are not sent yet",
)
def resident_staged(request: ApiRequest, case_id: int) -> dict[str, Any]:
    case = access_case_for_resident(request.auth, case_id)
    return {"items": [attachment_out(row) for row in staged_for(request.auth, case.file_folder)]}


@router.delete(
    "/cases/{case_id}/attachments/{attachment_id}",
    response={204: None},
    auth=resident_auth,
    summary="Remove a file I uploaded to my case and have not sent",
)
def resident_discard(request: ApiRequest, case_id: int, attachment_id: int) -> Status[None]:
    case, attachment = access_staged_for_resident(request.auth, case_id, attachment_id)
    actions.do_discard_staged(request.auth, case, attachment)
    return Status(204, None)


# --- staff --------------------------------------------------------------------------------------


@router.post(
    "/staff/cases/{case_id}/attachments",
    response={201: AttachmentListOut},
    auth=staff_auth,
    summary="Upload files to a case, to preview and then send (ATT-5, ATT-7)",
)
def staff_upload(
    request: ApiRequest,
    case_id: int,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja's File marker documents the multipart body in OpenAPI (a non-null array); the files are read by uploaded_files()
) -> Status[dict[str, Any]]:
    return _stage(request, access_case_to_handle(request.auth, case_id))


@router.get(
    "/staff/cases/{case_id}/attachments",
    response=AttachmentListOut,
    auth=staff_auth,
    summary="My uploaded files in a case that are not sent yet",
)
def staff_staged(request: ApiRequest, case_id: int) -> dict[str, Any]:
    case = access_case_for_staff(request.auth, case_id)
    return {"items": [attachment_out(row) for row in staged_for(request.auth, case.file_folder)]}


@router.get(
    "/staff/cases/{case_id}/attachments/{attachment_id}",
    response={200: None},
    openapi_extra={"responses": {"200": BINARY}},
    auth=staff_auth,
    summary="Download a file of a case (audited)",
)
def staff_download(request: ApiRequest, case_id: int, attachment_id: int) -> HttpResponseBase:
    _, attachment = access_attachment_for_staff(request.auth, case_id, attachment_id)
    return serving.download_response(attachment)


@router.get(
    "/staff/cases/{case_id}/attachments/{attachment_id}/preview",
    response={200: None},
    openapi_extra={"responses": {"200": BINARY}},
    auth=staff_auth,
    summary="Preview a file of a case (audited)",
)
def staff_preview(request: ApiRequest, case_id: int, attachment_id: int, page: int = 1) -> HttpResponseBase:
    _, attachment = access_attachment_for_staff(request.auth, case_id, attachment_id)
    return serving.preview_response(attachment, page)


@router.delete(
    "/staff/cases/{case_id}/attachments/{attachment_id}",
    response={204: None},
    auth=staff_auth,
    summary="Remove a file I uploaded and have not sent",
)
def staff_discard(request: ApiRequest, case_id: int, attachment_id: int) -> Status[None]:
    case = access_case_to_handle(request.auth, case_id)
    actions.do_discard_staged(request.auth, case, access_staged_for_staff(request.auth, case, attachment_id))
    return Status(204, None)
