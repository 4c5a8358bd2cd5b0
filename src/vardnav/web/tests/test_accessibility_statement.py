"""The accessibility statement (tillgänglighetsredogörelse) under DOS-lagen (2018:1937), issue 11 item 16.

What DIGG says a statement must contain: who stands behind the service, how far it
complies ("helt / delvis / inte förenlig"), what is not accessible and why, the date of
the assessment and of the last update, how it was assessed, a feedback route, and the
link to DIGG's report function. The page is linked from every footer, logged in or not.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity, staff_identity

DIGG_REPORT = "https://www.digg.se/tdosanmalan"


def test_the_statement_in_swedish_has_what_digg_requires(world):
    page = Client().get("/tillganglighet/").content.decode()
    assert "<h1>Tillgänglighetsredogörelse</h1>" in page
    assert world.provider.name in page  # the public actor behind the service
    assert "<strong>delvis förenlig</strong>" in page
    assert "Innehåll som inte är tillgängligt" in page and "WCAG 1.1.1" in page
    assert "Innehåll som inte omfattas av lagstiftningen" in page
    assert f'href="{DIGG_REPORT}"' in page and "Myndigheten för digital förvaltning (DIGG)" in page
    assert 'href="/support/"' in page  # the feedback route
    assert "självskattning" in page
    assert "Senaste bedömningen gjordes den 6 dec. 2026" in page
    assert "Redogörelsen uppdaterades senast den 6 dec. 2026" in page


def test_the_statement_in_english_says_the_same(world):
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get("/tillganglighet/").content.decode()
    assert '<html lang="en"' in page
    assert "<h1>Accessibility statement</h1>" in page
    assert "<strong>partially compliant</strong>" in page
    assert f'href="{DIGG_REPORT}"' in page and "Agency for Digital Government (DIGG)" in page
    assert 'href="/support/"' in page and "self-assessment" in page
    assert "The latest assessment was made on 6 Dec 2026" in page


@pytest.mark.parametrize(
    "who",
    ["anonymous", "resident", "staff"],
)
def test_every_footer_links_to_the_statement(world, who):
    client = Client()
    if who == "resident":
        log_in_client(client, resident_identity(world.resident_a))
        paths = ["/", "/arenden/", "/mina-sidor/"]
    elif who == "staff":
        log_in_client(client, staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
        paths = ["/personal/", "/personal/inkorg/"]
    else:
        paths = ["/", "/mottagningar/", "/finns-inte/"]
    for path in paths:
        page = client.get(path).content.decode()
        footer = page.split('<footer class="site-footer">', 1)[1]
        assert '<a href="/tillganglighet/">Tillgänglighetsredogörelse</a>' in footer, path
