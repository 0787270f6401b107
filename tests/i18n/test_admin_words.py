"""The admin speaks the reader's language: every app, model and field of Caigou's own apps has a
translatable name, so no admin page shows a code name (`cny_per_unit`) or an English-only word.
The sandbox stands in for the upstream and stays English, as its console does."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise

CAIGOU = (
    "purchasing",
    "aftersales",
    "logistics",
    "storefront",
    "reports",
    "upstream",
    "backoffice",
    "carts",
)


def test_every_app_model_and_field_has_a_translatable_name():
    unnamed = []
    for label in CAIGOU:
        config = apps.get_app_config(label)
        if not isinstance(config.verbose_name, Promise):
            unnamed.append(label)
        for model in config.get_models():
            name = f"{label}.{model.__name__}"
            for option in ("verbose_name", "verbose_name_plural"):
                if not isinstance(model._meta.original_attrs.get(option), Promise):
                    unnamed.append(f"{name} ({option})")
            for field in model._meta.get_fields():
                named = field.concrete or field.many_to_many
                if named and not field.auto_created and not isinstance(field.verbose_name, Promise):
                    unnamed.append(f"{name}.{field.name}")

    assert unnamed == []
