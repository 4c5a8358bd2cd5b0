"""API shapes of the audit app."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from vardnav.audit.access import LogExtractItem, LogExtractPage


class AccessUnitOut(Schema):
    id: int
    name: str
    hsa_id: str


class AccessStaffOut(Schema):
    id: int
    name: str
    hsa_id: str


class AccessLogEntryOut(Schema):
    occurred_at: dt.datetime
    action: str
    action_label: str
    object_type: str
    purpose: str
    unit: AccessUnitOut | None
    staff: AccessStaffOut | None

    @classmethod
    def of(cls, item: LogExtractItem) -> AccessLogEntryOut:
        return cls(
            occurred_at=item.occurred_at,
            action=item.action,
            action_label=item.action_label,
            object_type=item.object_type,
            purpose=item.purpose,
            unit=AccessUnitOut(id=item.unit_id, name=item.unit_name, hsa_id=item.unit_hsa_id)
            if item.unit_id is not None
            else None,
            staff=AccessStaffOut(id=item.staff_id, name=item.staff_name, hsa_id=item.staff_hsa_id)
            if item.staff_id is not None
            else None,
        )


class AccessLogPageOut(Schema):
    items: list[AccessLogEntryOut]
    next_cursor: str | None

    @classmethod
    def of(cls, page: LogExtractPage) -> AccessLogPageOut:
        return cls(items=[AccessLogEntryOut.of(item) for item in page.items], next_cursor=page.next_cursor)
