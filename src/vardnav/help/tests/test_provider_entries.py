"""HELP-1 and HELP-2 for a care provider's own entries: kept by its administrators in the settings area,
each save a new immutable version, shown to the provider's residents and staff, found by the search index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.personas import actor_for
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor
from vardnav.help.actions import do_save_help_article
from vardnav.help.models import HelpArticle, HelpArticleVersion
from vardnav.help.search_index import FTS_TABLE, has_index
from vardnav.organizations.actions.listings import do_list_person

pytestmark = pytest.mark.django_db

NEW = "/personal/installningar/hjalp/ny/"


@pytest.fixture(autouse=True)
def _swedish_afterwards():
    yield
    translation.activate("sv")


def staff_client(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))


def resident_client(person) -> Client:
    return log_in_client(Client(), resident_identity(person))


def save(admin, article=None, **fields):
    values = {
        "title": "Hur parkerar jag vid Testcentralen?",
        "body_html": "<p>Parkeringen ligger <strong>bakom huset</strong>.</p>",
        "category": "bookings",
        "audience": "resident",
        "published": True,
    }
    values.update(fields)
    return do_save_help_article(actor_for(admin), article, **values)


def post_entry(client, url=NEW, **fields):
    data = {
        "title": "Hur parkerar jag vid Testcentralen?",
        "body_html": "<p>Parkeringen ligger <strong>bakom huset</strong>.</p><script>alert(1)</script>",
        "category": "bookings",
        "audience": "resident",
        "published": "on",
    }
    data.update(fields)
    return client.post(url, data)


@pytest.mark.rule("HELP-1")
def test_a_provider_admin_writes_an_entry_in_the_settings_area_and_the_providers_residents_see_it(
    provider_admin, resident_a, aged_85, other_unit
):
    admin = staff_client(provider_admin)
    assert reverse("helpsettings:entries") in admin.get("/personal/installningar/").content.decode()
    response = post_entry(admin)
    assert response.status_code == 302
    article = HelpArticle.objects.get(provider__isnull=False)
    assert article.provider_id == provider_admin.provider_id
    # Sanitised with the "Övrig information" allow-list: the markup stays, the script goes.
    assert article.body_html_sv == "<p>Parkeringen ligger <strong>bakom huset</strong>.</p>"
    assert article.body_sv == "Parkeringen ligger bakom huset."

    listed = resident_client(resident_a).get(reverse("help:index")).content.decode()
    assert "<summary>Hur parkerar jag vid Testcentralen?</summary>" in listed
    assert "<strong>bakom huset</strong>" in listed and "<script>" not in listed
    # Another provider's resident does not get it on /hjalp/, nor does an anonymous visitor ...
    do_list_person(Actor.system(), aged_85, other_unit)
    assert "Hur parkerar jag" not in resident_client(aged_85).get(reverse("help:index")).content.decode()
    assert "Hur parkerar jag" not in Client().get(reverse("help:index")).content.decode()
    # ... but the provider's own help page (linked from its units' pages) shows it to anyone.
    provider_page = Client().get(reverse("help:provider", args=[article.provider.slug])).content.decode()
    assert "Hur parkerar jag vid Testcentralen?" in provider_page
    assert AuditEntry.objects.filter(action=AuditEvent.HELP_ARTICLE_CREATE).count() == 1


@pytest.mark.rule("HELP-1")
def test_every_save_is_a_new_immutable_version_and_staff_read_the_history(provider_admin, handler_x, unit_x):
    article = save(provider_admin)
    first = article.updated_at
    article = save(provider_admin, article, title="Var parkerar jag?", body_html="<p>Framför entrén.</p>")
    assert article.version == 2 and article.updated_at >= first
    versions = list(HelpArticleVersion.objects.filter(article=article).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].title_sv == "Hur parkerar jag vid Testcentralen?" and versions[1].title_sv == "Var parkerar jag?"
    with pytest.raises(ValueError):
        versions[0].title_sv = "Ändrad i efterhand"
        versions[0].save()
    with pytest.raises(ValueError):
        versions[0].delete()
    # Saving the same text again is no new version.
    assert save(provider_admin, article, title="Var parkerar jag?", body_html="<p>Framför entrén.</p>").version == 2

    # The page shows the latest; staff of the provider read every version.
    page = Client().get(reverse("help:article", args=[article.slug])).content.decode()
    assert "Framför entrén." in page and "bakom huset" not in page
    history = staff_client(handler_x, unit_x, "handler").get(reverse("help:history", args=[article.slug]))
    assert history.status_code == 200
    html = history.content.decode()
    assert "Version 2" in html and "Version 1" in html and "bakom huset" in html and "Framför entrén." in html
    # Residents do not reach the history (staff pages send them to the staff login).
    assert Client().get(reverse("help:history", args=[article.slug])).status_code == 302


@pytest.mark.rule("HELP-1")
def test_a_providers_staff_entries_are_shown_only_to_its_staff(provider_admin, handler_x, unit_x, resident_a):
    save(provider_admin, title="Hur når jag jourläkaren?", body_html="<p>Via växeln.</p>", audience="staff")
    own_staff = staff_client(handler_x, unit_x, "handler").get(reverse("help:index")).content.decode()
    assert "Hur når jag jourläkaren?" in own_staff
    assert "Hur når jag jourläkaren?" not in resident_client(resident_a).get(reverse("help:index")).content.decode()
    assert "Hur når jag jourläkaren?" not in Client().get(reverse("help:search"), {"q": "jourläkaren"}).content.decode()
    slug = HelpArticle.objects.get(title_sv="Hur når jag jourläkaren?").slug
    assert Client().get(reverse("help:article", args=[slug])).status_code == 404


@pytest.mark.rule("HELP-1")
def test_each_entry_shows_when_it_was_last_updated(provider_admin, resident_a):
    save(provider_admin)
    html = resident_client(resident_a).get(reverse("help:index")).content.decode()
    answers = html.split("<details")[1:]
    assert answers and all("Senast uppdaterat" in answer.split("</details>")[0] for answer in answers)


@pytest.mark.rule("HELP-2")
def test_a_provider_answer_ends_with_the_support_form_and_the_providers_contact_details(provider_admin, unit_x):
    unit_x.phone = "010-123 45 67"
    unit_x.save(update_fields=["phone"])
    provider = unit_x.provider
    provider.support_email = "e-tjanster@testlan.example"
    provider.save(update_fields=["support_email"])
    article = save(provider_admin)
    html = Client().get(reverse("help:article", args=[article.slug])).content.decode()
    tail = html.split('<main id="main"', 1)[1].split("</main>", 1)[0].rsplit("</article>", 1)[1]
    assert reverse("notifications:support") in tail
    assert "e-tjanster@testlan.example" in tail and "010-123 45 67" in tail


def test_only_provider_admins_keep_entries_and_only_their_own(provider_admin, provider_admin_other, handler_x, unit_x):
    article = save(provider_admin)
    assert staff_client(handler_x, unit_x, "handler").get(NEW).status_code == 403
    other = staff_client(provider_admin_other)
    assert other.get(reverse("helpsettings:edit", args=[article.pk])).status_code == 404
    assert post_entry(other, reverse("helpsettings:edit", args=[article.pk])).status_code == 404
    assert HelpArticle.objects.get(pk=article.pk).version == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Skriv frågan."),
        ({"body_html": "<p><br></p>"}, "Skriv svaret."),
        ({"category": "okänt"}, "Välj ett ämne i listan."),
        ({"title": "x" * 201}, "Frågan får vara högst 200 tecken."),
    ],
)
def test_a_bad_entry_gets_a_message_at_the_field_and_nothing_is_saved(provider_admin, fields, message):
    response = post_entry(staff_client(provider_admin), **fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html
    assert not HelpArticle.objects.filter(provider__isnull=False).exists()


def test_the_english_text_is_shown_in_english_and_the_swedish_one_until_there_is_one(provider_admin):
    article = save(provider_admin)
    english = Client()
    english.cookies["django_language"] = "en"
    url = reverse("help:article", args=[article.slug])
    assert "Hur parkerar jag vid Testcentralen?" in english.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    response = staff_client(provider_admin).post(
        reverse("helpsettings:english", args=[article.pk]),
        {"title": "Where do I park?", "body_html": "<p>Behind the building.</p>"},
    )
    assert response.status_code == 302
    html = english.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Where do I park?" in html and "Behind the building." in html
    assert HelpArticle.objects.get(pk=article.pk).version == 2


@pytest.mark.rule("HELP-1")
def test_search_answers_from_the_full_text_index_and_follows_every_save(provider_admin, resident_a):
    assert has_index(connection), "the SQLite build has FTS5, so the help search must use it"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            assert cursor.fetchone()[0] == HelpArticle.objects.count()
    client = resident_client(resident_a)
    article = save(provider_admin, title="Hur fungerar cykelparkeringen?", body_html="<p>Cykelställ finns.</p>")
    assert (
        "Hur fungerar cykelparkeringen?"
        in client.get(reverse("help:search"), {"q": "cykelparkeringen"}).content.decode()
    )
    save(provider_admin, article, title="Var ställer jag bilen?", body_html="<p>På gården.</p>")
    html = client.get(reverse("help:search"), {"q": "cykelparkeringen"}).content.decode()
    assert "Var ställer jag bilen?" not in html
    assert "Var ställer jag bilen?" in client.get(reverse("help:search"), {"q": "bilen gården"}).content.decode()


@pytest.mark.parametrize(
    "query", ['"', 'recept"', "NEAR(recept logga)", "recept AND OR NOT", "recept*", "-", "title_sv:x"]
)
def test_search_syntax_in_the_words_is_never_a_server_error(client, query):
    response = client.get(reverse("help:search"), {"q": query})
    assert response.status_code in (200, 422)


def test_on_postgresql_the_search_plan_uses_the_gin_index(provider_admin):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's")
    from vardnav.help.access import POSTGRES_QUERY

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM help_helparticle WHERE search_vector @@ {POSTGRES_QUERY}", ["recept", "recept"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "help_article_search" in plan


def test_the_settings_list_and_the_provider_page_cost_the_same_queries_with_more_entries(provider_admin):
    save(provider_admin)
    admin = staff_client(provider_admin)
    slug = provider_admin.provider.slug

    def add_many():
        for i in range(4):
            save(provider_admin, title=f"Fråga nummer {i}?", audience="staff" if i % 2 else "resident")

    def request():
        assert admin.get(reverse("helpsettings:entries")).status_code == 200
        assert Client().get(reverse("help:provider", args=[slug])).status_code == 200

    assert_same_query_count(request, add_many)


def test_a_unit_page_links_to_its_providers_questions_and_answers(unit_x):
    html = Client().get(reverse("organizations:unit_detail", args=[unit_x.slug])).content.decode()
    assert reverse("help:provider", args=[unit_x.provider.slug]) in html


def test_the_api_returns_a_provider_entry_with_its_sanitised_html_and_provider(provider_admin):
    article = save(provider_admin)
    found = Client().get(f"/api/v1/help/articles/{article.slug}").json()
    assert found["html"] == "<p>Parkeringen ligger <strong>bakom huset</strong>.</p>"
    assert found["provider"] == provider_admin.provider.name
    assert found["paragraphs"] == ["Parkeringen ligger bakom huset."]
