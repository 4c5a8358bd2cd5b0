"""Template filters for e-service lists: `{{ service|handling_time }}`, `{{ service|summary }}`,
`{% for group in services|grouped %}` (see catalog.presentation)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from vardnav.catalog import presentation
from vardnav.catalog.models import Service

register = template.Library()


@register.filter
def handling_time(service: Service) -> str:
    return presentation.handling_time(service)


@register.filter
def summary(service: Service) -> str:
    return presentation.summary(service)


@register.filter
def grouped(services: Iterable[Service]) -> list[presentation.ServiceGroup]:
    return presentation.group_services(services)
