"""Who hears about what happens in a case, and the overdue sweep (CASE-2, CASE-9).

Why here: deciding who must know (the submitter, a young child's guardians,
the unit's receivers, the assignee) is case logic; notifications only knows how
to tell a person or a staff member (in-app notice, e-mail, SMS, consent,
protected identity). Call these inside the case action's transaction, so the
notice and its outbox rows commit with the change or not at all.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.models import OPEN_STATUSES, Case
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.notifications.actions import notify_resident, notify_staff
from vardnav.notifications.models import NoticeKind
from vardnav.organizations.models import Role, Staff
from vardnav.people.models import Person

RESIDENT_EVENTS = {NoticeKind.PARTIAL_REPLY, NoticeKind.QUESTION, NoticeKind.REPLY, NoticeKind.CLOSED}


def notify_case_event(case: Case, event: str) -> None:
    """Tell the resident side about `event` (partial_reply, question, reply, closed) in `case`.

    A guardian reads a child's case after choosing to act for the child, so the
    link then goes to the case list, which offers that choice. Protected
    identity of the child the case concerns keeps the guardian's notice in-app
    only too (PRIV-3).
    """
    if event not in RESIDENT_EVENTS:
        raise ValueError(f"unknown case event {event!r}")
    with transaction.atomic(savepoint=False):
        for recipient in resident_recipients(case):
            for_child = case.subject_id != recipient.pk
            notify_resident(
                recipient,
                NoticeKind(event),
                link=reverse("cases:mine") if for_child else reverse("cases:detail", args=[case.pk]),
                login_link=reverse("cases:mine"),
                for_child=for_child,
                protected=for_child and Person.objects.filter(pk=case.subject_id, protected_identity=True).exists(),
            )


def resident_recipients(case: Case) -> list[Person]:
    """Who hears about a case: whoever submitted it, or, when that is a child under 16
    (a case registered for the child by another channel, CASE-7), the child's guardians,
    since children under 16 have no login of their own (ID-2)."""
    submitter = Person.objects.get(pk=case.submitted_by_id)
    if submitter.pk != case.subject_id or submitter.age_on(clock.today()) >= 16:
        return [submitter]
    return list(Person.objects.filter(child_relations__child_id=submitter.pk).order_by("pk"))


def notify_overdue(case: Case) -> None:
    """CASE-2: the unit's active receivers and the assignee hear that the case passed its deadline."""
    receivers = set(
        Staff.objects.filter(
            is_active=True, role_grants__unit_id=case.unit_id, role_grants__role=Role.RECEIVER
        ).values_list("pk", flat=True)
    )
    if case.assigned_to_id is not None:
        receivers.add(case.assigned_to_id)
    notify_staff(
        sorted(receivers),
        NoticeKind.OVERDUE,
        text=f"Ärende {case.number} har passerat sin svarstid.",
        link=reverse("cases:staff_detail", args=[case.pk]),
    )


def do_notify_overdue(*, limit: int = 500) -> int:
    """CASE-2: tell staff once about each open case past its deadline; returns how many cases.

    Idempotent: overdue_notified_at is set in the transaction that creates the
    notices, and rows another run holds are skipped, so overlapping runs on
    several machines notify each case once.
    """
    now = clock.now()
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(status__in=OPEN_STATUSES, due_at__lt=now, overdue_notified_at__isnull=True)
            .order_by("due_at", "id")[:limit]
        )
        for case in cases:
            notify_overdue(case)
            case.overdue_notified_at = now
            case.save(update_fields=["overdue_notified_at"])
            do_record(
                Actor.system(),
                AuditEvent.CASE_OVERDUE_NOTIFIED,
                case,
                subject_person_id=case.subject_id,
                unit_id=case.unit_id,
            )
    return len(cases)
