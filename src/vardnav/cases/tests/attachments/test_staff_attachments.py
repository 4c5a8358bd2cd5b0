"""Staff attach files only as ATT-5 allows, and preview them before sending (ATT-7)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vardnav.attachments import corpus
from vardnav.attachments.models import Attachment, AttachmentState
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Message
from vardnav.cases.tests.attachments.conftest import resident_client, staff_client, stored_files


def png(name: str = "instruktion.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, corpus.valid_png(), content_type="image/png")


def stage(client, case, *files):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/staff/cases/{case.pk}/attachments", {"files": list(files) or [png()]})


@pytest.mark.rule("ATT-7")
def test_a_handler_uploads_previews_and_then_sends_a_file_with_the_answer(world, file_case):
    handler = staff_client(world.handler_x)
    resident = resident_client(world.resident_a)
    page = handler.post(f"/personal/arenden/{file_case.pk}/bilagor/", {"files": [png()]})
    assert page.status_code == 302
    staged = Attachment.objects.get()
    assert staged.state == AttachmentState.STAGED
    # The handler sees it in a preview before anything is sent …
    case_page = handler.get(f"/personal/arenden/{file_case.pk}/").content.decode()
    assert f"/personal/arenden/{file_case.pk}/bilagor/{staged.pk}/" in case_page
    preview = handler.get(f"/personal/arenden/{file_case.pk}/bilagor/{staged.pk}/")
    assert preview.status_code == 200 and b"Inte skickad" in preview.content
    assert handler.get(f"/personal/arenden/{file_case.pk}/bilagor/{staged.pk}/visa/").status_code == 200
    # … while the resident cannot reach it at all.
    assert resident.get(f"/arenden/{file_case.pk}/bilagor/{staged.pk}/").status_code == 404
    sent = handler.post(
        f"/personal/arenden/{file_case.pk}/svara/",
        {"reply-reply": "Se instruktionen.", "attachment_ids": [staged.pk]},
    )
    assert sent.status_code == 302
    staged.refresh_from_db()
    assert staged.state == AttachmentState.SENT and Message.objects.get(pk=staged.owner_id).kind == "reply"
    assert resident.get(f"/arenden/{file_case.pk}/bilagor/{staged.pk}/").status_code == 200


@pytest.mark.rule("ATT-7")
def test_a_wrong_file_caught_in_the_preview_can_be_removed_before_sending(world, file_case, attachment_folder):
    handler = staff_client(world.handler_x)
    file_id = stage(handler, file_case).json()["items"][0]["id"]
    assert len(stored_files(attachment_folder)) == 1
    response = handler.delete(f"/api/v1/staff/cases/{file_case.pk}/attachments/{file_id}")
    assert response.status_code == 204
    assert not Attachment.objects.exists() and stored_files(attachment_folder) == []


@pytest.mark.rule("ATT-5")
def test_a_receiver_sends_files_only_with_a_partial_reply_when_distributing(world, file_service):
    from vardnav.cases.actions import do_submit_case
    from vardnav.cases.tests.attachments.conftest import ANSWERS

    case = do_submit_case(world.resident(world.resident_a), service=file_service, unit=world.unit_x, answers=ANSWERS)
    receiver = staff_client(world.receiver_x)
    file_id = stage(receiver, case).json()["items"][0]["id"]
    without = receiver.post(
        f"/api/v1/staff/cases/{case.pk}/distribute",
        data={"handler_id": world.handler_x.pk, "attachment_ids": [file_id]},
        content_type="application/json",
    )
    assert without.status_code == 422 and without.json()["code"] == "attachments-need-partial-reply"
    assert Attachment.objects.get(pk=file_id).state == AttachmentState.STAGED
    with_reply = receiver.post(
        f"/api/v1/staff/cases/{case.pk}/distribute",
        data={"handler_id": world.handler_x.pk, "partial_reply": "Vi tittar på det.", "attachment_ids": [file_id]},
        content_type="application/json",
    )
    assert with_reply.status_code == 200, with_reply.content
    assert Message.objects.get(pk=Attachment.objects.get(pk=file_id).owner_id).kind == "partial_reply"


@pytest.mark.rule("ATT-5")
def test_a_handler_not_assigned_to_the_case_cannot_attach(world, file_case):
    response = stage(staff_client(world.handler_x2), file_case)
    assert response.status_code == 404  # the case is not theirs to see at all
    assert not Attachment.objects.exists()


@pytest.mark.rule("ATT-5")
def test_a_handler_attaches_to_a_counter_question(world, file_case):
    handler = staff_client(world.handler_x)
    file_id = stage(handler, file_case).json()["items"][0]["id"]
    response = handler.post(
        f"/api/v1/staff/cases/{file_case.pk}/questions",
        data={"body": "Kan du fylla i blanketten?", "attachment_ids": [file_id]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Message.objects.get(pk=Attachment.objects.get(pk=file_id).owner_id).kind == "question"


@pytest.mark.rule("ATT-5")
def test_internal_notes_carry_no_files_and_other_staff_cannot_send_my_uploads(world, file_case):
    receiver = staff_client(world.receiver_x)
    file_id = stage(receiver, file_case).json()["items"][0]["id"]
    handler = staff_client(world.handler_x)
    response = handler.post(
        f"/api/v1/staff/cases/{file_case.pk}/replies",
        data={"answers": {"reply": "Svar"}, "attachment_ids": [file_id]},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "attachment-not-staged"
    assert Attachment.objects.get(pk=file_id).state == AttachmentState.STAGED


@pytest.mark.rule("ATT-3")
def test_staff_may_send_ten_files_but_not_eleven(world, file_case):
    handler = staff_client(world.handler_x)
    eleven = stage(handler, file_case, *[png(f"sida{n}.png") for n in range(11)])
    assert eleven.status_code == 422 and "högst 10 filer" in eleven.json()["title"]
    assert not Attachment.objects.exists()
    ten = stage(handler, file_case, *[png(f"sida{n}.png") for n in range(10)])
    assert ten.status_code == 201
    ids = [item["id"] for item in ten.json()["items"]]
    sent = handler.post(
        f"/api/v1/staff/cases/{file_case.pk}/replies",
        data={"answers": {"reply": "Tio sidor"}, "attachment_ids": ids},
        content_type="application/json",
    )
    assert sent.status_code == 201
    assert Attachment.objects.filter(state=AttachmentState.SENT).count() == 10


def test_each_staff_read_of_a_file_is_audited(world, file_case):
    handler = staff_client(world.handler_x)
    file_id = stage(handler, file_case).json()["items"][0]["id"]
    before = AuditEntry.objects.filter(object_type="attachments.attachment", action="read").count()
    handler.get(f"/api/v1/staff/cases/{file_case.pk}/attachments/{file_id}")
    handler.get(f"/api/v1/staff/cases/{file_case.pk}/attachments/{file_id}/preview")
    after = AuditEntry.objects.filter(object_type="attachments.attachment", action="read")
    assert after.count() == before + 2
    assert {entry.subject_person_id for entry in after} == {world.resident_a.pk}
