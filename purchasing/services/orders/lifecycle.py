"""After the create: refresh from upstream, cancel, confirm receipt, warehouse info, the IM
link and logistics. Upstream statuses only ever move an order forward (statuses.is_older)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from purchasing.actors import is_policy
from purchasing.models import PurchaseOrder
from purchasing.money import format_cny
from purchasing.phrases import gettext, labelled, of_label, restored
from purchasing.routes import Capability, route_for
from purchasing.rules import (
    can_cancel,
    can_change_warehouse,
    can_confirm_receipt,
    cancels_locally,
    is_closed,
)
from purchasing.services.orders import cashier
from purchasing.services.orders.common import OrderError, locked, logger, now, require
from purchasing.services.orders.events import advance_to, flag_attention
from purchasing.services.orders.linking import pair_lines
from purchasing.signals import order_refreshed
from purchasing.statuses import FINAL, RANK, OrderStatus, can_move, from_upstream, is_older
from upstream.types.orders import LogisticsTrace
from upstream.types.orders import Order as UpstreamOrder

# Where a status came from, as the tasks name it (a task's arguments travel as plain text): said
# on the timeline in the reader's language.
SOURCES = frozenset(
    {
        gettext_noop("refreshed from upstream"),
        gettext_noop("reconciled with upstream"),
        gettext_noop("re-read after a callback"),
        gettext_noop("read after an unverified callback"),
    }
)


def said_source(source: str) -> str:
    """The source as a phrase where it is one of SOURCES, else as it came (a phrase already)."""
    return gettext(source) if source in SOURCES else source


def apply_upstream_status(
    order: PurchaseOrder,
    raw_status: str,
    *,
    source: str,
    updated_ms: int | None = None,
    request_id: str = "",
    paid_fen: int | None = None,
) -> str:
    """Apply an upstream status to a locked order: "applied", "stale" or "unknown_status".

    `updated_ms` (a message's updatedAt) orders messages: one not newer than the last applied
    is stale. A status behind ours is stale too, whatever its time. `paid_fen` is what the
    upstream says was paid, where the caller read it (a refresh; a status message has none)."""
    if order.status == OrderStatus.SUBMITTING and not order.upstream_ids:
        # The create's own news, before the submit run stored the ids: that run (or the
        # sweeper's look-up by reference) adopts the order; moving it now would skip that.
        return "stale"
    known = order.upstream_updated_ms
    if updated_ms is not None and known is not None and updated_ms <= known:
        return "stale"
    target = from_upstream(raw_status)
    fields = ["upstream_status", "upstream_synced_at", "updated_at"]
    order.upstream_synced_at = now()
    if updated_ms is not None:
        order.upstream_updated_ms = updated_ms
        fields.append("upstream_updated_ms")
    if target is None:
        order.upstream_status = raw_status
        order.save(update_fields=fields)
        order.note(
            gettext("unknown upstream status %(status)s (%(source)s)")
            % {"status": repr(raw_status), "source": source},
            actor_label="upstream",
        )
        return "unknown_status"
    if target == OrderStatus.CANCELLED and order.status not in FINAL:
        # "Closed" is not behind anything on the happy path: it is its own way out.
        order.upstream_status = raw_status
        order.save(update_fields=fields)
        paid_fen = money_at_stake(order)
        refunded = bool(order.refunded_fen) and order.refunded_fen >= (paid_fen or 0)
        if paid_fen is not None and not refunded:
            _closed_after_payment(order, raw_status, source, paid_fen)
        elif can_move(order.status, OrderStatus.CANCELLED):
            order.transition(
                OrderStatus.CANCELLED,
                actor_label="upstream",
                message=labelled(said_source(source), raw_status),
            )
        else:
            flag_attention(
                order,
                gettext("upstream closed the order (%(code)s) while it was “%(status)s”")
                % {"code": raw_status, "status": of_label(OrderStatus(order.status).label)},
            )
        return "applied"
    if is_older(target, order.status) and target != order.status:
        order.save(update_fields=[f for f in fields if f != "upstream_status"])
        return "stale"
    order.upstream_status = raw_status
    order.save(update_fields=fields)
    message, cleared = labelled(said_source(source), raw_status), False
    becomes_paid = RANK.get(order.status, -1) < RANK[OrderStatus.PAID] <= RANK.get(target, -1)
    if becomes_paid and order.paid_at is None:
        order.paid_at = now()
        order.save(update_fields=["paid_at"])
    if becomes_paid and not order.payments.filter(status__in=["pending", "unknown"]).exists():
        # No pay call of ours is settling it: paid at the cashier, or outside Caigou.
        message, cleared = cashier.paid_outside(
            order, paid_fen=paid_fen, source=source, raw_status=raw_status
        )
    moved = advance_to(order, target, message=message, upstream_request_id=request_id)
    if moved and cleared:
        cashier.clear_cashier_stop(order)
    if not moved and target != order.status and RANK.get(target, -1) > RANK.get(order.status, -1):
        flag_attention(
            order,
            gettext("upstream says %(code)s, where an order “%(status)s” cannot go")
            % {"code": raw_status, "status": of_label(OrderStatus(order.status).label)},
        )
    if RANK.get(order.status, -1) >= RANK[OrderStatus.PAID]:
        _settle_payments(order, raw_status)
    return "applied"


def money_at_stake(order: PurchaseOrder) -> int | None:
    """What the upstream has (or may have) of ours for this order, in fen; None when no payment
    was made or is in doubt. A close of such an order is a refund question, not a cancel."""
    live = order.payments.filter(status__in=["succeeded", "pending", "unknown"])
    paid = RANK.get(order.status, -1) >= RANK[OrderStatus.PAID] or order.paid_at is not None
    if not paid and not live.exists():
        return None
    if order.actual_fen is not None:
        return order.actual_fen
    return sum(attempt.amount_fen for attempt in live)


def _closed_after_payment(
    order: PurchaseOrder, raw_status: str, source: str, paid_fen: int
) -> None:
    """The upstream closed an order it has our money for: the order keeps its status and the
    payment its record, and a person is asked to get the money back (the refund flow)."""
    paid = format_cny(paid_fen) if paid_fen else gettext("amount not known")
    if order.refunded_fen:
        paid = gettext("%(paid)s, of which %(refunded)s refunded") % {
            "paid": paid,
            "refunded": format_cny(order.refunded_fen),
        }
    reason = gettext(
        "The upstream reports this order closed, but it was paid (%(paid)s). The order and its "
        "payment are kept as they are: open a refund for what was paid, or ask the upstream "
        "why it closed the order."
    ) % {"paid": paid}
    logger.warning(
        "order %s closed upstream after payment (%s, %s)", order.reference, raw_status, source
    )
    flag_attention(order, reason, actor_label="upstream")


def _settle_payments(order: PurchaseOrder, raw_status: str) -> None:
    """The upstream has the money: a payment still pending or in doubt is settled by that."""
    live = order.payments.filter(status__in=["pending", "unknown"])
    for attempt in live:
        attempt.status, attempt.finished_at, attempt.lease_until = "succeeded", now(), None
        settled = gettext("settled: the upstream says %(status)s") % {"status": raw_status}
        if attempt.error:
            before = restored(attempt.error_words, attempt.error)
            # Translators: what befell a payment attempt, then what settled it.
            settled = gettext("%(before)s; %(settled)s") % {"before": before, "settled": settled}
        attempt.keep_error(settled)
        attempt.save(update_fields=["status", "finished_at", "lease_until", "error", "error_words"])
        if order.actual_fen is None:
            # The upstream's news overtook the pay call's own answer: what we paid is the
            # amount this attempt was committed for.
            order.actual_fen = attempt.amount_fen
            order.save(update_fields=["actual_fen", "updated_at"])


def read_upstream(order: PurchaseOrder) -> list[UpstreamOrder]:
    """The order's upstream orders, read by id (detail), in upstream_order_ids order."""
    return route_for(order).read(order.upstream_ids)


def order_refresh(
    *, order_id: int, source: str = "refreshed from upstream", unless_linked: bool = False
) -> PurchaseOrder:
    """Read the order upstream (detail) and bring ours up to date, never backwards.
    `unless_linked`: the read that learns the lines of an ids-only create, skipped when a read
    since (the pay's) has linked every line already."""
    order = PurchaseOrder.objects.get(pk=order_id)
    if not order.upstream_ids:
        return order
    if unless_linked and not order.lines.filter(upstream_sub_order_id="").exists():
        return order
    found = read_upstream(order)
    with transaction.atomic():
        order = locked(order_id)
        sync_lines(order, found)
        unpaid_total = sum(u.total_fen for u in found if u.unpaid)
        if unpaid_total and order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.SUBMITTING):
            order.upstream_total_fen = unpaid_total
            order.save(update_fields=["upstream_total_fen"])
        paid_fen = sum(u.total_fen for u in found if u.paid) or None
        apply_upstream_status(order, slowest(found).status, source=source, paid_fen=paid_fen)
    # What the status cannot say (a Taobao parcel signed for at the warehouse) the apps above
    # read themselves; they may move the order, so it is read again after them.
    order_refreshed.send(sender=PurchaseOrder, order=order)
    order.refresh_from_db()
    return order


def slowest(found: list[UpstreamOrder]) -> UpstreamOrder:
    """Several upstream orders under one reference: the order is as far as the slowest."""
    return min(found, key=lambda u: RANK.get(from_upstream(u.status) or "", 99))


def keep_status(order: PurchaseOrder, found: list[UpstreamOrder]) -> None:
    """What a read found of the order's upstream status, kept without moving the order (the
    caller, a pay, decides that): the status line shows the latest news."""
    if found:
        order.upstream_status, order.upstream_synced_at = slowest(found).status, now()
        order.save(update_fields=["upstream_status", "upstream_synced_at", "updated_at"])


def sync_lines(order: PurchaseOrder, found: list[UpstreamOrder]) -> None:
    """Link our lines to their sub-orders (`linking.pair_lines`) and copy what they say."""
    for line, upstream, sub in pair_lines(order.lines.all(), found):
        line.upstream_order_id = upstream.order_id
        line.upstream_sub_order_id = sub.sub_order_id
        line.status = sub.status or line.status
        line.tracking_company = sub.logistics_company or line.tracking_company
        line.tracking_no = sub.tracking_no or line.tracking_no
        line.save()


@transaction.atomic
def order_cancel(*, order: PurchaseOrder, actor: Any, reason: str = "") -> PurchaseOrder:
    """Cancel before payment: locally before the create, upstream after it.

    A policy cancels only what was never sent upstream, and an order already closed is left as
    it is (its cancel may run again); a person is told that a closed order cannot be cancelled."""
    require(actor, "create_order")
    order = locked(order.pk)
    if is_policy(actor) and is_closed(order):
        return order
    if cancels_locally(order):
        order.transition(OrderStatus.CANCELLED, actor=actor, message=reason or gettext("cancelled"))
        return order
    if not can_cancel(order) or is_policy(actor):
        raise OrderError(
            gettext("an order that is %(status)s cannot be cancelled")
            % {"status": order.get_status_display()}
        )
    route = route_for(order)
    for order_id in order.upstream_ids:
        route.cancel(order_id, reason)
    order.transition(
        OrderStatus.CANCELLED, actor=actor, message=reason or gettext("cancelled upstream")
    )
    return order


@transaction.atomic
def order_confirm_receipt(*, order: PurchaseOrder, actor: Any) -> PurchaseOrder:
    """1688: confirm the goods reached the warehouse (the upstream order becomes success)."""
    require(actor, "create_order")
    order = locked(order.pk)
    if not can_confirm_receipt(order):
        raise OrderError(gettext("only a shipped 1688 order can be confirmed as received"))
    route = route_for(order)
    for order_id in order.upstream_ids:
        route.confirm_receipt(order_id)
    order.transition(OrderStatus.AT_WAREHOUSE, actor=actor, message=gettext("receipt confirmed"))
    return order


@transaction.atomic
def order_update_warehouse(
    *, order: PurchaseOrder, actor: Any, warehouse_name: str, warehouse_address: str
) -> PurchaseOrder:
    """Taobao: change the agent warehouse an order ships to, before the seller ships."""
    require(actor, "create_order")
    order = locked(order.pk)
    if not can_change_warehouse(order):
        raise OrderError(
            gettext("warehouse information can change on unshipped Taobao orders only")
        )
    route_for(order).update_warehouse(
        order.upstream_order_id, name=warehouse_name, address=warehouse_address
    )
    order.address = {**order.address, "warehouse": warehouse_name, "address": warehouse_address}
    order.save(update_fields=["address", "updated_at"])
    order.note(
        gettext("warehouse changed to %(name)s") % {"name": warehouse_name},
        actor=actor,
        kind="warehouse",
    )
    return order


def order_im_link(*, order: PurchaseOrder) -> str:
    """A link to chat with the seller of a Taobao order's first item."""
    route = route_for(order)
    line = order.lines.first()
    if not route.can(Capability.IM) or line is None:
        raise OrderError(gettext("the IM link is for Taobao orders"))
    return route.im_link(line.item_id)


def order_logistics(*, order: PurchaseOrder) -> list[LogisticsTrace]:
    """The seller's parcels and their events, for display (empty before shipping)."""
    route = route_for(order)
    if not route.can(Capability.TRACE):
        logger.info("order %s: %r has no trace call", order.reference, route)
        return []
    return route.logistics(order)
