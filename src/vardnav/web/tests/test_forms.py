"""Forms render with label, hint and error tied to the control for screen readers."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


class ContactForm(forms.Form):
    email = forms.EmailField(label="E-postadress", help_text="Vi skickar bara aviseringar hit.")
    phone = forms.CharField(label="Mobilnummer", required=False)


def test_a_field_error_is_described_by_its_hint_and_error_message():
    form = ContactForm(data={"email": "inte-en-adress"})

    html = form["email"].as_field_group()

    assert '<div class="field field--error">' in html
    assert '<label for="id_email">E-postadress:</label>' in html
    assert 'id="id_email_helptext"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'aria-invalid="true"' in html


def test_a_whole_form_renders_every_field_with_the_design_system():
    html = str(ContactForm())

    assert html.count('<div class="field">') == 2


def test_the_error_summary_links_to_each_field_in_error():
    form = ContactForm(data={"email": ""})
    form.is_valid()

    html = render_to_string("includes/_error_summary.html", {"form": form})

    assert 'role="alert"' in html
    assert 'tabindex="-1"' in html
    assert '<a href="#id_email">E-postadress: ' in html


def test_the_error_summary_links_a_group_of_radios_by_its_first_option():
    """The group's wrapper (id_need) cannot take focus; its first radio can, so the link takes the keyboard there."""

    class NeedForm(forms.Form):
        need = forms.ChoiceField(label="Har behovet ändrats?", choices=[("ja", "Ja"), ("nej", "Nej")],
                                 widget=forms.RadioSelect)  # fmt: skip

    form = NeedForm(data={})
    form.is_valid()

    html = render_to_string("includes/_error_summary.html", {"form": form})

    assert '<a href="#id_need_0">Har behovet ändrats?: ' in html
    assert 'id="id_need_0"' in str(form["need"])


def test_no_error_summary_without_errors():
    form = ContactForm(data={"email": "anna@example.se"})
    form.is_valid()

    assert render_to_string("includes/_error_summary.html", {"form": form}).strip() == ""
