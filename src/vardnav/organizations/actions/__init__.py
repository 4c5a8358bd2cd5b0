"""State changes of care providers, units, staff, roles and listings, one module per noun.

Every change here decides who may act for a provider or a unit, so each
`do_*` checks permission (organizations.access), runs in one transaction and
writes its audit entry in that same transaction. Views, the Django admin, the
demo loader and tests all come through here; nothing else writes these models.

Who may do what:
- the platform (Actor.system(): set-up, management commands, platform superusers
  in the admin) may do everything;
- a provider administrator (Staff.is_provider_admin) manages their own
  provider's units, staff, roles and listings;
- a unit's head (role unit_admin, verksamhetschef) grants roles at that unit
  (ORG-4) and keeps its public text and e-service activation.
"""

# TEMPORARY: removed at merge. Re-exports only the names that modules being
# restructured in parallel (cases, attachments, notifications and demo) still
# import from here; everything else imports from the noun's module.
from vardnav.organizations.actions.listings import do_list_person  # noqa: F401
from vardnav.organizations.actions.providers import do_create_provider, do_update_provider  # noqa: F401
from vardnav.organizations.actions.roles import do_grant_role  # noqa: F401
from vardnav.organizations.actions.staff import (  # noqa: F401
    do_create_platform_admin,
    do_create_provider_admin,
    do_create_staff,
    do_link_staff_user,
)
from vardnav.organizations.actions.units import (  # noqa: F401
    do_activate_eservices,
    do_create_unit,
    do_set_other_information,
)
