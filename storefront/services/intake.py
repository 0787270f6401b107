"""What a storefront does to its customer orders: push one in, cancel it, answer a decision.

The API calls these with validated data; each runs in a transaction and leaves the rest to the
intake task and the policy (services/policy.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from purchasing.rules import is_being_bought
from purchasing.services.orders.lifecycle import order_cancel
from purchasing.services.orders.preview import order_remove_line
from storefront.models import (
    CustomerLineStatus,
    CustomerOrder,
    CustomerOrderLine,
    CustomerOrderStatus,
    Storefront,
)
from storefront.services.errors import StorefrontConflict, StorefrontInvalid
from storefront.services.policy import buying_policy, locked
from storefront.services.status import CREATED, set_status
from storefront.services.webhooks import webhook_emit

ACTIONS = ("accept_price", "drop")


def customer_order_create(
    *, storefront: Storefront, data: Mapping[str, Any]
) -> tuple[CustomerOrder, bool]:
    """Store a customer order and its lines, and start the intake once it commits. The same
    (storefront, external_id) again returns the order already stored and False, also when two
    requests race (the unique constraint decides; the loser reads the winner's row)."""
    external_id = str(data["external_id"])
    existing = CustomerOrder.objects.filter(storefront=storefront, external_id=external_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            order = _create(storefront, external_id, data)
    except IntegrityError:
        existing = CustomerOrder.objects.filter(
            storefront=storefront, external_id=external_id
        ).first()
        if existing is None:
            raise
        return existing, False
    return order, True


def _create(storefront: Storefront, external_id: str, data: Mapping[str, Any]) -> CustomerOrder:
    from storefront.tasks import intake_order

    customer = data.get("customer") or {}
    order = CustomerOrder.objects.create(
        storefront=storefront,
        external_id=external_id,
        currency=str(data["currency"]).upper(),
        customer_name=customer.get("name", ""),
        customer_email=customer.get("email", ""),
        customer_phone=customer.get("phone", ""),
        shipping_address=dict(data.get("shipping_address") or {}),
        budget_fen=data.get("budget_fen"),
    )
    CustomerOrderLine.objects.bulk_create(
        CustomerOrderLine(
            order=order,
            line_no=number,
            platform=line["platform"],
            item_id=str(line["item_id"]),
            sku_id=str(line.get("sku_id") or ""),
            quantity=int(line["quantity"]),
            unit_price_fen=line.get("unit_price_fen"),
            note=line.get("note") or "",
        )
        for number, line in enumerate(data["lines"], start=1)
    )
    webhook_emit(order, CREATED)
    order_id = order.pk
    transaction.on_commit(lambda: intake_order.delay(order_id=order_id), robust=True)
    return order


@transaction.atomic
def customer_order_cancel(*, order: CustomerOrder) -> CustomerOrder:
    """Cancel the order and its purchase orders while nothing was sent to be bought; refused
    (StorefrontConflict) once any purchase order was submitted."""
    order = locked(order.pk)
    if order.status == CustomerOrderStatus.CANCELLED:
        return order
    if order.status == CustomerOrderStatus.FAILED:
        raise StorefrontConflict("the order failed: there is nothing to cancel", code="closed")
    purchases = list(order.purchase_orders.select_for_update().order_by("pk"))
    bought = [p for p in purchases if is_being_bought(p)]
    if bought:
        raise StorefrontConflict(
            "the order can no longer be cancelled: its goods are being bought "
            f"({', '.join(p.reference for p in bought)})",
            code="already_purchasing",
        )
    policy = buying_policy(order.storefront)
    for purchase in purchases:
        order_cancel(order=purchase, actor=policy, reason="cancelled by the storefront")
    order.lines.exclude(status=CustomerLineStatus.DROPPED).update(
        status=CustomerLineStatus.CANCELLED
    )
    set_status(order, CustomerOrderStatus.CANCELLED, "cancelled by the storefront")
    return order


@transaction.atomic
def customer_order_decide(
    *, order: CustomerOrder, decisions: Sequence[Mapping[str, Any]]
) -> CustomerOrder:
    """Answer the decisions a previewed order waits for: `accept_price` (buy at the new price)
    or `drop` (the line is taken off its purchase order). Once none is left open the policy
    runs again; an order left without lines is cancelled."""
    from storefront.tasks import intake_order

    order = locked(order.pk)
    if order.status != CustomerOrderStatus.NEEDS_DECISION:
        raise StorefrontConflict(
            f"no decision is waiting: the order is {order.get_status_display().lower()}",
            code="no_decision_waiting",
        )
    lines = {line.pk: line for line in order.lines.select_related("purchase_line")}
    answers = _checked(decisions, lines)
    policy = buying_policy(order.storefront)
    for line, action in answers:
        if action == "drop":
            if line.purchase_line is not None:
                order_remove_line(
                    line=line.purchase_line, actor=policy, reason="dropped by the customer"
                )
            line.status, line.purchase_line = CustomerLineStatus.DROPPED, None
        else:
            line.status = CustomerLineStatus.PENDING
        line.decision, line.decided_at = action, timezone.now()
        line.save(update_fields=["status", "purchase_line", "decision", "decided_at"])
    if any(line.status == CustomerLineStatus.NEEDS_DECISION for line in lines.values()):
        webhook_emit(order, "order.status_changed")
        return order
    if all(
        line.status in (CustomerLineStatus.DROPPED, CustomerLineStatus.CANCELLED)
        for line in lines.values()
    ):
        for purchase in order.purchase_orders.select_for_update().order_by("pk"):
            order_cancel(order=purchase, actor=policy, reason="every line was dropped")
        set_status(order, CustomerOrderStatus.CANCELLED, "every line was dropped")
        return order
    set_status(order, CustomerOrderStatus.RECEIVED, "decided: buying again")
    order_id = order.pk
    transaction.on_commit(lambda: intake_order.delay(order_id=order_id), robust=True)
    return order


def _checked(
    decisions: Sequence[Mapping[str, Any]], lines: dict[int, CustomerOrderLine]
) -> list[tuple[CustomerOrderLine, str]]:
    fields: dict[str, list[str]] = {}
    answers, seen = [], set()
    for index, decision in enumerate(decisions):
        line_id, action = decision.get("line_id"), decision.get("action")
        line = lines.get(line_id) if isinstance(line_id, int) else None
        if line is None:
            fields[f"decisions.{index}.line_id"] = [f"the order has no line {line_id}"]
        elif line_id in seen:
            fields[f"decisions.{index}.line_id"] = [f"line {line_id} is decided twice"]
        elif action not in ACTIONS:
            fields[f"decisions.{index}.action"] = [f"choose one of {', '.join(ACTIONS)}"]
        else:
            seen.add(line_id)
            answers.append((line, action))
    if fields or not decisions:
        raise StorefrontInvalid(
            "some decisions name nothing to decide" if decisions else "no decision given",
            fields,
        )
    for line, action in answers:
        if line.status != CustomerLineStatus.NEEDS_DECISION:
            raise StorefrontConflict(
                f"line {line.pk} is not waiting for a decision", code="line_not_waiting"
            )
        if action == "accept_price" and line.decision_reason == "unavailable":
            raise StorefrontConflict(
                f"line {line.pk} cannot be bought at any price: drop it or cancel the order",
                code="line_unavailable",
            )
    return answers
