"""Stored callbacks in the admin: what each message is and what became of it, in words, and
the retry of a parked one (it goes back through the same applier, `message_retry`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from purchasing import glossary
from purchasing.admin.filters import words_filter
from purchasing.admin.orders import ReadOnlyMixin
from purchasing.callbacks.parking import MAY_RETRY, message_retry
from purchasing.models import UpstreamMessage
from purchasing.models.orders import Provider
from purchasing.services.orders.common import OrderError


def _stored_message_types() -> list[tuple[str, str]]:
    """The message types stored, each by its words, in the order of the words."""
    kinds = UpstreamMessage.objects.order_by().values_list("provider", "message_type").distinct()
    named = {kind: glossary.message_words(provider, kind) for provider, kind in kinds}
    return sorted(named.items(), key=lambda item: item[1])


@admin.register(UpstreamMessage)
class UpstreamMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Stored callbacks; a parked one (filter by outcome) is sent back with the retry action."""

    list_display = (
        "received_at",
        "agent",
        "what",
        "outcome",
        "attempts",
        "short_error",
        "order",
    )
    list_filter = (
        "outcome",
        words_filter(UpstreamMessage._meta.get_field("provider"), lambda: Provider.choices),
        "verified",
        words_filter(UpstreamMessage._meta.get_field("message_type"), _stored_message_types),
    )
    search_fields = ("dedupe_key", "message_type", "order__reference", "raw", "error")
    list_select_related = ("order",)
    date_hierarchy = "received_at"
    actions = ("retry",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return [f.name for f in self.model._meta.fields]

    @admin.display(
        description=UpstreamMessage._meta.get_field("message_type").verbose_name,
        ordering="message_type",
    )
    def what(self, message: UpstreamMessage) -> str:
        return glossary.message_words(message.provider, message.message_type)

    @admin.display(
        description=UpstreamMessage._meta.get_field("provider").verbose_name, ordering="provider"
    )
    def agent(self, message: UpstreamMessage) -> str:
        return message.provider_name

    @admin.display(description=_("last error"))
    def short_error(self, message: UpstreamMessage) -> str:
        return Truncator(message.error).chars(120)

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MAY_RETRY)

    @admin.action(description=_("Retry the selected parked messages"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        sent, skipped = 0, 0
        for message_id in queryset.values_list("pk", flat=True):
            try:
                message_retry(message_id=message_id, actor=request.user)
            except OrderError:
                skipped += 1
            else:
                sent += 1
        self.message_user(
            request,
            _("%(sent)d sent back to be applied, %(skipped)d not waiting for a retry.")
            % {"sent": sent, "skipped": skipped},
            messages.SUCCESS if sent else messages.WARNING,
        )
