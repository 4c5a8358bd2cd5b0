"""The demo's pages: the outbox (/demo/utskick/) and the e-mail its SMTP sink received (/demo/e-post/)."""

from __future__ import annotations

import smtplib
import socket

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from vardnav.core.actor import Actor
from vardnav.demo.mailsink import received_mails, start_sink
from vardnav.notifications.actions import do_send_support_request
from vardnav.notifications.models import SupportCategory


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sink(settings, tmp_path):
    """The demo's SMTP sink on a free port, with Django's SMTP backend pointed at it as in development."""
    settings.DEMO_MAIL_DIR = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    controller = start_sink(settings.DEMO_MAIL_DIR, host=settings.EMAIL_HOST, port=settings.EMAIL_PORT)
    yield settings.DEMO_MAIL_DIR
    controller.stop()


@pytest.mark.django_db
def test_the_outbox_shows_what_was_queued_with_masked_addresses(client, demo_provider, settings):
    settings.VARDNAV_DEMO = True
    do_send_support_request(
        Actor.anonymous(), provider=demo_provider, category=SupportCategory.QUESTION, text="Hur byter jag mottagning?"
    )

    html = client.get("/demo/utskick/").content.decode()

    assert "Ny supportförfrågan i Vårdnav" in html
    assert "e***@n***.example" in html
    assert demo_provider.support_email not in html
    assert 'href="/demo/e-post/"' in html


@pytest.mark.django_db
def test_the_mailbox_lists_what_the_sink_received_with_the_links_clickable(client, sink, settings):
    settings.VARDNAV_DEMO = True
    link = "http://127.0.0.1:8000/mina-sidor/profil/bekrafta/abc123/"
    sent = mail.send_mail(
        subject="Bekräfta din e-postadress hos Vårdnav",
        message=f"Hej!\n\nÖppna länken:\n\n{link}\n",
        from_email="Vårdnav <no-reply@vardnav.example>",
        recipient_list=["karin.berg@example.se"],
    )
    assert sent == 1

    [received] = received_mails(sink)
    html = client.get("/demo/e-post/").content.decode()

    assert received.subject == "Bekräfta din e-postadress hos Vårdnav"
    assert received.date is not None
    assert "Bekräfta din e-postadress hos Vårdnav" in html
    assert "karin.berg@example.se" in html
    assert "no-reply@vardnav.example" in html
    assert f'<a href="{link}"' in html


@pytest.mark.django_db
def test_the_mailbox_shows_the_newest_mail_first(client, sink, settings):
    settings.VARDNAV_DEMO = True
    for subject in ("Första", "Andra"):
        EmailMessage(subject=subject, body="Text", to=["a@example.se"]).send()

    assert [m.subject for m in received_mails(sink)] == ["Andra", "Första"]


@pytest.mark.django_db
def test_an_empty_or_missing_mail_folder_is_an_empty_mailbox(client, settings, tmp_path):
    settings.VARDNAV_DEMO = True
    settings.DEMO_MAIL_DIR = tmp_path / "finns-inte"

    html = client.get("/demo/e-post/").content.decode()

    assert "Ingen e-post har kommit fram ännu." in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/demo/utskick/", "/demo/e-post/"])
def test_the_demo_pages_do_not_exist_outside_the_demo(client, settings, path):
    settings.VARDNAV_DEMO = False
    assert client.get(path).status_code == 404


def test_a_mail_without_a_date_header_shows_when_it_arrived(sink, settings):
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        smtp.sendmail("a@example.se", ["b@example.se"], b"Subject: Utan datum\r\n\r\nText\r\n")

    [received] = received_mails(sink)

    assert received.subject == "Utan datum"
    assert received.date.date() == timezone.now().date()
