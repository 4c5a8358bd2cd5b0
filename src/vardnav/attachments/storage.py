"""Where attachment files are kept: Django's storage API, alias "attachments".

The local default fsyncs every file and the directories above it before
`save` returns, so a file is on disk before the database row that names it
commits (docs/decisions/0008-attachments.md); S3-compatible storage (django-storages,
configured in settings) has acknowledged a PUT only once it is stored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages


def attachment_storage() -> Storage:
    return storages["attachments"]


def _fsync_path(path: str | Path, *, directory: bool) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DurableFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage whose saves survive a crash, readable only by the service user."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    def _save(self, name: str, content: File) -> str:
        name = super()._save(name, content)  # type: ignore[misc]  # django-stubs does not declare Storage._save, the documented override point
        path = Path(self.path(name))
        _fsync_path(path, directory=False)
        # New directories' entries must reach the disk too: fsync each one up to the root.
        root = Path(self.location).resolve()
        directory = path.parent.resolve()
        while True:
            _fsync_path(directory, directory=True)
            if directory == root or root not in directory.parents:
                break
            directory = directory.parent
        return name
