"""A timeline's entries (an order's, a refund case's) in the admin as the staff pages say them:
who in words, the status change by its labels (or what the entry is about), the message in the
reader's language. The stored codes and English text stay searchable; they are not shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
