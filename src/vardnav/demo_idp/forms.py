"""The demo login form: an HSA-id picked from the list or typed (to try unknown ids)."""

from __future__ import annotations

from django import forms

from vardnav.core.hsa import HSA_ID_MAX_LENGTH, normalize_hsa_id, validate_hsa_id


class DemoLoginForm(forms.Form):
    hsa_id = forms.CharField(label="HSA-id", max_length=HSA_ID_MAX_LENGTH + 10)

    def clean_hsa_id(self) -> str:
        value = normalize_hsa_id(self.cleaned_data["hsa_id"])
        validate_hsa_id(value)
        return value
