"""A resident removes a file they uploaded through the API and have not sent, as staff can.

An API client that uploaded the wrong files is not stuck with them until the
orphan sweep: the uploader lists and removes them. Someone else's file, a sent
file, or a file in another case is the same 404 as one that does not exist.
"""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from vardnav.attachments import corpus
from vardnav.attachments.models import Attachment, AttachmentState
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.tests.attachments.conftest import resident_client, stored_files


def stage(client, case, name: str = "fel.png") -> int:
    response = client.post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"files": [SimpleUploadedFile(name, corpus.valid_png(), content_type="image/png")]},
    )
    assert response.status_code == 201, response.content
    return response.json()["items"][0]["id"]


def url(case, attachment_id: int) -> str:
    return f"/api/v1/cases/{case.pk}/attachments/{attachment_id}"


def test_a_resident_removes_an_unsent_upload_and_it_is_gone(world, file_case, attachment_folder):
    client = resident_client(world.resident_a)
    wrong = stage(client, file_case, "fel.png")
    kept = stage(client, file_case, "rätt.png")
    listed = client.get(f"/api/v1/cases/{file_case.pk}/attachments").json()["items"]
    assert [item["file_name"] for item in listed] == ["fel.png", "rätt.png"]

    response = client.delete(url(file_case, wrong))

    assert response.status_code == 204
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept]
    assert len(stored_files(attachment_folder)) == 1
    listed = client.get(f"/api/v1/cases/{file_case.pk}/attachments").json()["items"]
    assert [item["file_name"] for item in listed] == ["rätt.png"]
    assert AuditEntry.objects.filter(action=AuditEvent.ATTACHMENT_DISCARD, object_id=str(wrong)).exists()


def test_a_resident_cannot_remove_another_persons_upload(world, file_case):
    file_id = stage(resident_client(world.resident_a), file_case)
    other = resident_client(world.resident_b)

    response = other.delete(url(file_case, file_id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert Attachment.objects.get(pk=file_id).state == AttachmentState.STAGED


def test_a_sent_file_cannot_be_removed_and_answers_as_a_missing_one(world, file_case):
    client = resident_client(world.resident_a)
    file_id = stage(client, file_case)
    sent = client.post(
        f"/api/v1/cases/{file_case.pk}/messages",
        data=json.dumps({"body": "Här är bilden.", "attachment_ids": [file_id]}),
        content_type="application/json",
    )
    assert sent.status_code == 201, sent.content

    response = client.delete(url(file_case, file_id))
    missing = client.delete(url(file_case, 2**40))

    assert response.status_code == missing.status_code == 404
    assert response.json()["code"] == missing.json()["code"]
    assert Attachment.objects.get(pk=file_id).state == AttachmentState.SENT


def test_a_staff_members_upload_is_not_the_residents_to_remove(world, file_case):
    from vardnav.cases.tests.attachments.conftest import staff_client

    handler = staff_client(world.handler_x, unit=world.unit_x, role="handler")
    staged = handler.post(
        f"/api/v1/staff/cases/{file_case.pk}/attachments",
        {"files": [SimpleUploadedFile("svar.png", corpus.valid_png(), content_type="image/png")]},
    )
    file_id = staged.json()["items"][0]["id"]

    response = resident_client(world.resident_a).delete(url(file_case, file_id))

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=file_id).exists()
