from django.contrib import admin

from aftersales.models import (
    CaseEvent,
    CaseEvidence,
    CaseLine,
    CaseStatus,
    EvidencePack,
    RefundCase,
)
from purchasing.admin.money import YuanAdminMixin
from purchasing.admin.orders import ReadOnlyMixin
from purchasing.admin.timeline import TIMELINE_FIELDS, TimelineAdminMixin
from purchasing.admin.words import InWordsAdminMixin


class CaseLineInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseLine
    extra = 0


class CaseEvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseEvidence
    extra = 0
    fields = ("file_name", "content_type", "size", "voucher_id", "voucher_url")
    readonly_fields = fields


class EvidencePackInline(ReadOnlyMixin, admin.StackedInline):
    model = EvidencePack
    fields = (
        "attached_at",
        "attached_by",
        "preview",
        "traces",
        "im_link",
        "problems",
        "summary",
        "summary_sent_at",
        "summary_sent_in",
    )
    readonly_fields = fields


class CaseEventInline(TimelineAdminMixin, ReadOnlyMixin, admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = TIMELINE_FIELDS
    readonly_fields = fields

    def status_label(self, value: str) -> str:
        return str(dict(CaseStatus.choices).get(value, value))


@admin.register(RefundCase)
class RefundCaseAdmin(YuanAdminMixin, InWordsAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "order",
        "platform",
        "kind",
        "status",
        "waiting_on",
        "asked_fen",
        "agreed_fen",
        "needs_attention",
        "created_at",
    )
    list_filter = ("status", "platform", "kind", "waiting_on", "needs_attention")
    search_fields = ("reference", "upstream_refund_id", "order__reference")
    # A case is opened, sent and moved only by its services (its lines, amounts and order with
    # it): the admin shows it, and adds, edits or deletes nothing.
    inlines = (CaseLineInline, CaseEvidenceInline, EvidencePackInline, CaseEventInline)
