"""Timelines that nobody edits: order, after-sales case and parcel events (DESIGN.md, rule 6)."""

from __future__ import annotations

from typing import Any

from django.db import models


class HistoryIsAppendOnly(Exception):
    """A timeline event was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise HistoryIsAppendOnly(f"{self.model._meta.verbose_name_plural} are never updated")

    def delete(self) -> Any:
        raise HistoryIsAppendOnly(f"{self.model._meta.verbose_name_plural} are never deleted")


class AppendOnly(models.Model):
    """Rows are added, never saved again and never deleted, one by one or in bulk."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise HistoryIsAppendOnly(f"{self._meta.verbose_name_plural} are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HistoryIsAppendOnly(f"{self._meta.verbose_name_plural} are never deleted")
