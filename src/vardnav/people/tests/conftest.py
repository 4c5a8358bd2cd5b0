"""Fixtures for the people app's tests: a population register of the test's own."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from vardnav.people.register import _load


@pytest.fixture
def use_register(tmp_path: Path, settings: Any) -> Iterator[Callable[[dict[str, Any]], Path]]:
    """Point the local register at a file holding this document; each call writes a new file.

    A new path per call, because the register is cached per file for the process.
    """
    counter = iter(range(1000))

    def write(document: dict[str, Any]) -> Path:
        path = tmp_path / f"register-{next(counter)}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        settings.POPULATION_REGISTER_FILE = path
        return path

    yield write
    _load.cache_clear()
