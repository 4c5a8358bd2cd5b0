"""How the log extract names a case and its messages and files (registered in CasesConfig.ready).

One query per object type and page; the description is the case number and the
e-service's name, which the resident already sees under Mina ärenden.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from vardnav.attachments.models import Attachment
from vardnav.cases.models import MESSAGE_FILES, Case, Message


def _case_labels(case_ids: set[int]) -> dict[int, str]:
    rows = Case.objects.filter(pk__in=case_ids).values_list("pk", "number", "service__name")
    return {
        pk: _("ärende %(number)s, %(service)s") % {"number": number, "service": service} for pk, number, service in rows
    }


def _ints(ids: set[str]) -> set[int]:
    return {int(each) for each in ids if each.isdigit()}


def describe_cases(ids: set[str]) -> dict[str, str]:
    return {str(pk): label for pk, label in _case_labels(_ints(ids)).items()}


def describe_messages(ids: set[str]) -> dict[str, str]:
    case_of = dict(Message.objects.filter(pk__in=_ints(ids)).values_list("pk", "case_id"))
    labels = _case_labels(set(case_of.values()))
    return {str(pk): labels[case_id] for pk, case_id in case_of.items() if case_id in labels}


def describe_attachments(ids: set[str]) -> dict[str, str]:
    folder_of = dict(
        Attachment.objects.filter(pk__in=_ints(ids), owner_type=MESSAGE_FILES).values_list("pk", "folder_id")
    )
    labels = _case_labels(set(folder_of.values()))
    return {
        str(pk): _("en fil i %(case)s") % {"case": labels[case_id]}
        for pk, case_id in folder_of.items()
        if case_id in labels
    }
