"""Residents attach files on the web and through the API: all or nothing, with a reason per file (ATT-1..ATT-4)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vardnav.attachments import corpus
from vardnav.attachments.models import Attachment, AttachmentState
from vardnav.attachments.validation import check_path
from vardnav.cases.actions import do_send_resident_message
from vardnav.cases.models import Case, Message
from vardnav.cases.tests.attachments.conftest import ANSWERS, resident_client, stored_files
from vardnav.core.errors import DomainError


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def new_case_url(world, service) -> str:
    return f"/e-tjanster/{world.unit_x.slug}/{service.pk}/"


@pytest.mark.rule("ATT-1")
def test_a_resident_sends_a_case_with_a_photo_and_a_pdf(world, file_service, attachment_folder):
    client = resident_client(world.resident_a)
    page = client.get(new_case_url(world, file_service))
    assert b'enctype="multipart/form-data"' in page.content and b'type="file"' in page.content
    response = client.post(
        new_case_url(world, file_service),
        {
            **ANSWERS,
            "submission_key": "k" * 32,
            "files": [upload("utslag.jpg", corpus.valid_jpeg()), upload("remiss.pdf", corpus.valid_pdf())],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    files = list(Attachment.objects.filter(folder_id=case.pk).order_by("id"))
    assert [(f.file_name, f.content_type, f.state) for f in files] == [
        ("utslag.jpg", "image/jpeg", AttachmentState.SENT),
        ("remiss.pdf", "application/pdf", AttachmentState.SENT),
    ]
    assert set(Message.objects.filter(pk__in=[f.owner_id for f in files]).values_list("kind", flat=True)) == {
        "submission"
    }
    assert len(stored_files(attachment_folder)) == 2


@pytest.mark.rule("ATT-3")
def test_one_bad_file_refuses_the_whole_message_and_names_the_file(world, file_case, attachment_folder):
    client = resident_client(world.resident_a)
    messages_before = Message.objects.count()
    response = client.post(
        f"/arenden/{file_case.pk}/",
        {
            "body": "Här är bilderna.",
            "submission_key": "m" * 32,
            "files": [upload("bra.png", corpus.valid_png()), upload("faktura.pdf", corpus.windows_executable())],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "faktura" in page and "inte en PDF, GIF, JPEG eller PNG" in page
    assert "ingenting skickades" in page
    assert Message.objects.count() == messages_before
    assert not Attachment.objects.exists()
    assert stored_files(attachment_folder) == []


@pytest.mark.rule("ATT-3")
def test_a_sixth_file_from_a_resident_is_refused(world, file_case, attachment_folder):
    client = resident_client(world.resident_a)
    files = [upload(f"bild{n}.png", corpus.valid_png()) for n in range(6)]
    response = client.post(
        f"/arenden/{file_case.pk}/", {"body": "Sex bilder", "submission_key": "s" * 32, "files": files}
    )
    assert response.status_code == 422
    assert "högst 5 filer" in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(attachment_folder) == []


@pytest.mark.rule("ATT-3")
def test_five_files_from_a_resident_are_accepted(world, file_case):
    client = resident_client(world.resident_a)
    files = [upload(f"bild{n}.png", corpus.valid_png()) for n in range(5)]
    response = client.post(
        f"/arenden/{file_case.pk}/", {"body": "Fem bilder", "submission_key": "f" * 32, "files": files}
    )
    assert response.status_code == 302
    sent_with = Message.objects.filter(kind="resident_message").values("pk")
    assert Attachment.objects.filter(owner_id__in=sent_with).count() == 5


@pytest.mark.rule("ATT-2")
def test_a_file_over_20_mb_is_cut_off_while_streaming_and_refused_by_name(world, file_case, attachment_folder):
    client = resident_client(world.resident_a)
    big = upload("röntgen.pdf", corpus.pdf_of_size(20 * 1024 * 1024 + 1), "application/pdf")
    response = client.post(
        f"/arenden/{file_case.pk}/", {"body": "Stor fil", "submission_key": "b" * 32, "files": [big]}
    )
    assert response.status_code == 422
    assert "röntgen: Filen är större än 20 MB." in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(attachment_folder) == []


@pytest.mark.rule("ATT-2")
def test_a_file_of_exactly_20_mb_is_accepted(world, file_case):
    client = resident_client(world.resident_a)
    exact = upload("journal.pdf", corpus.pdf_of_size(20 * 1024 * 1024), "application/pdf")
    response = client.post(f"/arenden/{file_case.pk}/", {"body": "Exakt", "submission_key": "e" * 32, "files": [exact]})
    assert response.status_code == 302
    assert Attachment.objects.get().size == 20 * 1024 * 1024


@pytest.mark.rule("ATT-2")
def test_a_request_body_over_the_limit_is_refused_before_it_is_read(world, file_case, settings):
    settings.ATTACHMENT_MAX_REQUEST_BYTES = 1000
    client = resident_client(world.resident_a)
    response = client.post(
        f"/api/v1/cases/{file_case.pk}/attachments", {"files": [upload("a.png", corpus.truncated_png())]}
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request-too-large"


@pytest.mark.rule("ATT-4")
def test_a_service_without_attachments_refuses_files_and_shows_no_picker(world, attachment_folder):
    client = resident_client(world.resident_a)
    url = f"/e-tjanster/{world.unit_x.slug}/{world.contact.pk}/"
    assert b'type="file"' not in client.get(url).content
    response = client.post(url, {**ANSWERS, "submission_key": "n" * 32, "files": [upload("a.png", corpus.valid_png())]})
    assert response.status_code == 422
    assert "tar inte emot bifogade filer" in response.content.decode()
    assert not Case.objects.exists() and stored_files(attachment_folder) == []


@pytest.mark.rule("ATT-4")
def test_the_unit_decides_per_service_when_services_are_chosen_per_unit(world, file_service, file_case):
    """A per_unit provider: the unit's own switch for the service is what counts."""
    from vardnav.catalog.models import UnitService
    from vardnav.organizations.models import ServiceOffering

    world.provider.service_offering = ServiceOffering.PER_UNIT
    world.provider.save(update_fields=["service_offering"])
    UnitService.objects.create(unit=world.unit_x, service=file_service, attachments_allowed=False)
    client = resident_client(world.resident_a)
    response = client.post(
        f"/api/v1/cases/{file_case.pk}/attachments", {"files": [upload("a.png", corpus.valid_png())]}
    )
    assert response.status_code == 422 and response.json()["code"] == "attachments-not-allowed"
    UnitService.objects.filter(unit=world.unit_x, service=file_service).update(attachments_allowed=True)
    response = client.post(
        f"/api/v1/cases/{file_case.pk}/attachments", {"files": [upload("a.png", corpus.valid_png())]}
    )
    assert response.status_code == 201


@pytest.mark.rule("ATT-3")
def test_the_api_stages_files_then_sends_them_with_a_message(world, file_case):
    client = resident_client(world.resident_a)
    staged = client.post(
        f"/api/v1/cases/{file_case.pk}/attachments",
        {"files": [upload("a.png", corpus.valid_png()), upload("b.gif", corpus.animated_gif())]},
    )
    assert staged.status_code == 201, staged.content
    ids = [item["id"] for item in staged.json()["items"]]
    assert [item["sent"] for item in staged.json()["items"]] == [False, False]
    sent = client.post(
        f"/api/v1/cases/{file_case.pk}/messages",
        data={"body": "Bilderna", "attachment_ids": ids},
        content_type="application/json",
    )
    assert sent.status_code == 201, sent.content
    detail = client.get(f"/api/v1/cases/{file_case.pk}").json()
    assert [a["file_name"] for a in detail["messages"][-1]["attachments"]] == ["a.png", "b.gif"]


def test_api_refusals_are_problem_json_with_a_reason_per_file(world, file_case):
    client = resident_client(world.resident_a)
    response = client.post(
        f"/api/v1/cases/{file_case.pk}/attachments",
        {"files": [upload("ok.png", corpus.valid_png()), upload("ikon.png", corpus.svg_image())]},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "files-refused"
    assert problem["errors"] == {
        "files.1": [
            "ikon: Filen är inte en PDF, GIF, JPEG eller PNG. Filtypen avgörs av innehållet, inte av filnamnet."
        ]
    }
    assert not Attachment.objects.exists()


def test_another_residents_staged_files_cannot_be_sent(world, file_case):
    mine = resident_client(world.resident_a).post(
        f"/api/v1/cases/{file_case.pk}/attachments", {"files": [upload("a.png", corpus.valid_png())]}
    )
    file_id = mine.json()["items"][0]["id"]
    other = resident_client(world.resident_b)
    response = other.post(
        f"/api/v1/cases/{file_case.pk}/messages",
        data={"body": "x", "attachment_ids": [file_id]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Attachment.objects.get(pk=file_id).state == AttachmentState.STAGED


@pytest.mark.django_db(transaction=True)
def test_a_failed_transaction_leaves_no_file_behind(world, file_case, attachment_folder):
    """All or nothing: the message is refused after the files were written; the files go again.

    Run as its own transaction, as a request runs it: the message's block has no savepoint of its own
    (so its audit entry can ride in the idempotency record's INSERT), so inside a test's transaction
    its failure would spoil that transaction for the checks after it."""
    source = attachment_folder.parent / "bild.png"
    source.write_bytes(corpus.valid_png())
    checked = check_path(source, "bild.png")
    with pytest.raises(DomainError):
        # A staged id that does not exist fails inside the transaction, after the file was stored.
        do_send_resident_message(
            world.resident(world.resident_a), file_case, body="Hej", files=[checked], attachment_ids=[999999]
        )
    assert not Attachment.objects.exists()
    assert stored_files(attachment_folder) == []
