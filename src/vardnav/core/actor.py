"""The Actor: who is acting, for whom, in which role and unit.

Why: every action and access helper needs to know this, and nothing below the
view may read `request.user`. Building it once per request makes the rule checks
explicit and testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorKind(StrEnum):
    RESIDENT = "resident"
    STAFF = "staff"
    SYSTEM = "system"
    # A platform superuser in the Django admin: the platform's powers, recorded with the user.
    SUPERUSER = "superuser"
    INTEGRATION = "integration"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    person_id: int | None = None  # people.Person acting (resident or guardian)
    acting_for_id: int | None = None  # people.Person a guardian acts for; None when acting for oneself
    staff_id: int | None = None  # organizations.Staff acting
    unit_id: int | None = None  # organizations.Unit the staff member works in now
    role: str | None = None  # role at that unit (receiver, handler, unit_admin)
    provider_id: int | None = None  # organizations.CareProvider (staff, provider admins, integrations)
    user_id: int | None = None  # auth user behind the session, if any
    token_id: int | None = None  # integrations.IntegrationToken an integration authenticated with

    @property
    def is_resident(self) -> bool:
        return self.kind == ActorKind.RESIDENT

    @property
    def is_staff(self) -> bool:
        return self.kind == ActorKind.STAFF

    @property
    def is_platform(self) -> bool:
        """The platform itself (commands, jobs) or a platform superuser acting through the admin."""
        return self.kind in (ActorKind.SYSTEM, ActorKind.SUPERUSER)

    @property
    def subject_person_id(self) -> int | None:
        """The person whose matters are being handled: the child when acting for one."""
        return self.acting_for_id or self.person_id

    @classmethod
    def system(cls) -> Actor:
        return cls(kind=ActorKind.SYSTEM)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(kind=ActorKind.ANONYMOUS)
