"""Organizations' refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class OrganizationError(ErrorCode):
    UNIT_NOT_FOUND = ("unit-not-found", 404, _("Mottagningen finns inte."))
    STAFF_NOT_FOUND = ("staff-not-found", 404, _("Medarbetaren finns inte."))
    INVALID_QUALIFICATION = (
        "invalid-qualification",
        400,
        _("Välj specialist, under specialistutbildning eller annan."),
    )
    QUALIFICATION_NEEDS_DOCTOR = (
        "qualification-needs-doctor",
        400,
        _("Bara läkare kan vara specialister eller under specialistutbildning."),
    )
    INVALID_TRAINING_PERCENT = (
        "invalid-training-percent",
        400,
        _("Ange hur stor del av specialistutbildningen som är klar, 0–100 procent."),
    )
    UNIT_ADMIN_REQUIRED = (
        "unit-admin-required",
        403,
        _("Bara mottagningens verksamhetschef eller vårdgivarens administratör får göra detta."),
    )
    NOT_PRIMARY_CARE = ("not-primary-care", 400, _("Man kan bara lista sig på en vårdcentral."))
    SLUG_TAKEN = ("slug-taken", 400, _("Adressen används redan av en annan vårdgivare eller mottagning."))
    OTHER_PROVIDER = (
        "other-provider",
        400,
        _("Medarbetaren hör till en annan vårdgivare och kan inte få en roll på den här mottagningen."),
    )
    INACTIVE_STAFF = ("inactive-staff", 400, _("Medarbetaren är inte aktiv."))
    CANNOT_REVOKE_OWN_ADMIN = (
        "cannot-revoke-own-admin",
        400,
        _("Du kan inte ta bort din egen roll som verksamhetschef."),
    )
    HSA_ID_TAKEN = ("hsa-id-taken", 400, _("HSA-id:t används redan av en annan medarbetare eller mottagning."))
    CANNOT_DEMOTE_SELF = (
        "cannot-demote-self",
        400,
        _("Du kan inte ta bort din egen administratörsbehörighet."),
    )
    USERNAME_TAKEN = ("username-taken", 400, _("Användarnamnet är upptaget."))
    SUPERUSER_LINK = (
        "superuser-link",
        400,
        _("En plattformsadministratör kan inte kopplas till en medarbetare."),
    )
    USER_TAKEN = ("user-taken", 400, _("Användaren är redan kopplad till en annan medarbetare."))
    UNIT_TAKEN = ("unit-taken", 400, _("Mottagningen finns redan."))
    TOO_LONG = ("too-long", 400, _("%(label)s får vara högst %(limit)s tecken."))
    REQUIRED = ("required", 400, _("%(label)s måste fyllas i."))
    NOT_DELETABLE = ("not-deletable", 400, _("Det här kan inte tas bort."))
    INVALID_HSA_ID = (
        "invalid-hsa-id",
        400,
        _(
            "Ogiltigt HSA-id. Det ska se ut som SE2321000016-15CQ: SE, tio siffror, bindestreck och "
            "bokstäver eller siffror utan å, ä, ö eller @ (högst %(limit)s tecken)."
        ),
    )
    INVALID_SLUG = ("invalid-slug", 400, _("Ange en kort adress med bokstäver a–z, siffror och bindestreck."))
    INVALID_OPENING_HOURS = (
        "invalid-opening-hours",
        400,
        _('Öppettiderna ska vara en lista med rader som {"days": "mån–fre", "hours": "08–17"}.'),
    )
    INVALID_RETENTION = ("invalid-retention", 422, _("Gallringstiden måste vara 30–3650 dagar."))
    INVALID_CHOICE = ("invalid-choice", 400, _("Ogiltigt val av %(label)s."))
    LISTING_NOT_FOUND = ("listing-not-found", 404, _("Listningen finns inte."))
