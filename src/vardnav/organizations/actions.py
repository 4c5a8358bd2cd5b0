"""State changes of care providers, units, staff, roles and listings.

Why one module: every change here decides who may act for a provider or a unit,
so each `do_*` checks permission, runs in one transaction and writes its audit
entry in that same transaction (design.md). Views, the Django admin, the demo
loader and tests all come through here; nothing else writes these models.

Who may do what:
- the platform (Actor.system(): set-up, management commands, platform superusers
  in the admin) may do everything;
- a provider administrator (Staff.is_provider_admin) manages their own
  provider's units, staff, roles and listings;
- a unit's head (role unit_admin, verksamhetschef) grants roles at that unit
  (ORG-4) and keeps its public text and e-service activation.
"""

from __future__ import annotations

import html
from typing import Any

import nh3
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from vardnav.audit.actions import do_record
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.core.hsa import HSA_ID_MAX_LENGTH, is_valid_hsa_id, normalize_hsa_id
from vardnav.organizations.models import (
    CareProvider,
    Listing,
    Profession,
    Role,
    RoleGrant,
    ServiceOffering,
    Staff,
    Unit,
    UnitKind,
)
from vardnav.people.models import Person

PROVIDER_ADMIN_GROUP = "Vårdgivaradministratör"

# What a provider administrator may do in the Django admin. Scoping to their own
# provider is the admin classes' job; these only open the doors.
PROVIDER_ADMIN_PERMISSIONS = (
    ("organizations", "view_careprovider"),
    ("organizations", "change_careprovider"),
    ("organizations", "view_unit"),
    ("organizations", "add_unit"),
    ("organizations", "change_unit"),
    ("organizations", "view_staff"),
    ("organizations", "add_staff"),
    ("organizations", "change_staff"),
    ("organizations", "view_rolegrant"),
    ("organizations", "add_rolegrant"),
    ("organizations", "delete_rolegrant"),
    ("organizations", "view_listing"),
    ("organizations", "add_listing"),
    ("people", "view_person"),
    # The catalogue (ORG-2, ORG-3) and integration tokens (CASE-7): catalog/admin.py, integrations/admin.py.
    ("catalog", "view_service"),
    ("catalog", "add_service"),
    ("catalog", "change_service"),
    ("catalog", "view_questionnaire"),
    ("catalog", "add_questionnaire"),
    ("catalog", "change_questionnaire"),
    ("catalog", "view_unitservice"),
    ("catalog", "add_unitservice"),
    ("catalog", "change_unitservice"),
    ("catalog", "delete_unitservice"),
    ("integrations", "view_integrationtoken"),
    ("integrations", "add_integrationtoken"),
    ("integrations", "change_integrationtoken"),
)

OTHER_INFORMATION_MAX_LENGTH = 20_000

UNIT_EDITABLE_FIELDS = frozenset(
    {"name", "slug", "hsa_id", "kind", "street_address", "postal_code", "city", "phone", "opening_hours"}
)
PROVIDER_EDITABLE_FIELDS = frozenset(
    {"name", "organization_number", "support_email", "service_offering", "case_retention_days"}
)
STAFF_EDITABLE_FIELDS = frozenset({"hsa_id", "given_name", "surname", "profession", "is_provider_admin", "is_active"})

# ORG-5: the editor offers headings 2 and 3, bold, italic, lists and links; the
# stored text may hold nothing else. Elements whose content is code or foreign
# documents are removed with their content, not just unwrapped.
_OTHER_INFORMATION_CLEANER = nh3.Cleaner(
    tags={"h2", "h3", "p", "strong", "em", "ul", "ol", "li", "a"},
    clean_content_tags={
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "noscript",
        "noembed",
        "object",
        "embed",
        "template",
        "textarea",
        "select",
        "svg",
        "math",
        "title",
    },
    attributes={"a": {"href", "title"}},
    tag_attribute_values={"a": {"target": {"_blank"}}},
    url_schemes={"http", "https"},
    url_relative="deny",
    # Every kept link gets rel, so a link opening a new window never hands the
    # new page a handle on ours (reverse tabnabbing) nor our address.
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_TEXT_ONLY_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})


# --- permission helpers -------------------------------------------------------


def _is_platform(actor: Actor) -> bool:
    return actor.kind == ActorKind.SYSTEM


def _acting_staff(actor: Actor) -> Staff | None:
    if not actor.is_staff or actor.staff_id is None:
        return None
    return Staff.objects.filter(pk=actor.staff_id, is_active=True).first()


def _is_provider_admin_of(actor: Actor, provider_id: int) -> bool:
    staff = _acting_staff(actor)
    return staff is not None and staff.is_provider_admin and staff.provider_id == provider_id


def _is_unit_admin_of(actor: Actor, unit: Unit) -> bool:
    staff = _acting_staff(actor)
    if staff is None or staff.provider_id != unit.provider_id:
        return False
    return RoleGrant.objects.filter(staff=staff, unit=unit, role=Role.UNIT_ADMIN).exists()


def _require_platform(actor: Actor) -> None:
    if not _is_platform(actor):
        raise PermissionDenied()


def require_provider_admin(actor: Actor, provider_id: int) -> None:
    if _is_platform(actor) or _is_provider_admin_of(actor, provider_id):
        return
    raise PermissionDenied()


def require_unit_admin(actor: Actor, unit: Unit) -> None:
    """ORG-4: the unit's head, or the administrator of its provider."""
    if _is_platform(actor) or _is_provider_admin_of(actor, unit.provider_id) or _is_unit_admin_of(actor, unit):
        return
    raise PermissionDenied("Bara mottagningens verksamhetschef eller vårdgivarens administratör får göra detta.")


def _acting_staff_id(actor: Actor) -> int | None:
    return actor.staff_id if actor.is_staff else None


# --- checks -------------------------------------------------------------------


def check_hsa_id(value: str, *, field: str = "hsa_id") -> str:
    """A valid HSA-id in its stored form, or a DomainError naming `field`."""
    normalized = normalize_hsa_id(value or "")
    if not is_valid_hsa_id(normalized):
        raise DomainError(
            "invalid-hsa-id",
            "Ogiltigt HSA-id. Det ska se ut som SE2321000016-15CQ: SE, tio siffror, bindestreck och "
            f"bokstäver eller siffror utan å, ä, ö eller @ (högst {HSA_ID_MAX_LENGTH} tecken).",
            field=field,
        )
    return normalized


def check_slug(value: str, *, field: str = "slug") -> str:
    slug = slugify(value or "")
    if not slug or len(slug) > 80:
        raise DomainError(
            "invalid-slug", "Ange en kort adress med bokstäver a–z, siffror och bindestreck.", field=field
        )
    return slug


def check_required_text(value: str, *, field: str, label: str, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("required", f"{label} måste fyllas i.", field=field)
    if len(text) > max_length:
        raise DomainError("too-long", f"{label} får vara högst {max_length} tecken.", field=field)
    return text


def check_opening_hours(value: Any, *, field: str = "opening_hours") -> list[dict[str, str]]:
    """Opening hours as a list of {"days", "hours"} rows, the shape the unit page shows."""
    if value in (None, ""):
        return []
    message = 'Öppettiderna ska vara en lista med rader som {"days": "mån–fre", "hours": "08–17"}.'
    if not isinstance(value, list):
        raise DomainError("invalid-opening-hours", message, field=field)
    rows = []
    for row in value:
        if not isinstance(row, dict) or set(row) != {"days", "hours"}:
            raise DomainError("invalid-opening-hours", message, field=field)
        days, hours = row["days"], row["hours"]
        if not isinstance(days, str) or not isinstance(hours, str) or not days.strip() or not hours.strip():
            raise DomainError("invalid-opening-hours", message, field=field)
        rows.append({"days": days.strip()[:60], "hours": hours.strip()[:60]})
    return rows


def check_retention_days(value: Any, *, field: str = "case_retention_days") -> int:
    """CASE-8: how long closed cases are kept; at least 30 days, at most 10 years."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 30 <= days <= 3650:
        raise DomainError(
            code="invalid-retention", message="Gallringstiden måste vara 30–3650 dagar.", field=field, status=422
        )
    return days


def check_choice(value: str, choices: type, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError("invalid-choice", f"Ogiltigt val av {label}.", field=field)
    return value


def sanitize_other_information(raw_html: str) -> str:
    """ORG-5: keep only the editor's allow-list; text without visible words becomes "".

    Why the emptiness test looks at text and not at the markup: an editor
    leaves "<p><br></p>" or "<p>&nbsp;</p>" behind when everything is deleted,
    and the page must then hide the heading, not show an empty section.
    """
    cleaned = _OTHER_INFORMATION_CLEANER.clean(raw_html or "").strip()
    visible_text = html.unescape(_TEXT_ONLY_CLEANER.clean(cleaned))
    if not visible_text.strip():
        return ""
    return cleaned


# --- care providers -----------------------------------------------------------


def do_create_provider(
    actor: Actor,
    *,
    name: str,
    slug: str,
    service_offering: str = ServiceOffering.PER_UNIT,
    organization_number: str = "",
    support_email: str = "",
) -> CareProvider:
    _require_platform(actor)
    name = check_required_text(name, field="name", label="Namn")
    slug = check_slug(slug)
    service_offering = check_choice(service_offering, ServiceOffering, field="service_offering", label="policy")
    with transaction.atomic():
        if CareProvider.objects.filter(slug=slug).exists():
            raise DomainError("slug-taken", "Adressen används redan av en annan vårdgivare.", field="slug")
        provider = CareProvider.objects.create(
            name=name,
            slug=slug,
            service_offering=service_offering,
            organization_number=organization_number.strip(),
            support_email=support_email.strip(),
        )
        do_record(actor, "provider.create", object_type="care_provider", object_id=provider.pk)
    return provider


def do_update_provider(actor: Actor, provider: CareProvider, **changes: Any) -> CareProvider:
    require_provider_admin(actor, provider.pk)
    unknown = set(changes) - PROVIDER_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a care provider")
    if "name" in changes:
        changes["name"] = check_required_text(changes["name"], field="name", label="Namn")
    if "service_offering" in changes:
        check_choice(changes["service_offering"], ServiceOffering, field="service_offering", label="policy")
    if "case_retention_days" in changes:
        changes["case_retention_days"] = check_retention_days(changes["case_retention_days"])
    for field, value in changes.items():
        setattr(provider, field, value)
    with transaction.atomic():
        if changes:
            provider.save(update_fields=sorted(changes))
        do_record(actor, "provider.update", object_type="care_provider", object_id=provider.pk)
    return provider


# --- units ----------------------------------------------------------------------


def do_create_unit(
    actor: Actor,
    *,
    provider: CareProvider,
    name: str,
    slug: str,
    hsa_id: str,
    kind: str,
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
    phone: str = "",
    opening_hours: list[dict[str, str]] | None = None,
) -> Unit:
    require_provider_admin(actor, provider.pk)
    name = check_required_text(name, field="name", label="Namn")
    slug = check_slug(slug)
    hsa_id = check_hsa_id(hsa_id)
    kind = check_choice(kind, UnitKind, field="kind", label="typ av mottagning")
    hours = check_opening_hours(opening_hours)
    try:
        with transaction.atomic():
            _refuse_taken_unit_keys(slug=slug, hsa_id=hsa_id)
            unit = Unit.objects.create(
                provider=provider,
                name=name,
                slug=slug,
                hsa_id=hsa_id,
                kind=kind,
                street_address=street_address.strip(),
                postal_code=postal_code.strip(),
                city=city.strip(),
                phone=phone.strip(),
                opening_hours=hours,
            )
            do_record(actor, "unit.create", object_type="unit", object_id=unit.pk, unit_id=unit.pk)
    except IntegrityError:
        # A concurrent create took the slug or HSA-id between our check and insert.
        raise DomainError("unit-taken", "Mottagningen finns redan.", field="hsa_id")
    return unit


def _refuse_taken_unit_keys(*, slug: str, hsa_id: str, exclude_pk: int | None = None) -> None:
    others = Unit.objects.exclude(pk=exclude_pk) if exclude_pk else Unit.objects.all()
    if others.filter(slug=slug).exists():
        raise DomainError("slug-taken", "Adressen används redan av en annan mottagning.", field="slug")
    if others.filter(hsa_id=hsa_id).exists():
        raise DomainError("hsa-id-taken", "HSA-id:t används redan av en annan mottagning.", field="hsa_id")


def do_update_unit(actor: Actor, unit: Unit, **changes: Any) -> Unit:
    """Change a unit's description; its provider never changes (that would move its residents)."""
    require_unit_admin(actor, unit)
    unknown = set(changes) - UNIT_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a unit")
    if "name" in changes:
        changes["name"] = check_required_text(changes["name"], field="name", label="Namn")
    if "slug" in changes:
        changes["slug"] = check_slug(changes["slug"])
    if "hsa_id" in changes:
        changes["hsa_id"] = check_hsa_id(changes["hsa_id"])
    if "kind" in changes:
        check_choice(changes["kind"], UnitKind, field="kind", label="typ av mottagning")
    if "opening_hours" in changes:
        changes["opening_hours"] = check_opening_hours(changes["opening_hours"])
    for field in ("street_address", "postal_code", "city", "phone"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    with transaction.atomic():
        _refuse_taken_unit_keys(
            slug=changes.get("slug", unit.slug), hsa_id=changes.get("hsa_id", unit.hsa_id), exclude_pk=unit.pk
        )
        for field, value in changes.items():
            setattr(unit, field, value)
        if changes:
            unit.save(update_fields=sorted(changes))
        do_record(actor, "unit.update", object_type="unit", object_id=unit.pk, unit_id=unit.pk)
    return unit


def do_activate_eservices(actor: Actor, unit: Unit) -> Unit:
    """ORG-1: a unit is connected with its HSA-id, free of charge.

    The stored HSA-id is checked again because rows written before validation
    existed (or by hand in the database) must not slip through; there is
    deliberately no fee, price or contract field anywhere on the way.
    """
    require_unit_admin(actor, unit)
    check_hsa_id(unit.hsa_id)
    if unit.eservices_active:
        return unit
    with transaction.atomic():
        unit.eservices_active = True
        unit.eservices_activated_at = clock.now()
        unit.save(update_fields=["eservices_active", "eservices_activated_at"])
        do_record(actor, "unit.eservices_activate", object_type="unit", object_id=unit.pk, unit_id=unit.pk)
    return unit


def do_deactivate_eservices(actor: Actor, unit: Unit) -> Unit:
    """Turn e-services off; the activation time stays as history of when it was last switched on."""
    require_unit_admin(actor, unit)
    if not unit.eservices_active:
        return unit
    with transaction.atomic():
        unit.eservices_active = False
        unit.save(update_fields=["eservices_active"])
        do_record(actor, "unit.eservices_deactivate", object_type="unit", object_id=unit.pk, unit_id=unit.pk)
    return unit


def do_set_other_information(actor: Actor, unit: Unit, raw_html: str) -> Unit:
    """ORG-5: store the unit's "Övrig information", sanitised once on the way in."""
    require_unit_admin(actor, unit)
    if len(raw_html or "") > OTHER_INFORMATION_MAX_LENGTH:
        raise DomainError(
            "too-long",
            f"Texten får vara högst {OTHER_INFORMATION_MAX_LENGTH} tecken.",
            field="other_information_html",
        )
    cleaned = sanitize_other_information(raw_html)
    with transaction.atomic():
        unit.other_information_html = cleaned
        unit.save(update_fields=["other_information_html"])
        do_record(actor, "unit.other_information_set", object_type="unit", object_id=unit.pk, unit_id=unit.pk)
    return unit


# --- staff ----------------------------------------------------------------------


def _ensure_provider_admin_group() -> Group:
    """The Django group whose permissions let a provider administrator into the admin.

    Made here rather than in a data migration because model permissions only
    exist after migrate's post_migrate step has run.
    """
    group, _ = Group.objects.get_or_create(name=PROVIDER_ADMIN_GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PROVIDER_ADMIN_PERMISSIONS
    ]
    group.permissions.add(*wanted)
    return group


def _sync_admin_user(staff: Staff) -> None:
    """Keep the linked Django user's admin access in step with is_provider_admin."""
    if staff.user_id is None:
        return
    user = staff.user
    group = _ensure_provider_admin_group()
    if staff.is_provider_admin and staff.is_active:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    else:
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])


def _check_staff_fields(hsa_id: str, given_name: str, surname: str, profession: str) -> tuple[str, str, str, str]:
    return (
        check_hsa_id(hsa_id),
        check_required_text(given_name, field="given_name", label="Förnamn", max_length=100),
        check_required_text(surname, field="surname", label="Efternamn", max_length=100),
        check_choice(profession, Profession, field="profession", label="yrke"),
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
                raise DomainError("hsa-id-taken", "HSA-id:t tillhör redan en medarbetare.", field="hsa_id")
            staff = Staff.objects.create(
                provider=provider,
                hsa_id=hsa_id,
                given_name=given_name,
                surname=surname,
                profession=profession,
                is_provider_admin=is_provider_admin,
            )
            do_record(actor, "staff.create", object_type="staff", object_id=staff.pk)
    except IntegrityError:
        raise DomainError("hsa-id-taken", "HSA-id:t tillhör redan en medarbetare.", field="hsa_id")
    return staff


def do_update_staff(actor: Actor, staff: Staff, **changes: Any) -> Staff:
    require_provider_admin(actor, staff.provider_id)
    unknown = set(changes) - STAFF_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a staff member")
    if "hsa_id" in changes:
        changes["hsa_id"] = check_hsa_id(changes["hsa_id"])
        if Staff.objects.exclude(pk=staff.pk).filter(hsa_id=changes["hsa_id"]).exists():
            raise DomainError("hsa-id-taken", "HSA-id:t tillhör redan en medarbetare.", field="hsa_id")
    for field, label in (("given_name", "Förnamn"), ("surname", "Efternamn")):
        if field in changes:
            changes[field] = check_required_text(changes[field], field=field, label=label, max_length=100)
    if "profession" in changes:
        check_choice(changes["profession"], Profession, field="profession", label="yrke")
    if staff.pk == _acting_staff_id(actor) and (
        changes.get("is_provider_admin") is False or changes.get("is_active") is False
    ):
        raise DomainError(
            "cannot-demote-self", "Du kan inte ta bort din egen administratörsbehörighet.", field="is_provider_admin"
        )
    with transaction.atomic():
        for field, value in changes.items():
            setattr(staff, field, value)
        if changes:
            staff.save(update_fields=sorted(changes))
        _sync_admin_user(staff)
        do_record(actor, "staff.update", object_type="staff", object_id=staff.pk)
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
    _require_platform(actor)
    hsa_id, given_name, surname, profession = _check_staff_fields(hsa_id, given_name, surname, profession)
    username = check_required_text(username, field="username", label="Användarnamn", max_length=150)
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            raise DomainError("username-taken", "Användarnamnet är upptaget.", field="username")
        if Staff.objects.filter(hsa_id=hsa_id).exists():
            raise DomainError("hsa-id-taken", "HSA-id:t tillhör redan en medarbetare.", field="hsa_id")
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
        _sync_admin_user(staff)
        do_record(actor, "staff.create_provider_admin", object_type="staff", object_id=staff.pk)
    return staff


def do_link_staff_user(actor: Actor, staff: Staff, user: AbstractBaseUser | None) -> Staff:
    """Connect (or disconnect) the Django user that opens the admin for a staff member.

    Platform only: linking a user hands that user whatever the staff member may
    administer, so a provider administrator must not be able to do it.
    """
    _require_platform(actor)
    if user is not None and getattr(user, "is_superuser", False):
        raise DomainError(
            "superuser-link", "En plattformsadministratör kan inte kopplas till en medarbetare.", field="user"
        )
    if user is not None and Staff.objects.exclude(pk=staff.pk).filter(user=user).exists():
        raise DomainError("user-taken", "Användaren är redan kopplad till en annan medarbetare.", field="user")
    previous = staff.user
    with transaction.atomic():
        staff.user = user
        staff.save(update_fields=["user"])
        if previous is not None and previous != user:
            _ensure_provider_admin_group().user_set.remove(previous)
            if previous.is_staff and not previous.is_superuser:
                previous.is_staff = False
                previous.save(update_fields=["is_staff"])
        _sync_admin_user(staff)
        do_record(actor, "staff.link_user", object_type="staff", object_id=staff.pk)
    return staff


def do_create_platform_admin(actor: Actor, *, username: str, password: str | None) -> AbstractBaseUser:
    """The platform superuser. Without a password it cannot log in until one is set on purpose."""
    _require_platform(actor)
    username = check_required_text(username, field="username", label="Användarnamn", max_length=150)
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            raise DomainError("username-taken", "Användarnamnet är upptaget.", field="username")
        user = user_model.objects.create_superuser(username=username, email="", password=password or None)
        do_record(actor, "platform_admin.create", object_type="user", object_id=user.pk)
    return user


# --- roles (ORG-4) -------------------------------------------------------------------


def do_grant_role(actor: Actor, *, staff: Staff, unit: Unit, role: str) -> RoleGrant:
    """ORG-4: the unit's head (or the provider's administrator) assigns roles at the unit.

    Granting a role that is already held changes nothing and writes nothing.
    """
    require_unit_admin(actor, unit)
    check_choice(role, Role, field="role", label="roll")
    if staff.provider_id != unit.provider_id:
        raise DomainError(
            "other-provider",
            "Medarbetaren hör till en annan vårdgivare och kan inte få en roll på den här mottagningen.",
            field="staff",
        )
    if not staff.is_active:
        raise DomainError("inactive-staff", "Medarbetaren är inte aktiv.", field="staff")
    existing = RoleGrant.objects.filter(staff=staff, unit=unit, role=role).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                staff=staff, unit=unit, role=role, granted_by_id=_acting_staff_id(actor), granted_at=clock.now()
            )
            do_record(actor, f"role.grant.{role}", object_type="staff", object_id=staff.pk, unit_id=unit.pk)
    except IntegrityError:
        # The same grant made at the same moment by someone else.
        return RoleGrant.objects.get(staff=staff, unit=unit, role=role)
    return grant


def do_revoke_role(actor: Actor, grant: RoleGrant) -> None:
    unit = grant.unit
    require_unit_admin(actor, unit)
    if (
        grant.staff_id == _acting_staff_id(actor)
        and grant.role == Role.UNIT_ADMIN
        and not _is_provider_admin_of(actor, unit.provider_id)
    ):
        raise DomainError(
            "cannot-revoke-own-admin", "Du kan inte ta bort din egen roll som verksamhetschef.", field="role"
        )
    with transaction.atomic():
        staff_id, role = grant.staff_id, grant.role
        grant.delete()
        do_record(actor, f"role.revoke.{role}", object_type="staff", object_id=staff_id, unit_id=unit.pk)


# --- listings -------------------------------------------------------------------------


def _may_list(actor: Actor, person: Person, unit: Unit) -> bool:
    if _is_platform(actor):
        return True
    if actor.is_resident and actor.subject_person_id == person.pk:
        return True
    return _is_provider_admin_of(actor, unit.provider_id)


def do_list_person(actor: Actor, person: Person, unit: Unit) -> Listing:
    """List a resident at a primary-care unit (vårdcentral), ending the previous listing.

    Listing at the unit where the person is already listed changes nothing.
    """
    if not _may_list(actor, person, unit):
        raise PermissionDenied()
    if unit.kind != UnitKind.PRIMARY_CARE:
        raise DomainError("not-primary-care", "Man kan bara lista sig på en vårdcentral.", field="unit")
    with transaction.atomic():
        # Lock the person's listings so two simultaneous listings cannot both end the old one.
        current = Listing.objects.select_for_update().filter(person=person, ended_at__isnull=True).first()
        if current is not None and current.unit_id == unit.pk:
            return current
        now = clock.now()
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        listing = Listing.objects.create(person=person, unit=unit, listed_at=now)
        do_record(
            actor,
            "listing.create",
            object_type="listing",
            object_id=listing.pk,
            subject_person_id=person.pk,
            unit_id=unit.pk,
        )
    return listing
