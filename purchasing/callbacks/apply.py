"""Apply a stored upstream message to our order, once.

The message row is locked and marked applied in the same transaction as the order change, so
a second run (a redelivered task) changes nothing. Status messages are ordered by `updatedAt`
and never move an order backwards; price changes before payment stop the order for a person;
refund moves are marked for after-sales. A message that was not verified (CALLBACK_AUTH=
verify_by_query) is a hint: its body only names the order, which is then read from the
upstream, so a forged push changes nothing the upstream does not confirm. Every body is read
into the upstream's types (upstream/types/callbacks.py, looked up in handlers.py); one that
cannot be read is refused: stored with the reason, never applied. A parked message
(parking.py) waits for a person.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from purchasing.callbacks.handlers import handler_for
from purchasing.models import PurchaseOrder, UpstreamMessage
from purchasing.models.orders import Provider
from purchasing.money import format_cny, format_cny_change, within_tolerance
from purchasing.phrases import gettext as _
from purchasing.services.orders.events import flag_attention
from purchasing.services.orders.lifecycle import apply_upstream_status, order_refresh
from purchasing.signals import refund_moved
from purchasing.statuses import RANK, OrderStatus
from upstream.types.base import Unreadable
from upstream.types.callbacks import (
    CallbackMessage,
    PriceMessage,
    RefundMessage,
    StatusMessage,
)

logger = logging.getLogger("purchasing.callbacks")
Outcome = UpstreamMessage.Outcome


def apply_message(*, message_id: int) -> str:
    """Apply one stored message; its outcome. Safe to run twice."""
    refresh_order_id = None
    with transaction.atomic():
        message = UpstreamMessage.objects.select_for_update().get(pk=message_id)
        if message.applied_at is not None or message.outcome == Outcome.PARKED:
            logger.info("message %s already handled (%s)", message_id, message.outcome)
            return message.outcome
        handler = handler_for(message.provider, message.message_type)
        if handler is None:
            # Stored and shown, not dropped: a person reads it in the admin.
            return _done(message, Outcome.UNKNOWN_TYPE, None)
        try:
            notice = handler(message.body)
        except Unreadable as exc:
            logger.warning("callback %s refused: %s", message_id, exc)
            message.error = f"refused: {exc}"
            message.save(update_fields=["error"])
            return _done(message, Outcome.REFUSED, None)
        order = _find_order(notice)
        if order is None:
            return _done(message, Outcome.NO_ORDER, None)
        if not message.verified:
            _read_again_after_commit(order.pk)
            return _done(message, Outcome.HINT, order)
        if isinstance(notice, RefundMessage):
            outcome = _refund(order, notice)
            platform = order.platform
            transaction.on_commit(
                lambda: refund_moved.send(sender=UpstreamMessage, message=notice, platform=platform)
            )
        elif isinstance(notice, PriceMessage):
            outcome = _price(order, notice, message.message_type)
        elif len(order.upstream_ids) > 1:
            # One of several upstream orders moved: ours is as far as the slowest of them,
            # which only a fresh read can tell.
            refresh_order_id = order.pk
            outcome = Outcome.APPLIED
        else:
            outcome = apply_upstream_status(
                order,
                notice.status,
                source=_("message from %(provider)s")
                % {"provider": str(Provider(message.provider).label)},
                updated_ms=notice.updated_ms,
            )
            if outcome == Outcome.APPLIED:
                _lines(order, notice)
        _done(message, outcome, order)
    if refresh_order_id is not None:
        order_refresh(order_id=refresh_order_id, source="re-read after a callback")
    return outcome


def _read_again_after_commit(order_id: int) -> None:
    """Schedule a read of the order from the upstream: the only thing an unverified push does."""
    from purchasing.tasks import refresh_order

    transaction.on_commit(
        lambda: refresh_order.delay(order_id=order_id, source="read after an unverified callback")
    )


def _done(message: UpstreamMessage, outcome: str, order: PurchaseOrder | None) -> str:
    message.outcome, message.order, message.applied_at = outcome, order, timezone.now()
    message.save(update_fields=["outcome", "order", "applied_at"])
    return outcome


def _find_order(notice: CallbackMessage) -> PurchaseOrder | None:
    match = Q(pk__in=[])
    if notice.reference:
        match |= Q(reference=notice.reference)
    if notice.upstream_order_id:
        match |= Q(upstream_order_id=notice.upstream_order_id)
        if connection.features.supports_json_field_contains:  # not on SQLite
            match |= Q(upstream_order_ids__contains=[notice.upstream_order_id])
    return PurchaseOrder.objects.select_for_update().filter(match).first()


def _price(order: PurchaseOrder, notice: PriceMessage, message_type: str) -> str:
    """A price change before payment: keep the new price beside the accepted one, and stop the
    order for a person when it moved beyond the tolerance. After payment it is history."""
    if notice.total_fen is None:
        return Outcome.APPLIED
    known = order.upstream_updated_ms
    if notice.updated_ms is not None and known is not None and notice.updated_ms <= known:
        return Outcome.STALE
    if RANK.get(order.status, 99) >= RANK[OrderStatus.PAID] or order.status in (
        OrderStatus.CANCELLED,
        OrderStatus.FAILED,
    ):
        order.note(
            _("price message after payment ignored: %(total)s")
            % {"total": format_cny(notice.total_fen)},
            kind="price",
        )
        return Outcome.STALE
    order.upstream_total_fen = notice.total_fen
    order.save(update_fields=["upstream_total_fen", "updated_at"])
    accepted = order.budget_fen if order.budget_fen is not None else order.quoted_total_fen
    change = notice.total_fen - accepted
    order.note(
        _("upstream price changed to %(total)s (%(change)s against the accepted %(accepted)s)")
        % {
            "total": format_cny(notice.total_fen),
            "change": format_cny_change(change),
            "accepted": format_cny(accepted),
        },
        actor_label="upstream",
        kind="price",
    )
    if not within_tolerance(accepted, notice.total_fen):
        flag_attention(
            order,
            _(
                "price changed before payment: %(total)s instead of the accepted %(accepted)s "
                "(%(change)s)"
            )
            % {
                "total": format_cny(notice.total_fen),
                "accepted": format_cny(accepted),
                "change": format_cny_change(change),
            },
            actor_label="upstream",
        )
    return Outcome.APPLIED


def _refund(order: PurchaseOrder, notice: RefundMessage) -> str:
    """Mark the lines; after-sales hears of it through the `refund_moved` signal."""
    lines = order.lines.all()
    if notice.sub_order_ids:
        lines = lines.filter(upstream_sub_order_id__in=notice.sub_order_ids)
    lines.update(aftersales_status=(notice.refund_status or "refund")[:40])
    order.note(
        _("refund moved: %(status)s") % {"status": notice.refund_status},
        actor_label="upstream",
        kind="refund",
    )
    return Outcome.AFTERSALES


def _lines(order: PurchaseOrder, notice: StatusMessage) -> None:
    ours = list(order.lines.all())
    for data in notice.lines:
        for line in ours:
            same_sub = data.sub_order_id and data.sub_order_id == line.upstream_sub_order_id
            same_sku = (data.item_id, data.sku_id) == (line.item_id, line.sku_id)
            if same_sub or same_sku:
                line.status = data.status or line.status
                line.tracking_company = (data.company or line.tracking_company)[:60]
                line.tracking_no = (data.tracking or line.tracking_no)[:60]
                line.save(update_fields=["status", "tracking_company", "tracking_no"])
                break
