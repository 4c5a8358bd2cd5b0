"""Form rendering shared by every app.

Why a renderer of our own: `{{ form }}` and `{{ field.as_field_group }}` then
produce the design system's markup (label, hint, error, control, with the ids
Django's aria-describedby points at) without each app styling its forms.
Enabled by FORM_RENDERER in settings.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "web/forms/div.html"
    field_template_name = "web/forms/field.html"
