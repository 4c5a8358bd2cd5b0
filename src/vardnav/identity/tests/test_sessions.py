"""Session timeouts, logout and rate limits on the login endpoints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.personas import make_person
from vardnav.audit.models import AuditEntry
from vardnav.demo import identities as ids
from vardnav.identity.ratelimits import wait_text
from vardnav.identity.session import SESSION_KEY
from vardnav.identity.tests.resident_helpers import logged_in, poll_json, start_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rate_limits")]


@pytest.fixture
def resident(frozen_today):
    return make_person(ids.RESIDENT_A)


def test_a_session_survives_use_within_the_idle_timeout(client, resident, frozen_today):
    logged_in(client, resident)
    for _ in range(4):
        frozen_today.shift(dt.timedelta(minutes=25))
        assert client.get("/mina-sidor/profil/").status_code == 200
    assert client.session[SESSION_KEY]["person_id"] == resident.pk


def test_an_idle_session_ends_and_the_login_page_says_why(client, resident, frozen_today, settings):
    logged_in(client, resident)
    frozen_today.shift(settings.SESSION_IDLE_SECONDS + 1)

    response = client.get("/mina-sidor/profil/")

    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/?next=")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "inte har använt tjänsten på en stund" in page


def test_a_session_ends_twelve_hours_after_login_however_busy(client, resident, frozen_today, settings):
    logged_in(client, resident)
    used_for = 0
    while used_for < settings.SESSION_COOKIE_AGE - 20 * 60:
        frozen_today.shift(20 * 60)
        used_for += 20 * 60
        assert client.get("/mina-sidor/profil/").status_code == 200

    frozen_today.shift(20 * 60)
    response = client.get("/mina-sidor/profil/")

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert "varit inloggad länge" in client.get(response["Location"]).content.decode()


def test_an_expired_session_answers_the_api_with_401_problem_json(client, resident, frozen_today, settings):
    logged_in(client, resident)
    frozen_today.shift(settings.SESSION_IDLE_SECONDS + 1)

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "session-expired"
    assert client.get("/api/v1/me").json()["code"] == "unauthenticated"


def test_logout_ends_the_session_and_is_audited(client, resident):
    logged_in(client, resident)

    response = client.post("/logga-ut/")

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get("/mina-sidor/profil/").status_code == 302
    assert AuditEntry.objects.filter(action="logout", actor_person_id=resident.pk).count() == 1


def test_logout_only_accepts_post(client, resident):
    logged_in(client, resident)
    assert client.get("/logga-ut/").status_code == 405
    assert client.session[SESSION_KEY]["person_id"] == resident.pk


def test_logging_out_in_one_browser_leaves_another_session_alone(resident):
    phone, laptop = Client(), Client()
    logged_in(phone, resident)
    logged_in(laptop, resident)

    phone.post("/logga-ut/")

    assert laptop.get("/mina-sidor/profil/").status_code == 200


def test_starting_logins_is_limited_per_ip_address(bankid_simulator, frozen_today, settings):
    settings.VARDNAV_LOGIN_START_RATE = "3/m"
    client = Client()
    for _ in range(3):
        assert client.post("/logga-in/").status_code == 302

    refused = client.post("/logga-in/")
    another_browser_same_ip = Client().post("/logga-in/")

    assert refused.status_code == 429
    assert "för många gånger" in refused.content.decode()
    assert another_browser_same_ip.status_code == 429


def test_the_default_limit_allows_ten_starts_a_minute(bankid_simulator, frozen_today):
    client = Client()
    assert all(client.post("/logga-in/").status_code == 302 for _ in range(10))
    assert client.post("/logga-in/").status_code == 429
    frozen_today.shift(61)
    assert client.post("/logga-in/").status_code == 302


def test_polling_is_limited_per_session(client, bankid_simulator, frozen_today, settings):
    settings.VARDNAV_LOGIN_POLL_RATE = "5/m"
    start_login(client)
    for _ in range(5):
        assert poll_json(client).json()["status"] == "pending"

    refused = poll_json(client)

    assert refused.status_code == 429
    assert "för många gånger" in refused.json()["message"]


class ClientWithoutAddress(Client):
    """A test client whose requests carry no REMOTE_ADDR, as some servers and proxies (Unix sockets) send them."""

    def _base_environ(self, **request):
        environ = super()._base_environ(**request)
        environ.pop("REMOTE_ADDR", None)
        return environ


@pytest.mark.parametrize("address", [None, "", "unix:", "not-an-address"])
def test_a_login_without_a_usable_client_address_is_limited_as_one_unknown_client_not_a_500(
    bankid_simulator, frozen_today, settings, address
):
    settings.VARDNAV_LOGIN_START_RATE = "2/m"
    browsers = [ClientWithoutAddress() if address is None else Client(REMOTE_ADDR=address) for _ in range(2)]
    for _ in range(2):
        assert browsers[0].post("/logga-in/").status_code == 302

    refused = browsers[0].post("/logga-in/")
    another_unknown_browser = browsers[1].post("/logga-in/")
    api = browsers[1].post("/api/v1/auth/bankid")

    assert refused.status_code == 429 and "för många gånger" in refused.content.decode()
    assert another_unknown_browser.status_code == 429
    assert api.status_code == 429 and api.json()["code"] == "rate-limited"
    assert Client(REMOTE_ADDR="192.0.2.7").post("/logga-in/").status_code == 302, "a known address has its own count"


def test_ipv6_clients_are_counted_per_64_network():
    from django.test import RequestFactory

    from vardnav.identity.ratelimits import UNKNOWN_CLIENT, _ip_key

    factory = RequestFactory()
    one = _ip_key("g", factory.get("/", REMOTE_ADDR="2001:db8:1:2::5"))
    same_network = _ip_key("g", factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::1"))
    other_network = _ip_key("g", factory.get("/", REMOTE_ADDR="2001:db8:1:3::5"))
    assert one == same_network == "2001:db8:1:2::" and other_network != one
    assert _ip_key("g", factory.get("/", REMOTE_ADDR="198.51.100.4")) == "198.51.100.4"
    assert _ip_key("g", factory.get("/", REMOTE_ADDR=" ")) == UNKNOWN_CLIENT


def test_the_api_answers_a_rate_limit_with_429_problem_json(client, bankid_simulator, frozen_today, settings):
    settings.VARDNAV_LOGIN_START_RATE = "1/m"
    assert client.post("/api/v1/auth/bankid").status_code == 201

    response = client.post("/api/v1/auth/bankid")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "rate-limited"
    # How long to wait: for programs in Retry-After, for people in the message, the same number.
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert f"Vänta {wait} sekund" in response.json()["title"]


def test_the_login_page_says_how_long_to_wait_when_rate_limited(client, bankid_simulator, frozen_today, settings):
    settings.VARDNAV_LOGIN_START_RATE = "1/h"
    client.post("/logga-in/")

    page = client.post("/logga-in/")

    assert page.status_code == 429
    wait = int(page["Retry-After"])
    assert 1 <= wait <= 3600
    assert f"Vänta {wait_text(wait)} och försök igen" in page.content.decode()


def test_the_wait_is_said_in_seconds_minutes_or_hours():
    assert wait_text(1) == "1 sekund" and wait_text(45) == "45 sekunder"
    assert wait_text(60) == "1 minut" and wait_text(61) == "2 minuter"
    assert wait_text(3600) == "1 timme" and wait_text(3601) == "2 timmar"
