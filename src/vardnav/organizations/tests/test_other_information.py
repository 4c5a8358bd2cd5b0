"""A unit's "Övrig information" text: sanitised on save, heading only when there is text (ORG-5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import actor_for
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.organizations.actions.units import do_set_other_information
from vardnav.organizations.html import sanitize_other_information

pytestmark = pytest.mark.django_db

HEADING = "Övrig information"


@pytest.mark.rule("ORG-5")
@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<h2>Rubrik</h2><h3>Under</h3><p>Text</p>", "<h2>Rubrik</h2><h3>Under</h3><p>Text</p>"),
        ("<p><strong>fet</strong> <em>kursiv</em></p>", "<p><strong>fet</strong> <em>kursiv</em></p>"),
        ("<ul><li>ett</li></ul><ol><li>två</li></ol>", "<ul><li>ett</li></ul><ol><li>två</li></ol>"),
        ('<p>Hej<script>alert("x")</script></p>', "<p>Hej</p>"),
        ('<p onclick="steal()">Klicka</p>', "<p>Klicka</p>"),
        ('<p style="color:red">Röd</p><style>p{color:red}</style>', "<p>Röd</p>"),
        ('<iframe src="https://evil.example">inne</iframe><p>Kvar</p>', "<p>Kvar</p>"),
        ('<img src="x" onerror="steal()"><p>Bild</p>', "<p>Bild</p>"),
        ("<h1>Stor</h1><div>Block</div><b>b</b>", "StorBlockb"),
        ('<a href="javascript:alert(1)">länk</a>', '<a rel="noopener noreferrer">länk</a>'),
        ('<a href="data:text/html,x">länk</a>', '<a rel="noopener noreferrer">länk</a>'),
        ('<a href="/relativ">länk</a>', '<a rel="noopener noreferrer">länk</a>'),
        (
            '<a href="https://www.1177.se/" title="1177" target="_blank" rel="opener">länk</a>',
            '<a href="https://www.1177.se/" title="1177" target="_blank" rel="noopener noreferrer">länk</a>',
        ),
        (
            '<a href="http://exempel.se/" target="_top" class="x" id="y">länk</a>',
            '<a href="http://exempel.se/" rel="noopener noreferrer">länk</a>',
        ),
        ("<p>Text<!-- dold kommentar --></p>", "<p>Text</p>"),
    ],
)
def test_the_sanitiser_keeps_only_the_editors_allow_list(raw, cleaned):
    assert sanitize_other_information(raw) == cleaned


@pytest.mark.rule("ORG-5")
@pytest.mark.parametrize("raw", ["", "   \n\t", "<p> </p>", "<p><br></p>", "<p>&nbsp;</p>", "<script>x()</script>"])
def test_text_without_visible_words_is_stored_empty(raw):
    assert sanitize_other_information(raw) == ""


@pytest.mark.rule("ORG-5")
def test_a_saved_text_is_sanitised_and_shown_under_its_heading(client, unit_x, unit_admin_x):
    do_set_other_information(
        actor_for(unit_admin_x, unit=unit_x, role="unit_admin"),
        unit_x,
        '<h2>Parkering</h2><p onmouseover="x()">Gratis <a href="https://p.example" target="_blank">karta</a></p>'
        "<script>document.cookie</script>",
    )

    page = client.get(reverse("organizations:unit_detail", args=[unit_x.slug])).content.decode()

    assert HEADING in page
    assert "<h2>Parkering</h2>" in page
    assert '<a href="https://p.example" target="_blank" rel="noopener noreferrer">karta</a>' in page
    assert "onmouseover" not in page
    assert "document.cookie" not in page


@pytest.mark.rule("ORG-5")
def test_the_heading_is_not_shown_when_the_text_is_empty(client, unit_x):
    url = reverse("organizations:unit_detail", args=[unit_x.slug])
    do_set_other_information(Actor.system(), unit_x, "<p>Parkering finns.</p>")
    assert HEADING in client.get(url).content.decode()

    do_set_other_information(Actor.system(), unit_x, "<p>  </p>")

    unit_x.refresh_from_db()
    assert unit_x.other_information_html == ""
    assert HEADING not in client.get(url).content.decode()


def test_a_handler_cannot_change_the_text(unit_x, handler_x):
    do_set_other_information(Actor.system(), unit_x, "<p>Parkering finns.</p>")
    before = unit_x.other_information_html
    with pytest.raises(PermissionDenied):
        do_set_other_information(actor_for(handler_x, unit=unit_x, role="handler"), unit_x, "<p>Nytt</p>")
    unit_x.refresh_from_db()
    assert unit_x.other_information_html == before


def test_it_refuses_an_overlong_text(unit_x):
    with pytest.raises(DomainError) as error:
        do_set_other_information(Actor.system(), unit_x, "<p>" + "a" * 20_001 + "</p>")
    assert error.value.field == "other_information_html"
