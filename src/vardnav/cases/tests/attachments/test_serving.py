"""Serving files: access check and audit first, a preview before the download, hardened headers (ATT-6)."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from vardnav.attachments import corpus
from vardnav.attachments.models import Attachment
from vardnav.audit.models import AuditEntry
from vardnav.cases.tests.attachments.conftest import resident_client, staff_client


@pytest.fixture
def sent_pdf(world, file_case):
    """A two-page-free PDF the handler sent to resident A, named with Swedish letters."""
    handler = staff_client(world.handler_x)
    upload = SimpleUploadedFile("Provsvar åäö.pdf", corpus.valid_pdf(), content_type="application/pdf")
    file_id = handler.post(f"/api/v1/staff/cases/{file_case.pk}/attachments", {"files": [upload]}).json()["items"][0][
        "id"
    ]
    handler.post(
        f"/api/v1/staff/cases/{file_case.pk}/replies",
        data={"answers": {"reply": "Här är provsvaret."}, "attachment_ids": [file_id]},
        content_type="application/json",
    )
    return Attachment.objects.get(pk=file_id)


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_hardened(response) -> None:  # type: ignore[no-untyped-def]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.rule("ATT-6")
def test_the_resident_opens_a_file_as_a_preview_first_then_may_download_it(world, file_case, sent_pdf):
    client = resident_client(world.resident_a)
    case_page = client.get(f"/arenden/{file_case.pk}/").content.decode()
    preview_url = f"/arenden/{file_case.pk}/bilagor/{sent_pdf.pk}/"
    # The dialogue links the file to its preview, never straight to the download.
    assert f'href="{preview_url}"' in case_page
    assert f"{preview_url}ladda-ner/" not in case_page
    preview = client.get(preview_url).content.decode()
    assert f'src="{preview_url}visa/?sida=1"' in preview
    assert f'href="{preview_url}ladda-ner/"' in preview
    page_image = client.get(f"{preview_url}visa/?sida=1")
    assert page_image.status_code == 200 and page_image["Content-Type"] == "image/png"
    assert page_image["Content-Disposition"].startswith("inline")
    _assert_hardened(page_image)
    with Image.open(io.BytesIO(_body(page_image))) as rendered:
        assert rendered.width > 500  # the PDF page, rendered on the server, not the PDF itself
    assert client.get(f"{preview_url}visa/?sida=2").status_code == 404


def test_a_download_is_an_attachment_with_an_rfc_6266_file_name(world, file_case, sent_pdf):
    client = resident_client(world.resident_a)
    response = client.get(f"/arenden/{file_case.pk}/bilagor/{sent_pdf.pk}/ladda-ner/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('Provsvar åäö.pdf')}"
    _assert_hardened(response)
    assert _body(response) == corpus.valid_pdf()


def test_an_image_preview_is_the_cleaned_image_inline(world, file_case):
    client = resident_client(world.resident_a)
    upload = SimpleUploadedFile("karta.png", corpus.png_with_gps(), content_type="image/png")
    file_id = client.post(f"/api/v1/cases/{file_case.pk}/attachments", {"files": [upload]}).json()["items"][0]["id"]
    response = client.get(f"/api/v1/cases/{file_case.pk}/attachments/{file_id}/preview")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    _assert_hardened(response)
    assert b"Telefonmakaren" not in _body(response)


def test_another_resident_gets_the_same_404_as_for_a_missing_file(world, file_case, sent_pdf):
    other = resident_client(world.resident_b)
    for path in (
        f"/arenden/{file_case.pk}/bilagor/{sent_pdf.pk}/",
        f"/arenden/{file_case.pk}/bilagor/{sent_pdf.pk}/ladda-ner/",
        f"/api/v1/cases/{file_case.pk}/attachments/{sent_pdf.pk}",
    ):
        assert other.get(path).status_code == 404
    assert other.get(f"/api/v1/cases/{file_case.pk}/attachments/999999").status_code == 404


def test_a_file_is_served_only_after_an_audit_entry(world, file_case, sent_pdf):
    client = resident_client(world.resident_a)
    before = AuditEntry.objects.filter(action="attachment.read", object_id=str(sent_pdf.pk)).count()
    client.get(f"/api/v1/cases/{file_case.pk}/attachments/{sent_pdf.pk}")
    assert AuditEntry.objects.filter(action="attachment.read", object_id=str(sent_pdf.pk)).count() == before + 1


@pytest.mark.rule("ATT-6")
def test_no_endpoint_edits_a_stored_file(world, file_case, sent_pdf):
    staff = staff_client(world.handler_x)
    resident = resident_client(world.resident_a)
    for client, path in (
        (resident, f"/api/v1/cases/{file_case.pk}/attachments/{sent_pdf.pk}"),
        (staff, f"/api/v1/staff/cases/{file_case.pk}/attachments/{sent_pdf.pk}"),
    ):
        for method in ("put", "patch"):
            assert getattr(client, method)(path, data=b"x", content_type="application/pdf").status_code == 405
    # A sent file cannot be "discarded" either.
    assert staff.delete(f"/api/v1/staff/cases/{file_case.pk}/attachments/{sent_pdf.pk}").status_code == 404
    assert _body(resident.get(f"/api/v1/cases/{file_case.pk}/attachments/{sent_pdf.pk}")) == corpus.valid_pdf()
