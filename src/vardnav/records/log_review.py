"""Which staff reads the log review looks at (HSLF-FS 2016:40 4 kap.; IMY: systematic and random selection).

Every day, for each provider, the reads its staff made of residents' data that
day are examined:

- flagged automatically: a read without a care relation (the reader held no
  role at the unit of the resident's case and handled none of their cases), a
  read of the reader's own record, of a family member's (a guardian relation
  either way, or a shared guardian) or of a colleague's (another staff member of
  the same provider) — the last three by personal number (`StaffPerson`);
- plus a random sample of the rest (SAMPLE_SHARE, at least SAMPLE_MIN, at most
  SAMPLE_MAX), drawn with the operating system's randomness.

The care relation is judged against today's roles and cases, which is what a
reviewer sees too; a role revoked since the read shows as a flag to look at.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Case
from vardnav.core import clock
from vardnav.organizations.models import RoleGrant
from vardnav.people.models import GuardianRelation
from vardnav.records.models import StaffPerson

# The events that are a member of staff reading a resident's personal or health data.
STAFF_READ_EVENTS = (
    AuditEvent.READ,
    AuditEvent.RECORD_READ,
    AuditEvent.SHARED_RECORD_READ,
    AuditEvent.ATTACHMENT_READ,
)
SAMPLE_SHARE = 0.1
SAMPLE_MIN = 5
SAMPLE_MAX = 50


class Flag(StrEnum):
    SAMPLE = "sample"
    NO_CARE_RELATION = "no_care_relation"
    OWN_RECORD = "own_record"
    FAMILY = "family"
    COLLEAGUE = "colleague"


FLAG_LABELS = {
    Flag.SAMPLE: _("Slumpvis utvald"),
    Flag.NO_CARE_RELATION: _("Ingen vårdrelation: ingen roll på mottagningen och inte handläggare"),
    Flag.OWN_RECORD: _("Medarbetarens egen journal"),
    Flag.FAMILY: _("En familjemedlems journal"),
    Flag.COLLEAGUE: _("En kollegas journal"),
}


def flag_label(flag: str) -> str:
    try:
        return str(FLAG_LABELS[Flag(flag)])
    except ValueError:
        return flag


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=clock.STOCKHOLM)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=clock.STOCKHOLM)


def staff_reads(provider_id: int, day: dt.date) -> list[AuditEntry]:
    start, end = day_bounds(day)
    return list(
        AuditEntry.objects.filter(
            provider_id=provider_id,
            actor_kind="staff",
            action__in=[str(event) for event in STAFF_READ_EVENTS],
            subject_person_id__isnull=False,
            occurred_at__gte=start,
            occurred_at__lt=end,
        ).order_by("occurred_at", "id")
    )


@dataclass(frozen=True)
class Selection:
    reads: int
    flagged: dict[int, list[str]]  # entry id → flags


def _family(person_ids: set[int]) -> dict[int, set[int]]:
    """Each person's family among the subjects: guardians, children and those sharing a guardian."""
    relations = list(
        GuardianRelation.objects.filter(Q(guardian_id__in=person_ids) | Q(child_id__in=person_ids)).values_list(
            "guardian_id", "child_id"
        )
    )
    children_of: dict[int, set[int]] = {}
    family: dict[int, set[int]] = {}
    for guardian, child in relations:
        family.setdefault(guardian, set()).add(child)
        family.setdefault(child, set()).add(guardian)
        children_of.setdefault(guardian, set()).add(child)
    siblings = GuardianRelation.objects.filter(guardian_id__in=list(children_of) or [0]).values_list(
        "guardian_id", "child_id"
    )
    for guardian, child in siblings:
        for other in children_of.get(guardian, set()):
            if other != child:
                family.setdefault(other, set()).add(child)
    return family


def select(provider_id: int, day: dt.date, *, rng: random.Random | None = None) -> Selection:
    """The flagged reads of the day and a random sample of the others."""
    reads = staff_reads(provider_id, day)
    if not reads:
        return Selection(0, {})
    staff_ids = {entry.actor_staff_id for entry in reads if entry.actor_staff_id is not None}
    subject_ids = {entry.subject_person_id for entry in reads if entry.subject_person_id is not None}
    case_ids = {
        int(entry.object_id) for entry in reads if entry.object_type == "cases.case" and entry.object_id.isdigit()
    }
    cases = {
        case.pk: case
        for case in Case.objects.filter(Q(pk__in=case_ids) | Q(subject_id__in=subject_ids)).only(
            "pk", "unit_id", "subject_id", "assigned_to_id"
        )
    }
    roles = set(RoleGrant.objects.filter(staff_id__in=staff_ids).values_list("staff_id", "unit_id"))
    staff_person = dict(StaffPerson.objects.filter(staff__provider_id=provider_id).values_list("staff_id", "person_id"))
    colleagues = set(staff_person.values())
    family = _family(set(staff_person.values()))

    def related(staff_id: int, case: Case) -> bool:
        return case.assigned_to_id == staff_id or (staff_id, case.unit_id) in roles

    flagged: dict[int, list[str]] = {}
    others: list[AuditEntry] = []
    for entry in reads:
        staff_id, subject_id = entry.actor_staff_id, entry.subject_person_id
        assert staff_id is not None and subject_id is not None
        flags: list[str] = []
        case = (
            cases.get(int(entry.object_id)) if entry.object_type == "cases.case" and entry.object_id.isdigit() else None
        )
        if case is not None:
            has_relation = related(staff_id, case)
        else:  # a read of something else about the resident: any of their cases will do
            has_relation = any(related(staff_id, c) for c in cases.values() if c.subject_id == subject_id)
        if not has_relation:
            flags.append(Flag.NO_CARE_RELATION)
        own = staff_person.get(staff_id)
        if own is not None and own == subject_id:
            flags.append(Flag.OWN_RECORD)
        elif own is not None and subject_id in family.get(own, set()):
            flags.append(Flag.FAMILY)
        elif subject_id in colleagues:
            flags.append(Flag.COLLEAGUE)
        if flags:
            flagged[entry.pk] = [str(flag) for flag in flags]
        else:
            others.append(entry)
    size = min(len(others), SAMPLE_MAX, max(SAMPLE_MIN, round(len(reads) * SAMPLE_SHARE)))
    for entry in (rng or random.SystemRandom()).sample(others, size):
        flagged[entry.pk] = [str(Flag.SAMPLE)]
    return Selection(len(reads), flagged)
