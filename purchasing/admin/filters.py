"""List filters on one stored code whose choices read in words (a status, a kind, an agent),
where Django's own filter would list the codes as stored."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest


def words_filter(
    field: models.Field, choices: Callable[[], Iterable[tuple[str, Any]]]
) -> type[admin.SimpleListFilter]:
    """A filter on `field`, titled by its name; `choices()` gives (code, words), asked per page."""

    class WordsFilter(admin.SimpleListFilter):
        title = field.verbose_name
        parameter_name = field.name

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
            return list(choices())

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            value = self.value()
            return queryset.filter(**{field.name: value}) if value else queryset

    return WordsFilter
