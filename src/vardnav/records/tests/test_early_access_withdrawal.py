"""Withdrawing a granted early access (REC-8): the head of unit, with a reason, audited; the child's
journal-only session ends at its next request, and the child can no longer log in."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.errors import DomainError, NotFound
from vardnav.identity.checks import check_may_log_in_with_own_bankid
from vardnav.records.actions import do_register_early_access, do_withdraw_early_access
from vardnav.records.models import EarlyAccessStatus
from vardnav.records.tests.builders import handler
from vardnav.records.tests.test_early_access import child_case, granted, unit_head

pytestmark = pytest.mark.django_db


@pytest.mark.rule("REC-8")
def test_the_head_of_unit_withdraws_a_granted_access_with_a_reason_and_the_childs_session_ends(world):
    application = granted(world, child_case(world, world.child_14))
    client = log_in_client(Client(), resident_identity(world.child_14) | {"journal_only": True})
    assert client.get("/mina-sidor/journal/").status_code == 200

    with pytest.raises(DomainError) as no_reason:
        do_withdraw_early_access(unit_head(world), application, reason="  ")
    assert no_reason.value.code == "withdrawal-reason-required" and no_reason.value.field == "reason"
    with pytest.raises(NotFound):
        do_withdraw_early_access(handler(world), application, reason="Inte verksamhetschef.")

    withdrawn = do_withdraw_early_access(unit_head(world), application, reason="Vårdnadshavarna har invänt.")
    assert withdrawn.status == EarlyAccessStatus.WITHDRAWN and withdrawn.withdrawal_reason
    assert withdrawn.reason == "Mogen nog att förstå sin journal."  # the grant's reason stays as history
    entry = AuditEntry.objects.filter(action=AuditEvent.EARLY_ACCESS_WITHDRAW).get()
    assert entry.subject_person_id == world.child_14.pk

    ended = client.get("/mina-sidor/journal/")
    assert ended.status_code == 302 and ended["Location"].startswith("/logga-in/")
    assert "återkallats" in client.get(ended["Location"]).content.decode()
    with pytest.raises(DomainError) as login:
        check_may_log_in_with_own_bankid(world.child_14.personal_number)
    assert login.value.code == "under-16"


@pytest.mark.rule("REC-8")
def test_only_a_granted_access_can_be_withdrawn(world):
    pending = do_register_early_access(handler(world), child_case(world, world.child_14))
    with pytest.raises(DomainError) as refused:
        do_withdraw_early_access(unit_head(world), pending, reason="Fel ansökan.")
    assert refused.value.code == "early-access-not-granted"
