"""Admin for customer orders and webhook deliveries: read-only rows (the storefront services
change them), links to the purchase orders bought for each order, each delivery's attempts, and
a Replay action that sends a delivery again with the same message id."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy, ngettext

from purchasing.admin.money import YuanAdminMixin
from purchasing.admin.orders import ReadOnlyMixin
from storefront.models import (
    CustomerOrder,
    CustomerOrderLine,
    WebhookAttempt,
    WebhookDelivery,
)


def purchase_order_link(purchase) -> str:
    url = reverse("admin:purchasing_purchaseorder_change", args=[purchase.pk])
    return format_html('<a href="{}">{}</a>', url, purchase)  # its reference and status


class CustomerOrderLineInline(YuanAdminMixin, ReadOnlyMixin, admin.TabularInline):
    model = CustomerOrderLine
    extra = 0
    fields = (
        "line_no",
        "platform",
        "item_id",
        "sku_id",
        "quantity",
        "unit_price_fen",
        "status",
        "purchase_order",
        "decision_reason",
        "decision_price_fen",
        "decision",
        "note",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[CustomerOrderLine]:
        return super().get_queryset(request).select_related("purchase_line__order")

    @admin.display(description=gettext_lazy("purchase order"))
    def purchase_order(self, line: CustomerOrderLine) -> str:
        return purchase_order_link(line.purchase_line.order) if line.purchase_line else "—"


class WebhookAttemptInline(ReadOnlyMixin, admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ("at", "status_code", "duration_ms", "error", "response_excerpt")
    readonly_fields = fields


@admin.register(CustomerOrder)
class CustomerOrderAdmin(YuanAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("external_id", "storefront", "status", "customer_name", "created_at")
    list_filter = ("status", "storefront")
    list_select_related = ("storefront",)
    search_fields = ("external_id", "customer_name", "customer_email")
    date_hierarchy = "created_at"
    fields = (
        "storefront",
        "external_id",
        "status",
        "status_reason",
        "purchase_order_links",
        "currency",
        "budget_fen",
        "customer_name",
        "customer_email",
        "customer_phone",
        "shipping_address",
        "address",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [CustomerOrderLineInline]

    @admin.display(description=gettext_lazy("purchase orders"))
    def purchase_order_links(self, order: CustomerOrder) -> str:
        purchases = order.purchase_orders.order_by("pk")
        if not purchases:
            return "—"
        return format_html_join(", ", "{}", ((purchase_order_link(p),) for p in purchases))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "message_id",
        "event_type",
        "storefront",
        "customer_order",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "event_type", "storefront")
    list_select_related = ("storefront", "customer_order__storefront")
    search_fields = ("message_id", "customer_order__external_id")
    date_hierarchy = "created_at"
    fields = (
        "message_id",
        "event_type",
        "storefront",
        "customer_order",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
        "payload",
    )
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["replay"]

    @admin.action(description=gettext_lazy("Replay: send again (same message id)"))
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        from storefront.tasks import replay_webhook

        ids = list(queryset.values_list("pk", flat=True))
        for delivery_id in ids:
            replay_webhook.delay(delivery_id=delivery_id)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery is being sent again.",
                "%(count)d deliveries are being sent again.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )
