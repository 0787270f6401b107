"""Demo data for the work queue (`make run`): work assigned, claimed, given back after a claim
left idle, why an order waited, and the deadlines due raised; made through the real services."""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from backoffice.roles import APPROVER, PURCHASER


def demo_work_create(users: dict) -> int:
    """The work queue's history: open orders assigned by the approver, claimed by purchasers,
    one claim left idle and given back, a wait reason given. Nothing when anyone holds work
    already. Returns how many orders it touched."""
    from purchasing.models import OrderWait, PurchaseOrder, WaitReason
    from purchasing.services.orders.deadlines import raise_due_deadlines
    from purchasing.services.orders.work import (
        WorkError,
        order_assign,
        order_claim,
        order_record_wait,
        release_idle_order_claims,
    )
    from purchasing.statuses import OrderStatus

    if PurchaseOrder.objects.filter(assignee__isnull=False).exists() or OrderWait.objects.exists():
        return 0
    approver = users.get(APPROVER)
    purchasers = [u for name, u in sorted(users.items()) if name.startswith(PURCHASER)]
    if approver is None or not purchasers:
        return 0
    waiting = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.AWAITING_APPROVAL)
    orders = list(PurchaseOrder.objects.filter(status__in=waiting).order_by("created_at")[:6])
    now = timezone.now()
    for order, holder in zip(orders[:3], purchasers * 3, strict=False):
        order_assign(order=order, assignee=holder, actor=approver)
    if len(orders) > 4:
        # A claim nobody acted on: the expiry gives it back, as the beat task would.
        order_claim(order=orders[4], actor=purchasers[0])
        later = now + timedelta(minutes=settings.CAIGOU_CLAIM_EXPIRES_MINUTES + 1)
        release_idle_order_claims(now=later)
    if len(orders) > 3:
        order_claim(order=orders[3], actor=purchasers[-1])
    for order in orders[:2]:
        # The history is dated back, so the oldest open orders have waited past their time.
        with suppress(WorkError):
            order_record_wait(
                order=order,
                actor=purchasers[0],
                reason=WaitReason.WAITING_SELLER,
                note="asked the seller about the colour",
            )
    # The deadlines of the dated-back history, raised as the hourly beat task would.
    raise_due_deadlines()
    return len(orders)
