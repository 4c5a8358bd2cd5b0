"""Keeping a staff member's Django user in step with their provider-admin flag.

Why its own module: a provider administrator reaches the Django admin through
an ordinary Django user in one group; whether that user is let in follows from
Staff.is_provider_admin and Staff.is_active. The staff actions call these
helpers inside their own transaction, so the user, the group and the audit
entry change together; nothing else should call them.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission, User

from vardnav.organizations.models import Staff

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
    # Bookings (BOOK-1, BOOK-3): bookings/admin.py.
    ("bookings", "view_visittype"),
    ("bookings", "add_visittype"),
    ("bookings", "change_visittype"),
    ("bookings", "view_unitbookingsettings"),
    ("bookings", "add_unitbookingsettings"),
    ("bookings", "change_unitbookingsettings"),
    ("bookings", "view_cancellationpolicy"),
    ("bookings", "add_cancellationpolicy"),
    ("bookings", "change_cancellationpolicy"),
)


def ensure_provider_admin_group() -> Group:
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


def sync_admin_user(staff: Staff) -> None:
    """Keep the linked Django user's admin access in step with is_provider_admin."""
    user = staff.user
    if user is None:
        return
    if staff.is_provider_admin and staff.is_active:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(ensure_provider_admin_group())
    else:
        revoke_admin_access(user)


def revoke_admin_access(user: User) -> None:
    """Take a (former) staff member's user out of the admin; a platform superuser keeps theirs."""
    ensure_provider_admin_group().user_set.remove(user)
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
