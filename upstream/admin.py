"""The call journal in the admin: searchable, read-only (rows leave only by retention)."""

from __future__ import annotations

import json

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from upstream.models import CallJournal


@admin.register(CallJournal)
class CallJournalAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "operation",
        "account",
        "outer_ref",
        "code",
        "http_status",
        "attempt",
        "duration_ms",
        "request_id",
        "ok",
    )
    list_filter = ("provider", "operation", "http_status")
    search_fields = ("=outer_ref", "=request_id", "operation")
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False  # COUNT(*) over a month of calls is slow on PostgreSQL
    fields = (
        "created_at",
        "operation",
        "provider",
        "account",
        "method",
        "path",
        "outer_ref",
        "attempt",
        "duration_ms",
        "http_status",
        "code",
        "request_id",
        "error",
        "request_json",
        "response_json",
    )
    readonly_fields = fields

    @admin.display(boolean=True, description=_("OK"))
    def ok(self, obj: CallJournal) -> bool:
        return obj.ok

    @admin.display(description=_("request body"))
    def request_json(self, obj: CallJournal) -> str:
        return _pretty(obj.request_body)

    @admin.display(description=_("response body"))
    def response_json(self, obj: CallJournal) -> str:
        return _pretty(obj.response_body)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CallJournal | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CallJournal | None = None) -> bool:
        return False


def _pretty(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return format_html("<pre>{}</pre>", text)
