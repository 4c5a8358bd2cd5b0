"""What every app's staff API route on one case shares (certificates, visits, labs).

A staff route on a case is a POST at a path holding `{case_id}`, behind the
staff login, answering one status with one schema; the case id is bounded to
what a database id can be, so a larger number is the schema's 422 and never a
database overflow. The route then fetches the case (or the visit) through its
app's `access_*` for the acting staff member, runs one `do_*` and answers. Each
app keeps its own path and schemas; this module keeps the shape in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ninja import Router
from ninja.params.functions import Path

from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import staff_auth

F = TypeVar("F", bound=Callable[..., Any])


def case_id_path() -> Any:
    """The `{case_id}` parameter of a staff case route (a default value for the view's argument)."""
    return Path(..., ge=1, le=MAX_ID)


def staff_case_post(
    router: Router, path: str, *, response: Any, summary: str, status: int = 201, description: str | None = None
) -> Callable[[F], F]:
    """Register a staff POST on one case: staff login, `{case_id}` in the path, `status` answered with `response`."""
    if "{case_id}" not in path:
        raise ValueError(f"a staff case route names its case: {path}")
    decorator: Callable[[F], F] = router.post(
        path, response={status: response}, auth=staff_auth, summary=summary, description=description
    )
    return decorator
