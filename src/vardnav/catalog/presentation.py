"""How residents see the e-services: in groups with the common tasks first, a one-line summary, the handling time.

Why here and not in templates: the grouping and the Swedish number agreement
("1 arbetsdag", "3 arbetsdagar") are the same on every list (the unit's
services, the listed unit's services, the case form and the renewal form).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from vardnav.catalog.models import HandlingTimeUnit, Service, ServiceKind


@dataclass
class ServiceGroup:
    key: str
    title: Promise
    services: list[Service] = field(default_factory=list)


# Ordered: the tasks most residents come for first.
GROUPS: list[tuple[str, Promise, set[str]]] = [
    (
        "common",
        _("Vanliga ärenden"),
        {
            ServiceKind.CONTACT_UNIT,
            ServiceKind.PRESCRIPTION_RENEWAL,
            ServiceKind.VISIT_REBOOK,
            ServiceKind.VISIT_CANCEL,
        },
    ),
    ("certificates", _("Intyg"), {ServiceKind.CERTIFICATE_RENEW, ServiceKind.CERTIFICATE_NEW}),
    (
        "contraception",
        _("Preventivmedel"),
        {
            ServiceKind.CONTRACEPTIVE_RENEW,
            ServiceKind.CONTRACEPTIVE_START,
            ServiceKind.CONTRACEPTIVE_CHANGE,
            ServiceKind.CONTRACEPTIVE_STOP,
        },
    ),
    (
        "aids",
        _("Hjälpmedel och speciallivsmedel"),
        {ServiceKind.AIDS_DIABETES, ServiceKind.AIDS_INCONTINENCE, ServiceKind.AIDS_STOMA, ServiceKind.SPECIAL_FOODS},
    ),
    ("feedback", _("Synpunkter"), {ServiceKind.COMPLAINT}),
]
# Within a group: this order first, then by name.
COMMON_ORDER: list[str] = [
    ServiceKind.CONTACT_UNIT,
    ServiceKind.PRESCRIPTION_RENEWAL,
    ServiceKind.VISIT_REBOOK,
    ServiceKind.VISIT_CANCEL,
]

# The summary shown when the provider wrote no description of its own.
SUMMARIES: dict[str, Promise] = {
    ServiceKind.CONTACT_UNIT: _("Ställ en fråga till mottagningen om dina besvär eller din behandling."),
    ServiceKind.PRESCRIPTION_RENEWAL: _("Be om en förnyelse av ett läkemedel som du redan använder."),
    ServiceKind.VISIT_REBOOK: _("Be att få en annan tid än den du har bokad."),
    ServiceKind.VISIT_CANCEL: _("Lämna återbud till en tid du har bokad."),
    ServiceKind.CERTIFICATE_RENEW: _("Förnya ett intyg som du har fått tidigare."),
    ServiceKind.CERTIFICATE_NEW: _("Be om ett nytt intyg, till exempel till skolan eller arbetsgivaren."),
    ServiceKind.CONTRACEPTIVE_RENEW: _("Fortsätt med det preventivmedel du har i dag."),
    ServiceKind.CONTRACEPTIVE_START: _("Få råd om och börja med ett preventivmedel."),
    ServiceKind.CONTRACEPTIVE_CHANGE: _("Byt till ett annat preventivmedel."),
    ServiceKind.CONTRACEPTIVE_STOP: _("Sluta med ditt preventivmedel, till exempel ta ut en spiral."),
    ServiceKind.AIDS_DIABETES: _("Beställ nya hjälpmedel för diabetes, som teststickor och nålar."),
    ServiceKind.AIDS_INCONTINENCE: _("Beställ nya inkontinenshjälpmedel."),
    ServiceKind.AIDS_STOMA: _("Beställ nya stomihjälpmedel."),
    ServiceKind.SPECIAL_FOODS: _("Förnya förskrivningen av speciallivsmedel och tillbehör."),
    ServiceKind.COMPLAINT: _("Lämna synpunkter eller klagomål på vården du har fått."),
}


def group_services(services: Iterable[Service]) -> list[ServiceGroup]:
    """The services in GROUPS order, common tasks first; groups without a service are left out."""
    groups = {key: ServiceGroup(key, title) for key, title, _kinds in GROUPS}
    other = ServiceGroup("other", _("Övriga ärenden"))
    for service in services:
        key = next((key for key, _title, kinds in GROUPS if service.kind in kinds), None)
        (groups[key] if key else other).services.append(service)
    for group in [*groups.values(), other]:
        group.services.sort(
            key=lambda s: (COMMON_ORDER.index(s.kind) if s.kind in COMMON_ORDER else len(COMMON_ORDER), s.name)
        )
    return [group for group in [*groups.values(), other] if group.services]


def summary(service: Service) -> str:
    """One line about what the service is for: the provider's own description, else the kind's."""
    own = (service.description or "").strip().splitlines()
    if own and own[0].strip():
        return own[0].strip()
    return str(SUMMARIES.get(service.kind, ""))


def handling_time(service: Service) -> str:
    """'Svar inom 1 arbetsdag', 'Svar inom 3 arbetsdagar', 'Svar inom 4 timmar': Swedish number agreement."""
    count = service.handling_time_value
    if service.handling_time_unit == HandlingTimeUnit.HOURS:
        return ngettext("Svar inom %(count)d timme", "Svar inom %(count)d timmar", count) % {"count": count}
    return ngettext("Svar inom %(count)d arbetsdag", "Svar inom %(count)d arbetsdagar", count) % {"count": count}
