"""Accepting a preview, and approval: above CAIGOU_APPROVAL_THRESHOLD_FEN or the purchaser's
own limit an order waits for an approver; nobody approves their own order."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from purchasing.models import OrderPreview, PurchaseOrder, StaffProfile
from purchasing.rules import can_approve, can_confirm
from purchasing.services.orders.common import NotAllowed, OrderError, locked, now, require
from purchasing.statuses import OrderStatus


def approval_limit(actor: Any) -> int:
    """The largest total (fen) this person may submit without an approver."""
    limit = int(settings.CAIGOU_APPROVAL_THRESHOLD_FEN)
    own = StaffProfile.objects.filter(user=actor).values_list("order_limit_fen", flat=True).first()
    return min(limit, own) if own is not None else limit


def needs_approval(order: PurchaseOrder, actor: Any) -> bool:
    return order.quoted_total_fen > approval_limit(actor)


@transaction.atomic
def order_confirm(*, order: PurchaseOrder, actor: Any) -> PurchaseOrder:
    """The purchaser accepts the latest preview: the order waits for an approver when its
    total is above the limit, otherwise it is submitted."""
    from purchasing.services.orders.submit import start_submit

    require(actor, "create_order")
    order = locked(order.pk)
    if not can_confirm(order):
        raise OrderError(f"only a previewed order can be confirmed (it is {order.status})")
    preview = _acceptable_preview(order)
    preview.accepted_by, preview.accepted_at = actor, now()
    preview.save(update_fields=["accepted_by", "accepted_at"])
    order.budget_fen = preview.total_fen
    order.save(update_fields=["budget_fen", "updated_at"])
    if needs_approval(order, actor):
        order.transition(
            OrderStatus.AWAITING_APPROVAL,
            actor=actor,
            message=f"total {order.quoted_total_fen} fen is above {approval_limit(actor)} fen",
        )
        return order
    require(actor, "submit_order")
    start_submit(order, actor=actor)
    return order


def _acceptable_preview(order: PurchaseOrder) -> OrderPreview:
    preview = order.previews.order_by("-created_at", "-pk").first()
    if preview is None:
        raise OrderError("preview the order first")
    if preview.expired:
        raise OrderError("the preview has expired: preview again")
    if preview.unavailable:
        raise OrderError("some lines cannot be ordered: change them and preview again")
    return preview


@transaction.atomic
def order_approve(*, order: PurchaseOrder, actor: Any, comment: str = "") -> PurchaseOrder:
    """An approver accepts the order at its previewed total; it can then be submitted."""
    require(actor, "approve_order")
    order = locked(order.pk)
    _check_approver(order, actor)
    order.approved_by, order.approved_at = actor, now()
    order.transition(
        OrderStatus.APPROVED,
        actor=actor,
        message=comment or "approved",
        kind="approved",
        fields=("approved_by", "approved_at"),
    )
    return order


@transaction.atomic
def order_reject(*, order: PurchaseOrder, actor: Any, comment: str) -> PurchaseOrder:
    """An approver sends the order back to the purchaser (previewed, with the reason)."""
    require(actor, "approve_order")
    if not comment.strip():
        raise OrderError("say why the order is rejected")
    order = locked(order.pk)
    _check_approver(order, actor)
    order.budget_fen = None
    order.transition(
        OrderStatus.PREVIEWED,
        actor=actor,
        message=f"rejected: {comment}",
        kind="rejected",
        fields=("budget_fen",),
    )
    return order


def _check_approver(order: PurchaseOrder, actor: Any) -> None:
    if not can_approve(order):
        raise OrderError(f"the order is not awaiting approval (it is {order.status})")
    if order.created_by_id is not None and order.created_by_id == actor.pk:
        raise NotAllowed("nobody approves their own order")
