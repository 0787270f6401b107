"""A timeline's entries (an order's, a refund case's) in the admin as the staff pages say them:
who in words, the status change by its labels (or what the entry is about), the message in the
reader's language. The stored codes and English text stay searchable; they are not shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from purchasing.statuses import OrderStatus
from purchasing.templatetags import words

TIMELINE_FIELDS = ("created_at", "by", "change", "said")


class TimelineAdminMixin:
    """For an admin or inline of timeline entries; `status_label` says a status value."""

    def status_label(self, value: str) -> str:
        return words.order_status(value)

    @admin.display(description=pgettext_lazy("who wrote a timeline entry", "by"))
    def by(self, event: Any) -> str:
        return words.actor(event)

    @admin.display(description=_("what happened"))
    def change(self, event: Any) -> str:
        if event.from_status != event.to_status:
            before = self.status_label(event.from_status) or "—"
            return f"{before} → {self.status_label(event.to_status)}"
        return words.event_kind(event.kind)

    @admin.display(description=_("message"))
    def said(self, event: Any) -> str:
        return Truncator(words.event_message(event)).chars(200)


class MovedToFilter(admin.SimpleListFilter):
    """An order's timeline filtered by the status an entry moved to, named by its label."""

    title = _("to status")
    parameter_name = "to_status"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return list(OrderStatus.choices)

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(to_status=self.value()) if self.value() else queryset


class AboutFilter(admin.SimpleListFilter):
    """A timeline filtered by what its entries are about, in words."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [("status", _("status")), *words.EVENT_KINDS.items()]

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(kind=self.value()) if self.value() else queryset
