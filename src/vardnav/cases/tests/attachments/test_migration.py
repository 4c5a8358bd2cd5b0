"""The move from foreign keys to owner ids (attachments 0002–0004) keeps every file of every case, both ways."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vardnav.attachments.models import Attachment, AttachmentState
from vardnav.cases.models import MESSAGE_FILES, Message
from vardnav.core import clock

BEFORE = [("attachments", "0001_initial")]


def _migrate(targets) -> MigrationExecutor:  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


def _old_row(apps, **fields):  # type: ignore[no-untyped-def]
    return apps.get_model("attachments", "Attachment").objects.create(
        file_name="provsvar.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        wrapped_key="not a real key",
        created_at=clock.now(),
        **fields,
    )


@pytest.mark.django_db(transaction=True)
def test_the_owner_id_migration_keeps_every_file_and_can_be_undone(world, file_case):
    submission = Message.objects.get(case=file_case, kind="submission")
    try:
        old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        sent = _old_row(
            old_apps, key="k/sent", case_id=file_case.pk, message_id=submission.pk, state="sent",
            uploaded_by_person_id=world.resident_a.pk,
        )  # fmt: skip
        staged = _old_row(
            old_apps, key="k/staged", case_id=file_case.pk, state="staged", uploaded_by_staff_id=world.handler_x.pk
        )

        _migrate(None)
        rows = {row.key: row for row in Attachment.objects.all()}
        assert (rows["k/sent"].owner_type, rows["k/sent"].folder_id, rows["k/sent"].owner_id) == (
            MESSAGE_FILES,
            file_case.pk,
            submission.pk,
        )
        assert rows["k/sent"].state == AttachmentState.SENT and rows["k/sent"].file_name == "provsvar.pdf"
        assert (rows["k/staged"].folder_id, rows["k/staged"].owner_id) == (file_case.pk, None)
        assert {row.subject_person_id for row in rows.values()} == {file_case.subject_id}

        old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        back = {row.pk: row for row in old_apps.get_model("attachments", "Attachment").objects.all()}
        assert (back[sent.pk].case_id, back[sent.pk].message_id) == (file_case.pk, submission.pk)
        assert (back[staged.pk].case_id, back[staged.pk].message_id) == (file_case.pk, None)
    finally:
        _migrate(None)
