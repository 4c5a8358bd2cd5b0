"""Who may use an e-service (issue 11, item 4): the service's age limits and sex.

Asked twice: before anything is typed (the e-service list and the form page
explain why a service is not for this person) and on submit (cases.actions.route_case
refuses, whatever a client sends). Age is the subject's (the child's when a
guardian acts for one) on the day; sex is read from the personal number's
second-to-last digit (odd for men), as the population register does.
"""

from __future__ import annotations

import datetime as dt

from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Service, ServiceSex
from vardnav.core.errors import DomainError
from vardnav.people.models import Person

MAX_AGE_LIMIT = 130


def has_conditions(service: Service) -> bool:
    return service.min_age is not None or service.max_age is not None or bool(service.sex)


def eligibility_error(service: Service, subject: Person, today: dt.date) -> DomainError | None:
    """The refusal this person would get for this service, or None when the service is for them."""
    if not has_conditions(service):
        return None
    age = subject.age_on(today)
    if service.min_age is not None and age < service.min_age:
        return CatalogError.TOO_YOUNG.error(min_age=service.min_age)
    if service.max_age is not None and age > service.max_age:
        return CatalogError.TOO_OLD.error(max_age=service.max_age)
    if service.sex:
        male = subject.number.is_male
        if service.sex == ServiceSex.FEMALE and male:
            return CatalogError.ONLY_FOR_FEMALE.error()
        if service.sex == ServiceSex.MALE and not male:
            return CatalogError.ONLY_FOR_MALE.error()
    return None


def check_service_eligibility(service: Service, subject: Person, today: dt.date) -> None:
    """Refuse a submission the service is not for (its age limits, its sex)."""
    error = eligibility_error(service, subject, today)
    if error is not None:
        raise error


def check_age_limit(value: object, field: str) -> int | None:
    """An age limit from a form or the API: whole years 0–130, or blank for none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= MAX_AGE_LIMIT:
        raise CatalogError.INVALID_AGE_LIMIT.error(field=field, limit=MAX_AGE_LIMIT)
    return number


def check_age_limits(min_age: object, max_age: object) -> tuple[int | None, int | None]:
    low, high = check_age_limit(min_age, "min_age"), check_age_limit(max_age, "max_age")
    if low is not None and high is not None and high < low:
        raise CatalogError.AGE_LIMITS_ORDER.error(field="max_age")
    return low, high


def check_service_sex(value: object) -> str:
    text = str(value or "").strip()
    if text not in ServiceSex.values:
        raise CatalogError.INVALID_SERVICE_SEX.error(field="sex")
    return text
