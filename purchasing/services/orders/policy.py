"""The order operations a policy performs instead of a person (storefront orders): create a
draft, preview it, accept the preview, pay, cancel before anything is bought.

They reuse the staff operations' internals (the same preview, the same submit and pay tasks with
their idempotency) without the permission checks, and every event they write carries the
policy's `label` (e.g. "storefront:Demo shop") as its actor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from purchasing.models import OrderPreview, PaymentAttempt, Product, PurchaseOrder
from purchasing.models import PurchaseOrderLine as Line
from purchasing.models.orders import Source
from purchasing.routes import route_for_platform
from purchasing.services.orders.approval import _acceptable_preview
from purchasing.services.orders.common import OrderError, locked, logger, now
from purchasing.services.orders.lifecycle import LOCAL_CANCEL
from purchasing.services.orders.preview import PREVIEWABLE, _quoted_fields, take_preview
from purchasing.statuses import OrderStatus


@transaction.atomic
def order_create_by_policy(
    *,
    platform: str,
    lines: Sequence[Mapping[str, Any]],
    address: Mapping[str, Any],
    label: str,
    source: str = Source.STOREFRONT,
) -> tuple[PurchaseOrder, list[Line]]:
    """A draft order of one seller's goods, already read into our cache: `lines` are
    `[{product: Product, sku: Sku | None, quantity}]`. Returns the order and its lines, in the
    order given."""
    if not lines:
        raise OrderError("an order needs at least one line")
    order = PurchaseOrder.objects.create(
        platform=platform,
        provider=route_for_platform(platform).provider,
        source=source,
        address=dict(address),
    )
    made = []
    for number, wanted in enumerate(lines, start=1):
        product: Product = wanted["product"]
        sku = wanted.get("sku")
        quantity = int(wanted["quantity"])
        unit = sku.price_fen if sku is not None else product.price_fen
        made.append(
            Line.objects.create(
                order=order,
                line_no=number,
                cached_product=product,
                cached_sku=sku,
                item_id=product.item_id,
                sku_id=sku.sku_id if sku is not None else "",
                spec_id=sku.spec_id if sku is not None else "",
                mp_id=product.mp_id,
                mp_sku_id=sku.mp_sku_id if sku is not None else "",
                # Our cache keeps the Taobao shopId or the 1688 sellerOpenId here.
                seller_id=product.shop_id,
                seller_name=product.shop_name,
                title=product.title[:300],
                properties=sku.properties if sku is not None else [],
                picture=(product.pictures[:1] or [""])[0][:500],
                quantity=quantity,
                unit_price_fen=unit,
                amount_fen=unit * quantity,
            )
        )
    order.seller_id, order.seller_name = made[0].seller_id, made[0].seller_name
    order.quoted_goods_fen = order.quoted_total_fen = sum(line.amount_fen for line in made)
    order.save()
    order.note(f"draft created with {len(made)} lines", actor_label=label, kind="created")
    return order, made


@transaction.atomic
def order_preview_by_policy(*, order: PurchaseOrder, label: str) -> OrderPreview:
    """Preview the order upstream and store it (-> previewed), as order_preview does."""
    order = locked(order.pk)
    if order.status not in PREVIEWABLE:
        raise OrderError(f"an order that is {order.get_status_display()} cannot be previewed")
    preview = take_preview(order)
    message = f"previewed: total {preview.total_fen} fen"
    if preview.unavailable:
        message += f", {len(preview.unavailable)} lines unavailable"
    order.transition(
        OrderStatus.PREVIEWED, actor_label=label, message=message, fields=_quoted_fields(order)
    )
    return preview


@transaction.atomic
def order_accept_by_policy(*, order: PurchaseOrder, label: str, reason: str) -> PurchaseOrder:
    """The policy accepts the latest preview (nobody's name on it) and the order is submitted:
    -> submitting, and the submit task enqueued once this commits."""
    from purchasing.tasks import submit_order

    order = locked(order.pk)
    if order.status != OrderStatus.PREVIEWED:
        raise OrderError(f"only a previewed order can be accepted (it is {order.status})")
    if order.needs_attention:
        raise OrderError(f"{order.reference} needs attention: {order.attention_reason}")
    preview = _acceptable_preview(order)
    preview.accepted_at = now()
    preview.save(update_fields=["accepted_at"])
    order.budget_fen = preview.total_fen
    order.approved_at = order.submitted_at = now()
    order.transition(
        OrderStatus.SUBMITTING,
        actor_label=label,
        message=f"accepted by policy ({reason}); submitting as {order.reference}",
        fields=("budget_fen", "approved_at", "submitted_at"),
    )
    order_id = order.pk
    transaction.on_commit(lambda: submit_order.delay(order_id=order_id))
    return order


def accepted_by_policy(order: PurchaseOrder) -> bool:
    """The order's accepted preview was accepted by a policy, not by a person."""
    accepted = order.previews.filter(accepted_at__isnull=False).order_by("-pk").first()
    return accepted is not None and accepted.accepted_by_id is None


@transaction.atomic
def order_pay_by_policy(*, order: PurchaseOrder, label: str) -> PaymentAttempt | None:
    """Pay an order the policy accepted, once created upstream: a committed PaymentAttempt,
    -> paying, then the pay task. Already paid or being paid: None, nothing changes."""
    from purchasing.tasks import pay_orders

    order = locked(order.pk)
    if order.payments.filter(
        status__in=[
            PaymentAttempt.Status.SUCCEEDED,
            PaymentAttempt.Status.PENDING,
            PaymentAttempt.Status.UNKNOWN,
        ]
    ).exists():
        logger.info("order %s: already paid or being paid; the policy does nothing", order)
        return None
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise OrderError(f"{order.reference} is {order.status}: it cannot be paid")
    if order.needs_attention:
        raise OrderError(f"{order.reference} needs attention: {order.attention_reason}")
    if not accepted_by_policy(order):
        raise OrderError(f"{order.reference} was accepted by a person, who pays it")
    attempt = PaymentAttempt.objects.create(
        order=order,
        key=f"{order.reference}-P{order.payments.count() + 1}",
        amount_fen=order.upstream_total_fen or order.budget_fen or 0,
    )
    order.transition(OrderStatus.PAYING, actor_label=label, message="payment requested by policy")
    order_id = order.pk
    transaction.on_commit(lambda: pay_orders.delay(order_ids=[order_id]))
    return attempt


@transaction.atomic
def order_cancel_by_policy(*, order: PurchaseOrder, label: str, reason: str) -> PurchaseOrder:
    """Cancel an order nothing was sent upstream for yet; one already closed stays as it is."""
    order = locked(order.pk)
    if order.status in (OrderStatus.CANCELLED, OrderStatus.FAILED):
        return order
    if order.status not in LOCAL_CANCEL:
        raise OrderError(f"an order that is {order.get_status_display()} cannot be cancelled")
    order.transition(OrderStatus.CANCELLED, actor_label=label, message=reason)
    return order


@transaction.atomic
def order_remove_line_by_policy(*, line: Line, label: str, reason: str) -> PurchaseOrder:
    """Take a line off an order not yet submitted; an order left empty is cancelled."""
    order = locked(line.order_id)
    if order.status not in PREVIEWABLE:
        raise OrderError(f"lines of an order that is {order.status} cannot be removed")
    described = str(line)
    Line.objects.filter(pk=line.pk).delete()
    order.note(f"line {described} removed: {reason}", actor_label=label, kind="line_removed")
    if not order.lines.exists():
        order.transition(
            OrderStatus.CANCELLED, actor_label=label, message=f"no lines left ({reason})"
        )
    return order
