"""Staff members, the Django users that open the admin for them, and platform administrators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import changed_values, do_record
from vardnav.audit.events import AuditEvent
from vardnav.core.actor import Actor
from vardnav.organizations.access import require_platform, require_provider_admin
from vardnav.organizations.admin_groups import revoke_admin_access, sync_admin_user
from vardnav.organizations.checks import check_choice, check_hsa_id, check_qualification, check_required_text
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import CareProvider, Profession, Staff

STAFF_EDITABLE_FIELDS = frozenset(
    {
        "hsa_id",
        "given_name",
        "surname",
        "profession",
        "qualification",
        "specialist_training_percent",
        "is_provider_admin",
        "is_active",
    }
)
# Who the staff member is stays out of the audit log's values: it says these changed, not from what.
STAFF_IDENTITY_FIELDS = frozenset({"hsa_id", "given_name", "surname"})


def _check_staff_fields(hsa_id: str, given_name: str, surname: str, profession: str) -> tuple[str, str, str, str]:
    return (
        check_hsa_id(hsa_id),
        check_required_text(given_name, field="given_name", label=_("Förnamn"), max_length=100),
        check_required_text(surname, field="surname", label=_("Efternamn"), max_length=100),
        check_choice(profession, Profession, field="profession", label=_("yrke")),
    )


def do_create_staff(
    actor: Actor,
    *,
    provider: CareProvider,
    hsa_id: str,
    given_name: str,
    surname: str,
    profession: str,
    is_provider_admin: bool = False,
) -> Staff:
    require_provider_admin(actor, provider.pk)
    hsa_id, given_name, surname, profession = _check_staff_fields(hsa_id, given_name, surname, profession)
    try:
        with transaction.atomic():
            if Staff.objects.filter(hsa_id=hsa_id).exists():
                raise OrganizationError.HSA_ID_TAKEN.error(field="hsa_id")
            staff = Staff.objects.create(
                provider=provider,
                hsa_id=hsa_id,
                given_name=given_name,
                surname=surname,
                profession=profession,
                is_provider_admin=is_provider_admin,
            )
            do_record(actor, AuditEvent.STAFF_CREATE, staff)
    except IntegrityError:
        raise OrganizationError.HSA_ID_TAKEN.error(field="hsa_id")
    return staff


def do_update_staff(actor: Actor, staff: Staff, **changes: Any) -> Staff:
    require_provider_admin(actor, staff.provider_id)
    unknown = set(changes) - STAFF_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a staff member")
    if "hsa_id" in changes:
        changes["hsa_id"] = check_hsa_id(changes["hsa_id"])
        if Staff.objects.exclude(pk=staff.pk).filter(hsa_id=changes["hsa_id"]).exists():
            raise OrganizationError.HSA_ID_TAKEN.error(field="hsa_id")
    for field, label in (("given_name", _("Förnamn")), ("surname", _("Efternamn"))):
        if field in changes:
            changes[field] = check_required_text(changes[field], field=field, label=label, max_length=100)
    if "profession" in changes:
        check_choice(changes["profession"], Profession, field="profession", label=_("yrke"))
    if {"profession", "qualification", "specialist_training_percent"} & set(changes):
        # ORG-8: checked together, since a qualification depends on the profession.
        changes["qualification"], changes["specialist_training_percent"] = check_qualification(
            changes.get("profession", staff.profession),
            changes.get("qualification", staff.qualification),
            changes.get("specialist_training_percent", staff.specialist_training_percent),
        )
    if (
        actor.is_staff
        and staff.pk == actor.staff_id
        and (changes.get("is_provider_admin") is False or changes.get("is_active") is False)
    ):
        raise OrganizationError.CANNOT_DEMOTE_SELF.error(field="is_provider_admin")
    extra = changed_values(staff, changes, without_values=STAFF_IDENTITY_FIELDS)
    with transaction.atomic():
        for field, value in changes.items():
            setattr(staff, field, value)
        if changes:
            staff.save(update_fields=sorted(changes))
        sync_admin_user(staff)
        do_record(actor, AuditEvent.STAFF_UPDATE, staff, extra=extra)
    return staff


def do_create_provider_admin(
    actor: Actor,
    *,
    provider: CareProvider,
    hsa_id: str,
    given_name: str,
    surname: str,
    profession: str,
    username: str,
    email: str = "",
) -> Staff:
    """A provider administrator: a Staff row plus the Django user that opens the admin.

    The user gets no usable password: staff sign in with strong authentication
    (ID-5) through the staff login, which maps the HSA-id to this Staff.
    """
    require_platform(actor)
    hsa_id, given_name, surname, profession = _check_staff_fields(hsa_id, given_name, surname, profession)
    username = check_required_text(username, field="username", label=_("Användarnamn"), max_length=150)
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            raise OrganizationError.USERNAME_TAKEN.error(field="username")
        if Staff.objects.filter(hsa_id=hsa_id).exists():
            raise OrganizationError.HSA_ID_TAKEN.error(field="hsa_id")
        user = user_model.objects.create_user(username=username, email=email, password=None)
        staff = Staff.objects.create(
            provider=provider,
            user=user,
            hsa_id=hsa_id,
            given_name=given_name,
            surname=surname,
            profession=profession,
            is_provider_admin=True,
        )
        sync_admin_user(staff)
        do_record(actor, AuditEvent.STAFF_CREATE_PROVIDER_ADMIN, staff)
    return staff


def do_link_staff_user(actor: Actor, staff: Staff, user: User | None) -> Staff:
    """Connect (or disconnect) the Django user that opens the admin for a staff member.

    Platform only: linking a user hands that user whatever the staff member may
    administer, so a provider administrator must not be able to do it.
    """
    require_platform(actor)
    if user is not None and getattr(user, "is_superuser", False):
        raise OrganizationError.SUPERUSER_LINK.error(field="user")
    if user is not None and Staff.objects.exclude(pk=staff.pk).filter(user=user).exists():
        raise OrganizationError.USER_TAKEN.error(field="user")
    previous = staff.user
    with transaction.atomic():
        staff.user = user
        staff.save(update_fields=["user"])
        if previous is not None and previous != user:
            revoke_admin_access(previous)
        sync_admin_user(staff)
        do_record(actor, AuditEvent.STAFF_LINK_USER, staff)
    return staff


def do_create_platform_admin(actor: Actor, *, username: str, password: str | None) -> User:
    """The platform superuser. Without a password it cannot log in until one is set on purpose."""
    require_platform(actor)
    username = check_required_text(username, field="username", label=_("Användarnamn"), max_length=150)
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            raise OrganizationError.USERNAME_TAKEN.error(field="username")
        user = user_model.objects.create_superuser(username=username, email="", password=password or None)
        do_record(actor, AuditEvent.PLATFORM_ADMIN_CREATE, user)
    return user
