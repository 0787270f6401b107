"""Purchase orders in the Django admin: read-only rows (every change goes through the order
services and their state machine), and the submit, pay and cancel actions, each through an
intermediate page that shows every order's preview, per seller, before anything is committed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from purchasing.admin.filters import words_filter
from purchasing.admin.money import YuanAdminMixin
from purchasing.admin.timeline import TIMELINE_FIELDS, TimelineAdminMixin
from purchasing.admin.words import InWordsAdminMixin
from purchasing.models import (
    OrderEvent,
    OrderPreview,
    PaymentAttempt,
    PurchaseOrder,
    PurchaseOrderLine,
)
from purchasing.money import format_cny
from purchasing.rules import awaits_payment, can_cancel, can_confirm, can_pay, can_submit
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.lifecycle import order_cancel
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.submit import order_submit
from purchasing.statuses import OrderStatus
from purchasing.templatetags import words
from purchasing.upstream_errors import upstream_message
from purchasing.views.checkout.display import preview_view
from upstream.errors import UpstreamError


class ReadOnlyMixin:
    """Rows written by the services only: seen here, never added, edited or deleted."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LineInline(YuanAdminMixin, ReadOnlyMixin, admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0
    fields = (
        "line_no",
        "item_id",
        "sku_id",
        "spec_id",
        "title",
        "seller_name",
        "quantity",
        "unit_price_fen",
        "amount_fen",
        "upstream_order_id",
        "upstream_sub_order_id",
        "status",
        "tracking_no",
    )
    readonly_fields = fields


class PreviewInline(YuanAdminMixin, ReadOnlyMixin, admin.TabularInline):
    model = OrderPreview
    extra = 0
    fields = (
        "created_at",
        "goods_fen",
        "freight_fen",
        "discount_fen",
        "total_fen",
        "unavailable",
        "differences",
        "expires_at",
        "accepted_by",
    )
    readonly_fields = fields


class EventInline(TimelineAdminMixin, ReadOnlyMixin, admin.TabularInline):
    model = OrderEvent
    extra = 0
    fields = TIMELINE_FIELDS
    readonly_fields = fields


class PaymentInline(YuanAdminMixin, ReadOnlyMixin, admin.TabularInline):
    model = PaymentAttempt
    extra = 0
    fields = ("key", "status", "amount_fen", "operation", "error", "created_at", "finished_at")
    readonly_fields = fields


def _amount_fen(order: PurchaseOrder, verb: str) -> int:
    if verb == "pay" and order.upstream_total_fen is not None:
        return order.upstream_total_fen
    if verb == "pay" and order.budget_fen is not None:
        return order.budget_fen
    return order.quoted_total_fen


def _refusal(order: PurchaseOrder, verb: str) -> str:
    """Why the action skips this order, or "" when it applies."""
    status = order.get_status_display().lower()
    if verb == "submit" and not (can_confirm(order) or can_submit(order)):
        return gettext("it is %(status)s: only previewed or approved orders are submitted") % {
            "status": status
        }
    if verb == "pay":
        if not awaits_payment(order):
            return gettext("it is %(status)s: only orders awaiting payment are paid") % {
                "status": status
            }
        if not can_pay(order):
            return gettext("it needs attention: %(reason)s") % {"reason": order.attention_reason}
    if verb == "cancel" and not can_cancel(order):
        return gettext("it is %(status)s: only orders not yet paid are cancelled") % {
            "status": status
        }
    return ""


VERBS = {
    "submit": (
        _("Submit"),
        _("submits each order upstream (above a limit it waits for an approver)"),
    ),
    "pay": (_("Pay"), _("pays each order upstream, in one batch")),
    "cancel": (_("Cancel"), _("cancels each order (upstream too, once created there)")),
}


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(YuanAdminMixin, InWordsAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "platform",
        "status",
        "needs_attention",
        "seller_name",
        "total",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "platform", "needs_attention", "source", "provider")
    search_fields = (
        "reference",
        "upstream_order_id",
        "upstream_order_no",
        "upstream_order_ids",
        "lines__upstream_sub_order_id",
        "seller_name",
    )
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    inlines = [LineInline, PreviewInline, PaymentInline, EventInline]
    actions = ["submit_orders", "pay_orders", "cancel_orders"]

    @admin.display(description=_("total"), ordering="quoted_total_fen")
    def total(self, order: PurchaseOrder) -> str:
        return format_cny(order.quoted_total_fen)

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("purchasing.submit_order")

    def has_pay_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("purchasing.pay_order")

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("purchasing.create_order")

    @admin.action(description=_("Submit selected orders…"), permissions=["submit"])
    def submit_orders(self, request: HttpRequest, queryset: QuerySet):
        return self._confirm_then(request, queryset, "submit")

    @admin.action(description=_("Pay selected orders…"), permissions=["pay"])
    def pay_orders(self, request: HttpRequest, queryset: QuerySet):
        return self._confirm_then(request, queryset, "pay")

    @admin.action(description=_("Cancel selected orders…"), permissions=["cancel"])
    def cancel_orders(self, request: HttpRequest, queryset: QuerySet):
        return self._confirm_then(request, queryset, "cancel")

    # -- the intermediate page --------------------------------------------------------------
    def _confirm_then(self, request: HttpRequest, queryset: QuerySet, verb: str):
        orders = list(queryset.order_by("pk"))
        rows = [
            {
                "order": order,
                "view": preview_view(order),
                "refusal": _refusal(order, verb),
                "amount_fen": _amount_fen(order, verb),
            }
            for order in orders
        ]
        applies = [row for row in rows if not row["refusal"]]
        total = sum(row["amount_fen"] for row in applies)
        if request.POST.get("post") == "yes" and applies:
            if request.POST.get("total_fen") != str(total):
                self.message_user(
                    request,
                    gettext(
                        "The orders changed since the confirmation was shown: nothing was done. "
                        "Check them again."
                    ),
                    messages.ERROR,
                )
                return None
            self._run(request, [row["order"] for row in applies], verb)
            return None
        label, effect = VERBS[verb]
        context = {
            **self.admin_site.each_context(request),
            "title": ngettext("%(label)s %(n)d order?", "%(label)s %(n)d orders?", len(orders))
            % {"label": label, "n": len(orders)},
            "opts": self.model._meta,
            "rows": rows,
            "applies": applies,
            "total_fen": total,
            "verb": verb,
            "label": label,
            "effect": effect,
            "action": request.POST.get("action", f"{verb}_orders"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "queryset": queryset,
        }
        return TemplateResponse(
            request, "admin/purchasing/purchaseorder/action_confirmation.html", context
        )

    def _run(self, request: HttpRequest, orders: list[PurchaseOrder], verb: str) -> None:
        user = request.user
        if verb == "pay":
            try:
                attempts = order_pay(orders=orders, actor=user)
            except (OrderError, UpstreamError) as exc:
                self.message_user(request, _error(exc), messages.ERROR)
                return
            self.message_user(
                request,
                gettext(
                    "Payment requested for %(requested)d order(s); "
                    "%(skipped)d already paid or being paid."
                )
                % {"requested": len(attempts), "skipped": len(orders) - len(attempts)},
                messages.SUCCESS,
            )
            return
        reason = request.POST.get("reason", "").strip() or gettext(
            "cancelled in the admin by %(user)s"
        ) % {"user": user}
        for order in orders:
            try:
                if verb == "submit":
                    order = order_submit(order=order, actor=user)
                else:
                    order = order_cancel(order=order, actor=user, reason=reason)
            except (OrderError, UpstreamError) as exc:
                self.message_user(request, f"{order.reference}: {_error(exc)}", messages.ERROR)
                continue
            order.refresh_from_db()
            self.message_user(
                request, f"{order.reference}: {order.get_status_display()}", messages.SUCCESS
            )


def _error(exc: Exception) -> str:
    return upstream_message(exc) if isinstance(exc, UpstreamError) else str(exc)


@admin.register(OrderEvent)
class OrderEventAdmin(TimelineAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("order", *TIMELINE_FIELDS)
    fields = ("order", *TIMELINE_FIELDS, "upstream_request_id")
    readonly_fields = fields
    list_filter = (
        words_filter(
            OrderEvent._meta.get_field("kind"),
            lambda: [("status", _("status")), *words.EVENT_KINDS.items()],
        ),
        words_filter(OrderEvent._meta.get_field("to_status"), lambda: OrderStatus.choices),
    )
    search_fields = ("order__reference", "message", "upstream_request_id", "actor_label")
    list_select_related = ("order",)
    date_hierarchy = "created_at"


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(YuanAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("key", "order", "status", "amount", "operation", "created_at", "finished_at")
    list_filter = ("status", "operation")
    search_fields = ("key", "order__reference", "upstream_request_id", "error")
    list_select_related = ("order",)

    @admin.display(description=_("amount"), ordering="amount_fen")
    def amount(self, attempt: PaymentAttempt) -> str:
        return format_cny(attempt.amount_fen)
