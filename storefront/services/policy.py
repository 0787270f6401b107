"""The buying policy: a received customer order becomes purchase orders, previewed, and is then
bought without a person, put before the customer, or put on hold for a person.

1. Draft: each line's item is read through our goods cache (so its seller is known) and the
   lines are split into one draft purchase order per (platform, seller), and on 1688 per
   CAIGOU_1688_SKUS_PER_ORDER SKUs, shipped to the warehouse the staff checkout uses.
2. Preview every purchase order upstream.
3. Decide: a line dearer than the customer paid (beyond the storefront's tolerance) or
   unavailable -> the customer decides (`needs_decision`, an `order.decision_required`
   webhook). Else a total above the budget (beyond the tolerance) or above the site's approval
   threshold, or a storefront whose policy is `review` -> `on_hold`, its purchase orders
   flagged needs_attention with the reason (the exceptions queue). Else the previews are
   accepted and submitted, and each purchase order is paid once created upstream.

The intake task runs this; it is safe to run twice (the order's status and row lock say what is
done). An item that is gone or an upstream refusal holds the order with the reason; only a
busy upstream makes the task try again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from purchasing.actors import STOREFRONT_POLICY, Policy
from purchasing.models import OrderPreview, Platform, PurchaseOrder
from purchasing.models.orders import Source
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.rules import can_confirm, can_pay, can_preview
from purchasing.services import goods
from purchasing.services.orders.approval import order_confirm, policy_accepted
from purchasing.services.orders.common import OrderError, warehouse_address
from purchasing.services.orders.events import flag_attention
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import NewLine, order_create, order_preview
from purchasing.splitting import runs
from purchasing.statuses import OrderStatus
from purchasing.upstream_errors import upstream_message
from storefront.models import (
    CustomerLineStatus,
    CustomerOrder,
    CustomerOrderLine,
    CustomerOrderStatus,
    Storefront,
)
from storefront.services.addresses import customer_order_address_if_valid
from storefront.services.status import DECISION_REQUIRED, set_status
from upstream import errors


def buying_policy(storefront: Storefront) -> Policy:
    """The actor of everything the storefront's policy does; its label is on every event."""
    return Policy(f"{STOREFRONT_POLICY}{storefront.name}")


def locked(order_id: int) -> CustomerOrder:
    return CustomerOrder.objects.select_for_update().select_related("storefront").get(pk=order_id)


def customer_order_intake(*, order_id: int) -> CustomerOrder:
    """Draft, preview and decide (the intake task's work). Raises a RetryableError when the
    upstream is busy: the task tries again, and the order stays `received` meanwhile.

    What it writes (hold reasons, timeline entries) is stored in the site's language, whoever's
    request ran it (`make run` runs the task inside the storefront's request); staff pages word
    it for their reader (`purchasing.glossary`), and the storefront reads it as written."""
    with translation.override(settings.LANGUAGE_CODE):
        return _intake(order_id)


def _intake(order_id: int) -> CustomerOrder:
    order = CustomerOrder.objects.select_related("storefront").get(pk=order_id)
    if order.status != CustomerOrderStatus.RECEIVED:
        return order
    if not order.purchase_orders.exists():
        try:
            wanted = _read_goods(order)
        except Refused as exc:
            return hold(order.pk, str(exc))
        if not _draft(order.pk, wanted):
            return CustomerOrder.objects.get(pk=order_id)
    policy = buying_policy(order.storefront)
    for purchase in order.purchase_orders.order_by("pk"):
        if not can_preview(purchase):
            continue
        try:
            order_preview(order=purchase, actor=policy)
        except errors.RetryableError:
            raise
        except errors.UpstreamError as exc:
            return hold(order.pk, f"{purchase.reference}: preview refused: {upstream_message(exc)}")
        except OrderError as exc:
            return hold(order.pk, f"{purchase.reference}: {exc}")
    return decide(order.pk)


class Refused(Exception):
    """The order cannot be drafted as it is; the message says why, for the storefront."""


def _read_goods(order: CustomerOrder) -> list[tuple[CustomerOrderLine, Any, Any]]:
    """Each line with its cached product and SKU, read upstream when not fresh."""
    found = []
    for line in order.lines.exclude(
        status__in=[CustomerLineStatus.DROPPED, CustomerLineStatus.CANCELLED]
    ).order_by("line_no"):
        try:
            product = goods.product_get(platform=line.platform, item_id=line.item_id)
        except errors.RetryableError:
            raise
        except errors.UpstreamError as exc:
            why = f"line {line.line_no}: item {line.item_id}: {upstream_message(exc)}"
            raise Refused(why) from exc
        skus = list(product.skus.all())
        sku = next((s for s in skus if line.sku_id and line.sku_id in (s.sku_id, s.spec_id)), None)
        if sku is None and (skus or line.sku_id):
            raise Refused(f"line {line.line_no}: item {line.item_id} has no SKU {line.sku_id!r}")
        found.append((line, product, sku))
    if not found:
        raise Refused("no line left to buy")
    return found


def _draft(order_id: int, wanted: list[tuple[CustomerOrderLine, Any, Any]]) -> bool:
    """One draft purchase order per (platform, seller); False when another run drafted them."""
    with transaction.atomic():
        order = locked(order_id)
        if order.status != CustomerOrderStatus.RECEIVED or order.purchase_orders.exists():
            return False
        customer_order_address_if_valid(order)
        groups: dict[tuple[str, str], list[tuple[CustomerOrderLine, Any, Any]]] = {}
        for line, product, sku in wanted:
            groups.setdefault((line.platform, product.shop_id), []).append((line, product, sku))
        address = warehouse_address()
        for (platform, _seller), group in _by_limit(groups):
            purchase = order_create(
                platform=platform,
                lines=[NewLine.of_cached(p, s, line.quantity) for line, p, s in group],
                address=address,
                actor=buying_policy(order.storefront),
                source=Source.STOREFRONT,
            )
            made = purchase.lines.order_by("line_no")
            order.purchase_orders.add(purchase)
            for (line, _p, _s), bought in zip(group, made, strict=True):
                line.purchase_line = bought
                line.save(update_fields=["purchase_line"])
        return True


def _by_limit(groups: dict) -> list[tuple[tuple[str, str], list]]:
    """A 1688 seller's lines in runs of at most the SKUs one upstream order takes, so that
    every draft is one create (purchasing/splitting.py)."""
    return [
        (key, run)
        for key, group in groups.items()
        for run in (runs(group) if key[0] == Platform.ALIBABA else [group])
    ]


def hold(order_id: int, reason: str) -> CustomerOrder:
    """On hold for a person, with the reason on the order and on its open purchase orders."""
    with transaction.atomic():
        order = locked(order_id)
        if order.status in (CustomerOrderStatus.CANCELLED, CustomerOrderStatus.FAILED):
            return order
        purchases = list(order.purchase_orders.select_for_update().order_by("pk"))
        return _hold_locked(order, purchases, reason)


def decide(order_id: int) -> CustomerOrder:
    """Apply the policy to an order whose purchase orders are all previewed."""
    with transaction.atomic():
        order = locked(order_id)
        if order.status != CustomerOrderStatus.RECEIVED:
            return order
        storefront = order.storefront
        purchases = list(
            order.purchase_orders.select_for_update()
            .exclude(status=OrderStatus.CANCELLED)
            .order_by("pk")
        )
        previews = {p.pk: p.previews.order_by("-created_at", "-pk").first() for p in purchases}
        if any(not can_confirm(p) or previews[p.pk] is None for p in purchases):
            late = ", ".join(p.reference for p in purchases if not can_confirm(p))
            return _hold_locked(order, purchases, f"not previewed: {late}")
        lines = list(
            order.lines.exclude(
                status__in=[CustomerLineStatus.DROPPED, CustomerLineStatus.CANCELLED]
            ).select_related("purchase_line")
        )
        asked = [line for line in lines if _ask_customer(line, previews, storefront.tolerance_fen)]
        if asked:
            CustomerOrderLine.objects.bulk_update(
                asked,
                ["status", "decision_reason", "decision_price_fen", "decision", "decided_at"],
            )
            set_status(
                order,
                CustomerOrderStatus.NEEDS_DECISION,
                f"{len(asked)} line(s) need the customer's decision",
                event_type=DECISION_REQUIRED,
            )
            return order
        total = sum(previews[p.pk].total_fen for p in purchases)
        reason = _why_a_person(order, total)
        if reason:
            return _hold_locked(order, purchases, reason)
        policy = buying_policy(storefront)
        for purchase in purchases:
            order_confirm(
                order=purchase,
                actor=policy,
                reason=_("total %(total)s") % {"total": format_cny(total)},
            )
        set_status(order, CustomerOrderStatus.PURCHASING)
        return order


def _why_a_person(order: CustomerOrder, total: int) -> str:
    storefront = order.storefront
    if order.budget_fen is not None and total > order.budget_fen + storefront.tolerance_fen:
        return _("the previewed total %(total)s is above the budget of %(budget)s") % {
            "total": format_cny(total),
            "budget": format_cny(order.budget_fen),
        }
    if total > int(settings.CAIGOU_APPROVAL_THRESHOLD_FEN):
        return _("the previewed total %(total)s is above the approval threshold") % {
            "total": format_cny(total)
        }
    if storefront.policy == Storefront.Policy.REVIEW:
        return _("%(storefront)s has every order reviewed by a person") % {
            "storefront": storefront.name
        }
    return ""


def _hold_locked(
    order: CustomerOrder, purchases: list[PurchaseOrder], reason: str
) -> CustomerOrder:
    policy = buying_policy(order.storefront)
    for purchase in purchases:
        if can_preview(purchase):
            why = _("storefront order %(id)s: %(reason)s") % {
                "id": order.external_id,
                "reason": reason,
            }
            flag_attention(purchase, why, actor=policy)
    set_status(order, CustomerOrderStatus.ON_HOLD, reason)
    return order


def _ask_customer(
    line: CustomerOrderLine, previews: dict[int, OrderPreview | None], tolerance: int
) -> bool:
    """Mark the line for a decision when its preview is dearer or unavailable (not saved)."""
    bought = line.purchase_line
    preview = previews.get(bought.order_id) if bought is not None else None
    if bought is None or preview is None:
        return False
    unit, available = _previewed(bought, preview)
    if not available:
        reason, price = "unavailable", None
    elif line.unit_price_fen is not None and unit > line.unit_price_fen + tolerance:
        accepted = line.decision == "accept_price" and line.decision_price_fen is not None
        if accepted and unit <= line.decision_price_fen + tolerance:
            return False
        reason, price = "price_rose", unit
    else:
        return False
    line.status = CustomerLineStatus.NEEDS_DECISION
    line.decision_reason, line.decision_price_fen = reason, price
    line.decision, line.decided_at = "", None
    return True


def _previewed(bought: Any, preview: OrderPreview) -> tuple[int, bool]:
    """The previewed unit price of a purchase line and whether it can be bought."""
    keys = {(bought.item_id, bought.sku_id), (bought.item_id, bought.spec_id)}
    for gone in preview.unavailable:
        if (str(gone.get("item_id", "")), str(gone.get("sku_id", ""))) in keys:
            return bought.unit_price_fen, False
        if gone.get("seller_id") and gone.get("seller_id") == bought.seller_id:
            return bought.unit_price_fen, False
    for seller in preview.sellers:
        for line in seller.get("lines", []):
            if (str(line.get("item_id")), str(line.get("sku_id"))) in keys:
                return int(line.get("unit_price_fen") or 0), bool(line.get("available", True))
    return bought.unit_price_fen, True


def purchase_order_pay_if_accepted(*, purchase_order_id: int) -> None:
    """A purchase order the policy accepted is now created upstream: pay it (the pay task's
    work; a person's order, one needing attention, or one already paying is left alone)."""
    purchase = PurchaseOrder.objects.get(pk=purchase_order_id)
    if not can_pay(purchase):
        return
    if not policy_accepted(purchase):
        return
    order = purchase.customer_orders.select_related("storefront").first()
    if order is None or order.status in (
        CustomerOrderStatus.CANCELLED,
        CustomerOrderStatus.FAILED,
        CustomerOrderStatus.ON_HOLD,
    ):
        return
    policy = buying_policy(order.storefront)
    try:
        order_pay(orders=[purchase], actor=policy)
    except OrderError as exc:
        # The order moved on meanwhile (a person or another run): nothing for the policy.
        why = exc.args[0] if exc.args else str(exc)  # a phrase keeps its words
        purchase.note(_("policy did not pay: %(why)s") % {"why": why}, actor=policy)
