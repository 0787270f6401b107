"""The sandbox's control state in the admin: the ledger (read-only), faults, callbacks."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from upstream.sandbox import callbacks
from upstream.sandbox.db import on_commit
from upstream.sandbox.models.control import Callback, Fault, LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "operation", "kind", "outer_ref", "upstream_ids", "user_id")
    list_filter = ("kind", "operation")
    search_fields = ("=outer_ref", "=request_id", "operation")
    readonly_fields = (
        "created_at",
        "operation",
        "kind",
        "path",
        "outer_ref",
        "upstream_ids",
        "user_id",
        "request_id",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LedgerEntry | None = None) -> bool:
        return False


@admin.register(Fault)
class FaultAdmin(admin.ModelAdmin):
    list_display = ("path", "mode", "rate", "count", "ms", "hits", "created_at")
    list_filter = ("mode",)
    readonly_fields = ("hits", "created_at")


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "provider",
        "message_type",
        "platform",
        "status",
        "held",
        "attempts",
        "next_attempt_at",
    )
    list_filter = ("status", "provider", "platform")
    search_fields = ("message_type",)
    readonly_fields = (
        "provider",
        "message_type",
        "platform",
        "body",
        "status",
        "held",
        "attempts",
        "next_attempt_at",
        "last_error",
        "delivered_at",
        "created_at",
    )
    actions = ("deliver_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Deliver the selected callbacks again")
    def deliver_again(self, request: HttpRequest, queryset: QuerySet[Callback]) -> None:
        ids = list(queryset.values_list("id", flat=True))
        queryset.update(
            status=Callback.Status.PENDING,
            held=False,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
        )
        for callback_id in ids:
            on_commit(lambda pk=callback_id: callbacks.dispatch(pk))
        messages.success(request, f"{len(ids)} callbacks queued for delivery.")
