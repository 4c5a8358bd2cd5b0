"""Model fields built on core.crypto."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from vardnav.core.crypto import EncryptedTextField, encrypt


class EncryptedJSONField(EncryptedTextField):
    """JSON (e.g. questionnaire answers) stored encrypted at rest (REC-10)."""

    description = "Encrypted JSON"
    # For django-stubs: the Python values are JSON values, not the text they are stored as.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return None if text in (None, "") else json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            text = super().to_python(value)
            return json.loads(text) if text else None
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        # Encrypt directly: TextField.get_prep_value would run to_python and parse the JSON back.
        return encrypt(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)
