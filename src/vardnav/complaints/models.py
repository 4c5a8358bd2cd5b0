"""What the complaints app keeps beside the cases: the provider's placement choice and the board's unit decisions.

A complaint itself is a case (cases.Case of the complaint service, CMP-1); its
category and whether it concerns a whole care process are flags on the case
(hooks.py). Two facts have no place there:

- ComplaintPolicy (CMP-5): whether the provider shows the complaint service on
  each connected unit's page. Without a row: not shown.
- UnitAssignment (CMP-2): a complaint sent to the patient board names a place
  in free text; the board later sets the unit it concerns by HSA-id, so the
  follow-up counts it for the right unit. The case stays in the board's inbox.
"""

from __future__ import annotations

from django.db import models


class ComplaintPolicy(models.Model):
    provider = models.OneToOneField(
        "organizations.CareProvider", on_delete=models.CASCADE, related_name="complaint_policy"
    )
    show_on_unit_pages = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "placering av synpunktstjänsten"
        verbose_name_plural = "placeringar av synpunktstjänsten"

    def __str__(self) -> str:
        return f"ComplaintPolicy {self.provider_id}"


class UnitAssignment(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="complaint_assignment")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = "mottagning för synpunkt"
        verbose_name_plural = "mottagningar för synpunkter"

    def __str__(self) -> str:
        return f"UnitAssignment {self.case_id}"
