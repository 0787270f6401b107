from django.contrib import admin

from aftersales.models import CaseEvent, CaseEvidence, CaseLine, EvidencePack, RefundCase


class CaseLineInline(admin.TabularInline):
    model = CaseLine
    extra = 0
    raw_id_fields = ("line",)


class CaseEvidenceInline(admin.TabularInline):
    model = CaseEvidence
    extra = 0
    fields = ("file_name", "content_type", "size", "voucher_id", "voucher_url")
    readonly_fields = fields
    can_delete = False


class EvidencePackInline(admin.StackedInline):
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
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ("created_at", "actor_label", "from_status", "to_status", "kind", "message")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RefundCase)
class RefundCaseAdmin(admin.ModelAdmin):
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
    raw_id_fields = ("order", "created_by")
    # State moves only through the services: the admin shows, it does not edit money or status.
    readonly_fields = (
        "reference",
        "upstream_refund_id",
        "status",
        "upstream_status",
        "asked_fen",
        "max_fen",
        "agreed_fen",
        "refund_recorded",
        "submit_lease_until",
        "submit_in_doubt",
        "submit_attempts",
    )
    inlines = (CaseLineInline, CaseEvidenceInline, EvidencePackInline, CaseEventInline)
