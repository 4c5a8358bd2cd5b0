"""The refusal of one uploaded file, shared by validation and the virus scan."""

from __future__ import annotations


class FileRefused(Exception):
    """One file is not accepted; `message` says why, in Swedish, for the person who sent it."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
