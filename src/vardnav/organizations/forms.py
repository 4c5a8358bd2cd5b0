"""Forms of the staff settings area (issue 11, item 13).

Why lenient fields: the `do_*` actions are the one validator (who may, and what
is valid); these forms render labelled controls and carry an action's
DomainError to the field it names (core.forms.apply_domain_error), as every
other form of the product does.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.catalog.builder import BUILDER_TYPES
from vardnav.catalog.models import ServiceSex
from vardnav.organizations.actions.units import OTHER_INFORMATION_MAX_LENGTH
from vardnav.organizations.models import Profession, Qualification, Role, ServiceOffering, UnitKind

OPENING_HOURS_ROWS = 7
OPENING_HOURS_FIELD_LENGTH = 60

ROLE_LABELS = [
    (Role.RECEIVER.value, _("Ärendemottagare – läser mottagningens ärenden och fördelar dem")),
    (Role.HANDLER.value, _("Ärendehanterare – handlägger ärenden som fördelats till hen")),
    (Role.UNIT_ADMIN.value, _("Verksamhetschef – ger roller och sköter mottagningens inställningar")),
    (
        Role.BOOKING_ADMIN.value,
        _("Tidbokningsansvarig – publicerar och blockerar tider, bokar och avbokar åt invånare"),
    ),
]
SERVICE_OFFERING_LABELS = [
    (ServiceOffering.PER_UNIT.value, _("Varje mottagning väljer sina e-tjänster")),
    (ServiceOffering.PROVIDER_WIDE.value, _("Samma e-tjänster på alla mottagningar")),
]
NARCOTICS_LABELS = [
    ("refuse", _("Förnyas inte via e-tjänsten: invånaren får beskedet direkt")),
    ("allow_with_flag", _("Tas emot och flaggas för förskrivaren, som bedömer")),
]
ITEM_TYPE_LABELS = {
    "string": _("Kort text"),
    "text": _("Lång text"),
    "boolean": _("Ja/nej"),
    "choice": _("Val bland alternativ"),
    "date": _("Datum"),
    "integer": _("Heltal"),
    "decimal": _("Tal"),
    "phone": _("Telefonnummer"),
    "display": _("Informationstext (ingen fråga)"),
}


class SettingsForm(forms.Form):
    """A settings form: no colon after labels, ids prefixed so a page can hold several forms."""

    id_prefix = "settings"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class GrantRoleForm(SettingsForm):
    """ORG-4: give a staff member of the provider a role at the unit."""

    id_prefix = "grant"
    staff = forms.ChoiceField(label=_("Medarbetare"), required=False)
    role = forms.ChoiceField(label=_("Roll"), choices=ROLE_LABELS, required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, staff_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["staff"]).choices = [("", _("Välj medarbetare")), *staff_choices]


class OtherInformationForm(SettingsForm):
    """ORG-5: the unit's "Övrig information". Without JavaScript a plain text area of HTML-free text works too."""

    id_prefix = "info"
    other_information_html = forms.CharField(
        label=_("Övrig information"),
        required=False,
        strip=False,
        max_length=OTHER_INFORMATION_MAX_LENGTH,
        help_text=_(
            "Visas längst ner på mottagningens sida. Rubriker, fetstil, kursiv, listor och länkar behålls; "
            "allt annat tas bort när texten sparas. Lämna tomt för att inte visa avsnittet."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-text": ""}),
    )


class OpeningHoursForm(SettingsForm):
    """Opening hours as up to seven rows of days and hours ("mån–fre", "08–17"), as the unit page shows them."""

    id_prefix = "hours"

    def __init__(self, *args: Any, rows: list[dict[str, str]] | None = None, **kwargs: Any) -> None:
        if rows is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                f"{key}_{index}": row[key] for index, row in enumerate(rows) for key in ("days", "hours")
            }
        super().__init__(*args, **kwargs)
        for index in range(OPENING_HOURS_ROWS):
            self.fields[f"days_{index}"] = forms.CharField(
                label=_("Dagar, rad %(row)s") % {"row": index + 1},
                required=False,
                max_length=OPENING_HOURS_FIELD_LENGTH,
                widget=forms.TextInput(attrs={"placeholder": _("mån–fre")}),
            )
            self.fields[f"hours_{index}"] = forms.CharField(
                label=_("Tider, rad %(row)s") % {"row": index + 1},
                required=False,
                max_length=OPENING_HOURS_FIELD_LENGTH,
                widget=forms.TextInput(attrs={"placeholder": _("08–17")}),
            )

    def pairs(self) -> list[tuple[Any, Any]]:
        return [(self[f"days_{index}"], self[f"hours_{index}"]) for index in range(OPENING_HOURS_ROWS)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for index in range(OPENING_HOURS_ROWS):
            days = (cleaned.get(f"days_{index}") or "").strip()
            hours = (cleaned.get(f"hours_{index}") or "").strip()
            if days and not hours:
                self.add_error(
                    f"hours_{index}", _("Skriv tiderna för ”%(days)s”, till exempel 08–17.") % {"days": days}
                )
            if hours and not days:
                self.add_error(f"days_{index}", _("Skriv vilka dagar tiderna gäller, till exempel mån–fre."))
        return cleaned

    def rows(self) -> list[dict[str, str]]:
        result = []
        for index in range(OPENING_HOURS_ROWS):
            days = self.cleaned_data.get(f"days_{index}", "").strip()
            hours = self.cleaned_data.get(f"hours_{index}", "").strip()
            if days and hours:
                result.append({"days": days, "hours": hours})
        return result


class UnitServicesForm(SettingsForm):
    """ORG-2 and ATT-4: which of the provider's e-services the unit offers, and where files may be attached."""

    id_prefix = "services"
    offered = forms.MultipleChoiceField(
        label=_("E-tjänster som mottagningen erbjuder"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = forms.MultipleChoiceField(
        label=_("E-tjänster där invånaren får bifoga filer"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, service_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["offered"]).choices = service_choices
        cast(forms.ChoiceField, self.fields["attachments"]).choices = service_choices


class ProviderPoliciesForm(SettingsForm):
    """The provider's policies: how e-services are offered (ORG-2), how long closed cases are kept (CASE-8),
    and whether narcotic-classified medicines may be renewed (RX-5)."""

    id_prefix = "policies"
    service_offering = forms.ChoiceField(
        label=_("E-tjänster på mottagningarna"),
        choices=SERVICE_OFFERING_LABELS,
        required=False,
        widget=forms.RadioSelect,
    )
    case_retention_days = forms.CharField(
        label=_("Gallring av avslutade ärenden, efter antal dagar"),
        help_text=_("30–3650 dagar."),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--short"}),
    )
    narcotics = forms.ChoiceField(
        label=_("Förnyelse av narkotikaklassade läkemedel"),
        choices=NARCOTICS_LABELS,
        required=False,
        widget=forms.RadioSelect,
    )


HANDLING_TIME_UNIT_LABELS = [("working_days", _("Arbetsdagar")), ("hours", _("Timmar"))]
SERVICE_SEX_LABELS = [
    (ServiceSex.ANY.value, _("Alla")),
    (ServiceSex.FEMALE.value, _("Bara kvinnor och flickor")),
    (ServiceSex.MALE.value, _("Bara män och pojkar")),
]
_SHORT_NUMBER = {"inputmode": "numeric", "autocomplete": "off", "class": "input--short"}


class ServiceDetailsForm(SettingsForm):
    """An e-service's details (issue 11, items 4 and 13): name, description, handling time and who may use it."""

    id_prefix = "service"
    name = forms.CharField(label=_("Namn"), required=False, max_length=120)
    description = forms.CharField(
        label=_("Beskrivning (frivilligt)"),
        help_text=_("Första raden visas i listan över e-tjänster."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    handling_time_value = forms.CharField(
        label=_("Svar inom"), required=False, widget=forms.TextInput(attrs=_SHORT_NUMBER)
    )
    handling_time_unit = forms.ChoiceField(
        label=_("Enhet för svarstiden"), choices=HANDLING_TIME_UNIT_LABELS, required=False, widget=forms.RadioSelect
    )
    min_age = forms.CharField(
        label=_("Lägsta ålder (frivilligt)"),
        help_text=_("I hela år. Yngre invånare ser varför e-tjänsten inte är för dem innan de skriver något."),
        required=False,
        widget=forms.TextInput(attrs=_SHORT_NUMBER),
    )
    max_age = forms.CharField(
        label=_("Högsta ålder (frivilligt)"),
        help_text=_("I hela år; den som har fyllt åldern får använda e-tjänsten."),
        required=False,
        widget=forms.TextInput(attrs=_SHORT_NUMBER),
    )
    sex = forms.ChoiceField(
        label=_("Vem e-tjänsten är för"),
        help_text=_("Kön läses ur personnumret."),
        choices=SERVICE_SEX_LABELS,
        required=False,
        widget=forms.RadioSelect,
    )


ROUTED_ROLE_LABELS = [
    (Role.RECEIVER.value, _("Ärendemottagarna, som fördelar ärendet")),
    (Role.HANDLER.value, _("Direkt till ärendehanterarna på mottagningen")),
]


class NewServiceForm(ServiceDetailsForm):
    """A new e-service of the provider (issue 11, item 13): its kind, then the same details as ServiceDetailsForm."""

    id_prefix = "newservice"
    field_order = [
        "kind",
        "name",
        "description",
        "handling_time_value",
        "handling_time_unit",
        "routed_role",
        "listing_bound",
        "min_age",
        "max_age",
        "sex",
    ]
    kind = forms.ChoiceField(
        label=_("Typ av e-tjänst"),
        help_text=_("Vårdgivaren kan ha en e-tjänst av varje typ."),
        required=False,
    )
    routed_role = forms.ChoiceField(
        label=_("Nya ärenden går till"),
        choices=ROUTED_ROLE_LABELS,
        required=False,
        widget=forms.RadioSelect,
    )
    listing_bound = forms.BooleanField(
        label=_("Går till vårdcentralen där invånaren är listad"),
        help_text=_("Annars väljer invånaren bland mottagningarna som erbjuder e-tjänsten."),
        required=False,
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("Lämna tomt för att använda typens namn.")
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("Välj typ av e-tjänst")), *kinds]


class NewStaffForm(SettingsForm):
    """A new staff member of the provider (the HSA-id is what their SITHS login carries)."""

    id_prefix = "staff"
    given_name = forms.CharField(label=_("Förnamn"), required=False, max_length=100)
    surname = forms.CharField(label=_("Efternamn"), required=False, max_length=100)
    hsa_id = forms.CharField(
        label=_("HSA-id"),
        help_text=_("Medarbetarens personliga HSA-id, till exempel SE2321000016-ABCD."),
        required=False,
        max_length=31,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    profession = forms.ChoiceField(label=_("Yrke"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["profession"]).choices = [("", _("Välj yrke")), *Profession.choices]


class UnitDetailsForm(SettingsForm):
    """The unit's name, HSA-id, web address, kind, address and phone as its public page shows them."""

    id_prefix = "details"
    name = forms.CharField(label=_("Mottagningens namn"), required=False, max_length=200)
    hsa_id = forms.CharField(
        label=_("HSA-id"),
        help_text=_(
            "Mottagningens HSA-id i HSA-katalogen, till exempel SE2321000016-ABCD. E-tjänsterna kopplas till det."
        ),
        required=False,
        max_length=31,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    slug = forms.CharField(
        label=_("Webbadress"),
        help_text=_("Sista delen av adressen till mottagningens sida: små bokstäver, siffror och bindestreck."),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(label=_("Typ av mottagning"), choices=UnitKind.choices, required=False)
    street_address = forms.CharField(label=_("Gatuadress (frivilligt)"), required=False, max_length=200)
    postal_code = forms.CharField(label=_("Postnummer (frivilligt)"), required=False, max_length=6)
    city = forms.CharField(label=_("Ort (frivilligt)"), required=False, max_length=100)
    phone = forms.CharField(label=_("Telefon (frivilligt)"), required=False, max_length=30)


class NewUnitForm(SettingsForm):
    """A new unit of the provider; e-services are switched on with its HSA-id (ORG-1), free of charge."""

    id_prefix = "unit"
    name = forms.CharField(label=_("Mottagningens namn"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Typ av mottagning"), required=False)
    hsa_id = forms.CharField(
        label=_("Mottagningens HSA-id"),
        help_text=_("Till exempel SE2321000016-ABC1."),
        required=False,
        max_length=31,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    slug = forms.CharField(
        label=_("Adress på webben (frivilligt)"),
        help_text=_("Små bokstäver och bindestreck. Lämna tomt för att skapa den av namnet."),
        required=False,
        max_length=80,
    )
    street_address = forms.CharField(label=_("Gatuadress (frivilligt)"), required=False, max_length=200)
    postal_code = forms.CharField(label=_("Postnummer (frivilligt)"), required=False, max_length=6)
    city = forms.CharField(label=_("Ort (frivilligt)"), required=False, max_length=100)
    phone = forms.CharField(label=_("Telefon (frivilligt)"), required=False, max_length=30)
    activate = forms.BooleanField(label=_("Starta e-tjänsterna på mottagningen nu"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("Välj typ")), *UnitKind.choices]


class QuestionnaireTitleForm(SettingsForm):
    id_prefix = "title"
    title = forms.CharField(label=_("Formulärets rubrik"), required=False, max_length=200)


class ItemForm(SettingsForm):
    """One question of the builder (catalog.builder.ItemSpec)."""

    id_prefix = "item"
    type = forms.ChoiceField(
        label=_("Sorts fråga"),
        choices=[(kind, ITEM_TYPE_LABELS[kind]) for kind in BUILDER_TYPES],
        required=False,
    )
    text = forms.CharField(label=_("Frågan"), required=False, max_length=500)
    help = forms.CharField(
        label=_("Hjälptext (frivilligt)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Invånaren måste svara"), required=False)
    options = forms.CharField(
        label=_("Svarsalternativ"),
        help_text=_("Bara för val bland alternativ: ett alternativ per rad, minst två."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    repeats = forms.BooleanField(label=_("Invånaren får välja flera alternativ"), required=False)
    condition = forms.ChoiceField(
        label=_("Visa frågan"),
        help_text=_("En fråga kan visas bara när en tidigare ja/nej- eller flervalsfråga har fått ett visst svar."),
        required=False,
    )

    def __init__(self, *args: Any, condition_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["condition"]).choices = [("", _("Alltid"))] + [
            (value, _("Bara när %(answer)s") % {"answer": label}) for value, label in condition_choices
        ]


class EditStaffForm(SettingsForm):
    """A staff member's name, profession, qualification (ORG-8) and whether they still work here."""

    id_prefix = "member"
    given_name = forms.CharField(label=_("Förnamn"), required=False, max_length=100)
    surname = forms.CharField(label=_("Efternamn"), required=False, max_length=100)
    profession = forms.ChoiceField(label=_("Yrke"), choices=Profession.choices, required=False)
    qualification = forms.ChoiceField(
        label=_("Kompetens (läkare)"),
        choices=Qualification.choices,
        required=False,
        help_text=_("Specialistläkare, eller hur långt en ST-läkare har kommit. Andra yrken: Annan."),
    )
    specialist_training_percent = forms.CharField(
        label=_("Hur långt i specialistutbildningen, procent (bara ST)"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    is_provider_admin = forms.BooleanField(label=_("Vårdgivaradministratör"), required=False)
    is_active = forms.BooleanField(
        label=_("Arbetar hos vårdgivaren"),
        required=False,
        help_text=_(
            "Ta bort bocken när medarbetaren slutar: hen kan då inte logga in, och loggen pekar fortfarande på hen."
        ),
    )


class NewListingForm(SettingsForm):
    """List a resident at the unit by personal number, looked up in the population register."""

    id_prefix = "listing"
    personal_number = forms.CharField(
        label=_("Personnummer"),
        help_text=_("12 siffror, till exempel 19790101-2380. Uppgifterna hämtas från folkbokföringen."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
