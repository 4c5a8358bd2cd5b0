"""The demo's help entries of the providers and its complaints, loaded by the load_demo command after the world."""

from __future__ import annotations

import pytest

from vardnav.cases.models import Case
from vardnav.catalog.models import ServiceKind
from vardnav.demo.complaints import DEMO_COMPLAINTS, load_demo_complaint_cases
from vardnav.demo.help import ENTRIES, load_demo_help_entries
from vardnav.help.models import HelpArticle, HelpArticleVersion

pytestmark = pytest.mark.django_db


def test_the_providers_entries_are_saved_by_their_administrators_in_both_languages_once(demo):
    assert load_demo_help_entries() == len(ENTRIES)
    assert load_demo_help_entries() == 0
    entries = HelpArticle.objects.filter(provider__isnull=False)
    assert entries.count() == len(ENTRIES)
    assert not entries.filter(title_en="").exists()
    # Swedish first, then the English text: two versions each, both kept.
    assert HelpArticleVersion.objects.filter(article__in=entries).count() == 2 * len(ENTRIES)


def test_the_demo_complaints_land_in_the_units_and_the_boards_inboxes_once(demo):
    assert load_demo_complaint_cases() == len(DEMO_COMPLAINTS)
    assert load_demo_complaint_cases() == 0
    units = set(Case.objects.filter(service__kind=ServiceKind.COMPLAINT).values_list("unit__slug", flat=True))
    assert units == {row[1] for row in DEMO_COMPLAINTS}
