"""The scan the erasure tests share: every text, char and JSON column of an app's models,
searched for what must not be left of a person (their name, address, phone)."""

from __future__ import annotations

import json

from django.apps import apps
from django.db import models


def text_columns(app_label):
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                yield model, field.name


def personal_data_left(app_label, *needles) -> list[str]:
    """Every text, char and JSON column of the app's models, scanned for the needles."""
    found = []
    lowered = [n.lower() for n in needles]
    for model, name in text_columns(app_label):
        for pk, value in model.objects.values_list("pk", name):
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if any(n in (text or "").lower() for n in lowered):
                found.append(f"{model._meta.label}.{name} #{pk}: {text[:80]}")
    return found
