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
