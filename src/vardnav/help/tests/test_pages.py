"""The help centre: questions by topic for residents and staff, search, and support at the end of every answer."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.queries import assert_same_query_count
from vardnav.help.access import MAX_QUERY_LENGTH, MAX_RESULTS
from vardnav.help.content import ARTICLES
from vardnav.help.models import HelpArticle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _swedish_afterwards():
    """A request in English leaves English active in this thread; later tests expect Swedish."""
    yield
    translation.activate("sv")


def add_article(slug: str, *, title: str = "Testfråga om vaccin", published: bool = True) -> HelpArticle:
    return HelpArticle.objects.create(
        slug=slug,
        category="cases",
        title_sv=title,
        title_en="Test question",
        body_sv="Ett svar om vaccin.",
        body_en="An answer about vaccines.",
        published=published,
        updated_at=timezone.now(),
    )


def test_the_product_articles_are_loaded_by_migrate_in_both_languages():
    assert HelpArticle.objects.filter(published=True).count() == len(ARTICLES)
    assert not HelpArticle.objects.filter(title_en="").exists()
    assert not HelpArticle.objects.filter(body_en="").exists()


@pytest.mark.rule("HELP-1")
def test_the_help_page_has_expandable_answers_by_topic_for_residents_and_staff(client):
    response = client.get(reverse("help:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<details" in html and "<summary>Hur loggar jag in?</summary>" in html
    assert "För invånare" in html and "För personal" in html
    assert "Hur fungerar inkorgen för personal?" in html
    assert 'role="search"' in html


@pytest.mark.rule("HELP-1")
def test_an_answer_shows_when_it_was_last_updated(client):
    response = client.get(reverse("help:article", args=["fornya-recept"]))
    assert response.status_code == 200
    assert "Hur förnyar jag ett recept?" in response.content.decode()
    assert "Senast uppdaterat" in response.content.decode()


@pytest.mark.rule("HELP-2")
@pytest.mark.parametrize("slug", [entry[0] for entry in ARTICLES])
def test_every_answer_page_ends_with_how_to_reach_support(client, slug):
    html = client.get(reverse("help:article", args=[slug])).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    tail = main.rsplit("</article>", 1)[1]
    assert "Fick du inte svar på din fråga?" in tail
    assert reverse("notifications:support") in tail


def test_an_unpublished_or_missing_article_is_the_same_404(client):
    add_article("dold-fraga", published=False)
    assert client.get(reverse("help:article", args=["dold-fraga"])).status_code == 404
    assert client.get(reverse("help:article", args=["finns-inte"])).status_code == 404


@pytest.mark.rule("HELP-1")
def test_search_finds_articles_by_words_in_title_or_body(client):
    response = client.get(reverse("help:search"), {"q": "avbokningskod"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hur bokar och avbokar jag en tid?" in html
    assert "Hur loggar jag in?" not in html


def test_search_in_english_shows_english_titles(client):
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        html = client.get(reverse("help:search"), {"q": "prescription"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How do I renew a prescription?" in html


@pytest.mark.parametrize("query", ["", "   ", "?!…", "x" * (MAX_QUERY_LENGTH + 1)])
def test_an_empty_punctuation_only_or_too_long_search_gets_a_message_at_the_field(client, query):
    response = client.get(reverse("help:search"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Skriv ett eller flera ord att söka efter." in html or f"högst {MAX_QUERY_LENGTH} tecken" in html
    assert 'aria-invalid="true"' in html


def test_search_results_are_bounded_and_cost_the_same_queries_with_many_matches(client):
    add_article("vaccin-0")

    def add_many():
        for i in range(1, MAX_RESULTS + 5):
            add_article(f"vaccin-{i}")

    # A word only these test articles have (Vårdnav's own articles also speak of vaccines).
    def request():
        assert client.get(reverse("help:search"), {"q": "testfråga"}).status_code == 200

    assert_same_query_count(request, add_many)
    html = client.get(reverse("help:search"), {"q": "testfråga"}).content.decode()
    assert html.count("/hjalp/vaccin-") == MAX_RESULTS


def test_the_help_page_costs_the_same_queries_with_more_articles(client):
    def request():
        assert client.get(reverse("help:index")).status_code == 200

    assert_same_query_count(request, lambda: [add_article(f"extra-{i}") for i in range(5)])


def test_every_page_footer_and_the_support_page_link_to_help(client):
    assert reverse("help:index") in client.get("/").content.decode()
    assert reverse("help:index") in client.get(reverse("notifications:support")).content.decode()


def test_the_api_searches_and_returns_an_article(client):
    found = client.get("/api/v1/help/articles", {"q": "avbokningskod"}).json()
    assert [row["slug"] for row in found] == ["boka-och-avboka"]
    article = client.get("/api/v1/help/articles/boka-och-avboka").json()
    assert article["title"] == "Hur bokar och avbokar jag en tid?"
    assert len(article["paragraphs"]) == 3 and article["updated_at"]


@pytest.mark.parametrize("query", ["", "?!", "x" * (MAX_QUERY_LENGTH + 1)])
def test_a_bad_api_search_is_a_problem_naming_the_field(client, query):
    response = client.get("/api/v1/help/articles", {"q": query})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "q" in json.dumps(response.json()["errors"])


def test_a_missing_api_article_is_a_404_problem(client):
    add_article("dold", published=False)
    for slug in ("dold", "finns-inte"):
        response = client.get(f"/api/v1/help/articles/{slug}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_the_help_pages_are_complete_in_english(client):
    client.cookies["django_language"] = "en"
    index = client.get(reverse("help:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Help – frequently asked questions" in index and "<summary>How do I log in?</summary>" in index
    assert "For staff" in index and "Hur loggar jag in?" not in index
    article = client.get(reverse("help:article", args=["journalen"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What is in the medical record and who may read it?" in article and "Last updated" in article
    assert "Did this not answer your question?" in article
    bad = client.get(reverse("help:search"), {"q": "?"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enter one or more words to search for." in bad


@pytest.mark.rule("HELP-1")
def test_on_postgresql_search_uses_swedish_full_text_so_inflected_words_match(client):
    """'recepten' (the prescriptions) finds the article that says 'recept': Swedish stemming, not substring search."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("full-text search with the Swedish configuration runs on PostgreSQL")
    html = client.get(reverse("help:search"), {"q": "recepten"}).content.decode()
    assert "Hur förnyar jag ett recept?" in html
    # websearch syntax: a quoted phrase and a leading minus are understood, not errors
    assert client.get(reverse("help:search"), {"q": '"logga in" -personal'}).status_code == 200
