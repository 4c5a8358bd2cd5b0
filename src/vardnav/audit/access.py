"""Reading the audit log: the resident's log extract (loggutdrag).

Why this shape: PDL 8 kap. 5 § gives the patient the right to know who accessed
their data; HSLF-FS 2016:40 4 kap. 10 § asks for which care unit and when, in a
form that lets them judge whether it was justified. Public providers disclose
staff names too. Entries store only ids, so unit and staff names and HSA-ids are
looked up at read time, in one bulk query each: the extract shows today's name of
the unit (what the resident recognises) and costs a fixed three queries per page
however many entries the person has (docs/decisions/0002-audit-chain.md).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vardnav.audit.describers import describe
from vardnav.audit.errors import AuditError
from vardnav.audit.events import event_label
from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import CoreError, DomainError, NotFound, PermissionDenied

EXTRACT_DEFAULT_LIMIT = 50
EXTRACT_MAX_LIMIT = 200


@dataclass(frozen=True)
class LogExtractItem:
    entry_id: int
    occurred_at: dt.datetime
    action: str
    action_label: str
    object_type: str
    purpose: str
    unit_id: int | None
    unit_name: str
    unit_hsa_id: str
    staff_id: int | None
    staff_name: str
    staff_hsa_id: str
    object_label: str = ""  # which case (or file of a case) the event concerned, see audit.describers
    actor_label: str = ""  # who acted, when not a member of staff (PRIV-2: shown for protected identities)


@dataclass(frozen=True)
class LogExtractPage:
    items: list[LogExtractItem]
    next_cursor: str | None


class InvalidCursor(DomainError):
    def __init__(self) -> None:
        super().__init__(CoreError.INVALID_CURSOR, field="after")


def encode_cursor(entry: AuditEntry) -> str:
    """Opaque keyset cursor: the last shown entry's (occurred_at, id)."""
    return _encode(entry.occurred_at, entry.pk)


def _encode(occurred_at: dt.datetime, pk: int) -> str:
    raw = f"{occurred_at.astimezone(dt.UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        stamp, _, entry_id = raw.partition("|")
        occurred_at = dt.datetime.fromisoformat(stamp)
        pk = int(entry_id)
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidCursor() from None
    if occurred_at.tzinfo is None or pk < 1:
        raise InvalidCursor()
    return occurred_at, pk


def check_extract_limit(limit: int | None) -> int:
    if limit is None:
        return EXTRACT_DEFAULT_LIMIT
    if not 1 <= limit <= EXTRACT_MAX_LIMIT:
        raise AuditError.INVALID_LIMIT.error(field="limit", limit=EXTRACT_MAX_LIMIT)
    return limit


def check_extract_bounds(since: dt.datetime | None, until: dt.datetime | None) -> None:
    """A bound without a time zone would be read in the server's zone, not the resident's; refuse it."""
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise AuditError.NAIVE_DATETIME.error(field=name)


def _check_extract_reader(actor: Actor, person_id: int | None) -> None:
    """Only the person themself, or a guardian acting for them, may read a person's extract.

    Why the Actor is enough: the audit app knows no domain, and acting-for is
    established at login only for a child the register names the guardian of and
    who is under 16 (identity.actions.do_choose_acting_for), then re-checked on
    every request by identity's middleware, which drops it when it no longer
    holds. So the person a resident may ask about is exactly
    `actor.subject_person_id`: themself, or the child they act for. Staff and
    everyone else are refused outright; another person's id is the usual 404.
    """
    if not actor.is_resident or actor.person_id is None:
        raise PermissionDenied(AuditError.EXTRACT_FOR_RESIDENTS_ONLY)
    if person_id is None or person_id != actor.subject_person_id:
        raise NotFound()


def access_log_extract(
    actor: Actor,
    person_id: int | None,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int | None = EXTRACT_DEFAULT_LIMIT,
    after: str | None = None,
    labels: bool = True,
) -> LogExtractPage:
    """Staff accesses to one person's data, newest first, one keyset page, for a reader who may see them.

    Only staff entries are shown: the resident's own actions are not "access by
    the care provider" and would bury the ones that matter.
    `since` is inclusive, `until` exclusive, both with a time zone. The entries are
    read as plain values; `labels=False` leaves out which case each concerned (the
    API does not show it) and the queries that name them.
    """
    _check_extract_reader(actor, person_id)
    assert person_id is not None  # _check_extract_reader refuses an extract of nobody
    check_extract_bounds(since, until)
    # In UTC before the database sees them: PostgreSQL refuses offsets Python accepts (e.g. +20:14).
    since = since.astimezone(dt.UTC) if since is not None else None
    until = until.astimezone(dt.UTC) if until is not None else None
    limit = check_extract_limit(limit)
    every_actor = shows_every_actor(person_id)
    entries = extract_queryset(person_id, since=since, until=until, after=after, every_actor=every_actor)
    rows = list(
        entries.values(
            "id",
            "occurred_at",
            "action",
            "object_type",
            "object_id",
            "purpose",
            "unit_id",
            "actor_staff_id",
            "actor_kind",
            "actor_person_id",
            "acting_for_person_id",
        )[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]

    unit_ids = {row["unit_id"] for row in rows if row["unit_id"] is not None}
    staff_ids = {row["actor_staff_id"] for row in rows if row["actor_staff_id"] is not None}
    units = _lookup("Unit", unit_ids, "name")
    staff = _lookup("Staff", staff_ids, "given_name", "surname")

    object_labels = describe((row["object_type"], row["object_id"]) for row in rows) if labels else {}
    items = []
    for row in rows:
        unit = units.get(row["unit_id"], {}) if row["unit_id"] is not None else {}
        member = staff.get(row["actor_staff_id"], {}) if row["actor_staff_id"] is not None else {}
        items.append(
            LogExtractItem(
                entry_id=row["id"],
                occurred_at=row["occurred_at"],
                action=row["action"],
                action_label=event_label(row["action"]),
                object_type=row["object_type"],
                purpose=row["purpose"],
                unit_id=row["unit_id"],
                unit_name=unit.get("name", ""),
                unit_hsa_id=unit.get("hsa_id", ""),
                staff_id=row["actor_staff_id"],
                staff_name=f"{member.get('given_name', '')} {member.get('surname', '')}".strip(),
                staff_hsa_id=member.get("hsa_id", ""),
                object_label=object_labels.get((row["object_type"], row["object_id"]), ""),
                actor_label=_actor_label(row, person_id),
            )
        )
    last = rows[-1] if rows else None
    cursor = _encode(last["occurred_at"], last["id"]) if has_more and last is not None else None
    return LogExtractPage(items=items, next_cursor=cursor)


def extract_queryset(
    person_id: int,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    after: str | None = None,
    every_actor: bool = False,
) -> QuerySet[AuditEntry]:
    """The extract's rows in order; shaped so the (subject, occurred_at DESC, id DESC) index serves it unsorted.

    Staff entries only, unless `every_actor` (PRIV-2): then every entry about the person.
    """
    entries = AuditEntry.objects.filter(subject_person_id=person_id)
    if not every_actor:
        entries = entries.filter(actor_kind=ActorKind.STAFF)
    if since is not None:
        entries = entries.filter(occurred_at__gte=since)
    if until is not None:
        entries = entries.filter(occurred_at__lt=until)
    if after:
        cursor_at, cursor_id = decode_cursor(after)
        # The redundant `lte` bounds the index range scan; the OR breaks ties on id.
        entries = entries.filter(occurred_at__lte=cursor_at).filter(
            Q(occurred_at__lt=cursor_at) | Q(occurred_at=cursor_at, id__lt=cursor_id)
        )
    return entries.order_by("-occurred_at", "-id")


def shows_every_actor(person_id: int) -> bool:
    """PRIV-2: a resident with a protected identity sees every access and action in their data, not only staff's.

    Read through the app registry (one query), so the audit app imports no domain module.
    """
    person = apps.get_model("people", "Person")
    return bool(person.objects.filter(pk=person_id, protected_identity=True).exists())


def _actor_label(row: Mapping[str, object], person_id: int) -> str:
    """Who acted, for entries not made by staff (PRIV-2); a row of the extract's plain values."""
    if row["actor_kind"] == ActorKind.STAFF:
        return ""
    if row["actor_kind"] == ActorKind.RESIDENT:
        if row["actor_person_id"] == person_id and row["acting_for_person_id"] is None:
            return str(_("Du själv"))
        return str(_("Vårdnadshavare"))
    if row["actor_kind"] == ActorKind.INTEGRATION:
        return str(_("Ett anslutet system"))
    return str(_("Vårdnav (automatiskt)"))


def _lookup(model_name: str, ids: set[int], *fields: str) -> dict[int, dict[str, Any]]:
    """Read-only display values from organizations, by id, in one query.

    Resolved through the app registry so the audit app imports no domain module;
    an id whose row has since gone yields an empty mapping (shown as unknown).
    """
    if not ids:
        return {}
    model = apps.get_model("organizations", model_name)
    return {row["id"]: row for row in model.objects.filter(pk__in=ids).values("id", "hsa_id", *fields)}


# --- a period in Swedish dates, and the whole period for a PDF ----------------------------------

EXTRACT_PDF_MAX_ROWS = 5000  # a longer extract says so; the resident narrows the period


@dataclass(frozen=True)
class ExtractPeriod:
    first_day: dt.date | None
    last_day: dt.date | None

    @property
    def since(self) -> dt.datetime | None:
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=STOCKHOLM) if self.first_day else None

    @property
    def until(self) -> dt.datetime | None:
        if self.last_day is None:
            return None
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), tzinfo=STOCKHOLM)


def check_extract_period(first_day: str | None, last_day: str | None) -> ExtractPeriod:
    """From and to as Swedish dates (both days included); every wrong field named."""
    errors: dict[str, list[str]] = {}
    days: dict[str, dt.date | None] = {}
    for field, raw in (("from", first_day), ("to", last_day)):
        text = (raw or "").strip()
        try:
            days[field] = dt.date.fromisoformat(text) if text else None
            if text and len(text) != 10:
                raise ValueError(text)
        except ValueError:
            errors[field] = [str(AuditError.INVALID_PERIOD_DATE.message)]
    if errors:
        raise CoreError.VALIDATION.error(errors=errors)
    start, end = days["from"], days["to"]
    if start is not None and end is not None and end < start:
        raise AuditError.PERIOD_ENDS_BEFORE_START.error(field="to")
    return ExtractPeriod(start, end)


@dataclass
class WholeExtract:
    items: list[LogExtractItem]
    complete: bool


def whole_log_extract(actor: Actor, person_id: int | None, period: ExtractPeriod) -> WholeExtract:
    """Every row of the period (up to EXTRACT_PDF_MAX_ROWS), in keyset pages of a fixed number of queries."""
    items: list[LogExtractItem] = []
    cursor: str | None = None
    while len(items) < EXTRACT_PDF_MAX_ROWS:
        page = access_log_extract(
            actor, person_id, since=period.since, until=period.until, limit=EXTRACT_MAX_LIMIT, after=cursor
        )
        items += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    return WholeExtract(items[:EXTRACT_PDF_MAX_ROWS], complete=cursor is None)
