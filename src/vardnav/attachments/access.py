"""Finding files in a folder for an actor, once the owning app has let the actor into the folder.

The owning app (e.g. cases) first fetches its own object through its access
helper, audits the read and decides which owners' files the actor may see;
these helpers then find the file, with the same 404 for a file that does not
exist and one the actor may not see. A staged file is only ever visible to the
person who uploaded it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.db.models import Q, QuerySet

from vardnav.attachments.errors import AttachmentError
from vardnav.attachments.models import Attachment, AttachmentState, Folder
from vardnav.core.actor import Actor
from vardnav.core.compiled import CompiledForIds
from vardnav.core.errors import NotFound


def files_in(folder: Folder) -> QuerySet[Attachment]:
    return Attachment.objects.filter(owner_type=folder.owner_type, folder_id=folder.folder_id)


def _staged_by(actor: Actor) -> Q:
    if actor.is_staff:
        return Q(state=AttachmentState.STAGED, uploaded_by_staff_id=actor.staff_id)
    return Q(state=AttachmentState.STAGED, uploaded_by_person_id=actor.person_id, uploaded_by_staff__isnull=True)


def staged_in(actor: Actor, folder: Folder) -> QuerySet[Attachment]:
    """The files this actor uploaded to the folder and has not sent."""
    return files_in(folder).filter(_staged_by(actor))


def staged_for(actor: Actor, folder: Folder) -> list[Attachment]:
    return list(staged_in(actor, folder).order_by("created_at", "id"))


def access_file(
    actor: Actor, folder: Folder, attachment_id: int, *, sent_with: QuerySet | Iterable[int] | None = None
) -> Attachment:
    """A sent file of the folder (only those sent with `sent_with` owners, when given) or one the actor staged."""
    sent = Q(state=AttachmentState.SENT)
    if sent_with is not None:
        sent &= Q(owner_id__in=sent_with)
    attachment = files_in(folder).filter(sent | _staged_by(actor), pk=attachment_id).first()
    if attachment is None:
        raise NotFound(AttachmentError.FILE_NOT_FOUND)
    return attachment


def access_staged_file(actor: Actor, folder: Folder, attachment_id: int) -> Attachment:
    """A file this actor uploaded to the folder and has not sent (to discard it)."""
    attachment = staged_in(actor, folder).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(AttachmentError.FILE_NOT_FOUND)
    return attachment


# A whole dialogue's files on every case view: compiled per dialogue length (core.compiled, issue 13).
_SENT_FILES = CompiledForIds(
    lambda v, ids: Attachment.objects.filter(
        owner_type=v["owner_type"], owner_id__in=ids, state=AttachmentState.SENT
    ).order_by("created_at", "id"),
    owner_type=str,
)


def files_by_owner(owner_type: str, owner_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """The sent files of each owner, in upload order: one query for a whole dialogue."""
    found: dict[int, list[Attachment]] = {}
    ids = list(owner_ids)
    if not ids:
        return found
    for row in _SENT_FILES.objects(ids, owner_type=owner_type):
        # owner_id__in above excludes NULL, so every row has an owner id.
        found.setdefault(cast(int, row.owner_id), []).append(row)
    return found


def count_files_in(owner_type: str, folder_ids: Iterable[int]) -> int:
    return Attachment.objects.filter(owner_type=owner_type, folder_id__in=list(folder_ids)).count()
