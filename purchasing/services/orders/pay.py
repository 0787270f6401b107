"""Paying orders, never twice (DESIGN.md, rule 2).

A PaymentAttempt is committed before the pay call (and a partial unique constraint allows one
live attempt per order). Before every call the order is read upstream: an order the upstream
reports paid is not paid again, and a total that moved from the accepted one beyond the
tolerance, either way, stops with needs_attention. A call whose outcome is unknown leaves
the attempt `unknown`; the next run reads the order before anything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.money import format_cny, format_cny_change, within_tolerance
from purchasing.routes import Capability, route_for
from purchasing.services.orders.common import (
    Busy,
    OrderError,
    lease,
    locked,
    logger,
    now,
    require,
)
from purchasing.services.orders.events import advance_to, flag_attention
from purchasing.services.orders.lifecycle import read_upstream
from purchasing.statuses import OrderStatus
from upstream import errors
from upstream.types.orders import PayResult


def order_pay(*, orders: Iterable[PurchaseOrder], actor: Any) -> list[PaymentAttempt]:
    """Pay one order or a batch: each gets a committed PaymentAttempt and -> paying, then one
    task pays them all. Orders already paid or being paid are skipped."""
    from purchasing.tasks import pay_orders

    require(actor, "pay_order")
    attempts: list[PaymentAttempt] = []
    with transaction.atomic():
        # Lock in id order, so two batches sharing orders cannot deadlock.
        for order_id in sorted({order.pk for order in orders}):
            order = locked(order_id)
            if order.payments.filter(
                status__in=[
                    PaymentAttempt.Status.SUCCEEDED,
                    PaymentAttempt.Status.PENDING,
                    PaymentAttempt.Status.UNKNOWN,
                ]
            ).exists():
                logger.info("order %s: already paid or being paid; skipped", order.reference)
                continue
            if order.status != OrderStatus.AWAITING_PAYMENT:
                raise OrderError(f"{order.reference} is {order.status}: it cannot be paid")
            if order.needs_attention:
                raise OrderError(f"{order.reference} needs attention: {order.attention_reason}")
            number = order.payments.count() + 1
            attempts.append(
                PaymentAttempt.objects.create(
                    order=order,
                    key=f"{order.reference}-P{number}",
                    amount_fen=order.upstream_total_fen or order.budget_fen or 0,
                    requested_by=actor,
                )
            )
            order.paid_by = actor
            order.transition(
                OrderStatus.PAYING, actor=actor, message="payment requested", fields=("paid_by",)
            )
        ids = [attempt.order_id for attempt in attempts]
        if ids:
            transaction.on_commit(lambda: pay_orders.delay(order_ids=ids))
    return attempts


def order_pay_upstream(*, order_ids: Iterable[int]) -> None:
    """The pay task's work; safe to run any number of times. Raises Busy or a RetryableError
    (after recording what it knows) when the task should run again later."""
    ready: list[tuple[PurchaseOrder, PaymentAttempt, list[str]]] = []
    retry: Exception | None = None
    for order_id in sorted(set(order_ids)):
        try:
            prepared = _prepare(order_id)
        except (Busy, errors.RetryableError) as exc:
            retry = exc
            continue
        if prepared is not None:
            ready.append(prepared)
    # Orders whose route pays several at once go in one call; the rest one by one.
    batch = [r for r in ready if route_for(r[0]).can(Capability.BATCH_PAY)]
    singles = [r for r in ready if r not in batch]
    if len(batch) > 1:
        retry = _pay(batch, batched=True) or retry
    else:
        singles += batch
    for one in singles:
        retry = _pay([one], batched=False) or retry
    if retry is not None:
        raise retry


def _prepare(order_id: int) -> tuple[PurchaseOrder, PaymentAttempt, list[str]] | None:
    """Read the order upstream and decide: already paid, price moved, or pay (lease taken)."""
    with transaction.atomic():
        order = locked(order_id)
        attempt = order.payments.filter(
            status__in=[PaymentAttempt.Status.PENDING, PaymentAttempt.Status.UNKNOWN]
        ).first()
        if order.status != OrderStatus.PAYING or attempt is None:
            logger.info("order %s: no payment waiting (%s)", order.reference, order.status)
            return None
        if attempt.lease_until and attempt.lease_until > now():
            raise Busy(f"{order.reference}: a pay call may be in flight")
    upstream = read_upstream(order)
    with transaction.atomic():
        order = locked(order_id)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if order.status != OrderStatus.PAYING or attempt.status not in (
            PaymentAttempt.Status.PENDING,
            PaymentAttempt.Status.UNKNOWN,
        ):
            return None
        if attempt.lease_until and attempt.lease_until > now():
            raise Busy(f"{order.reference}: a pay call may be in flight")
        if upstream and all(u.paid for u in upstream):
            _succeeded(order, attempt, sum(u.total_fen for u in upstream), "upstream reports paid")
            return None
        unpaid = [u for u in upstream if not u.paid]
        total = sum(u.total_fen for u in unpaid)
        # The whole order against what was accepted, either way (a part already paid counts).
        asked = sum(u.total_fen for u in upstream)
        budget = order.budget_fen if order.budget_fen is not None else order.quoted_total_fen
        if not within_tolerance(budget, asked):
            order.upstream_total_fen = asked
            order.save(update_fields=["upstream_total_fen", "updated_at"])
            why = _("the upstream asks %(asked)s; %(budget)s was accepted (%(change)s)") % {
                "asked": format_cny(asked),
                "budget": format_cny(budget),
                "change": format_cny_change(asked - budget),
            }
            _failed(order, attempt, why)
            return None
        if attempt.status == PaymentAttempt.Status.UNKNOWN:
            order.note("the last pay call's outcome was unknown; upstream says unpaid: paying")
        attempt.status, attempt.amount_fen = PaymentAttempt.Status.PENDING, total
        attempt.lease_until = now() + lease()
        attempt.save(update_fields=["status", "amount_fen", "lease_until"])
        return order, attempt, [u.order_id for u in unpaid]


def _pay(group: list[tuple[PurchaseOrder, PaymentAttempt, list[str]]], *, batched: bool):
    """One pay call for the group; what it learnt is recorded. A retry reason, or None."""
    try:
        result, operation = _call(group, batched=batched)
    except errors.UpstreamError as exc:
        for order, attempt, _ids in group:
            _call_failed(order.pk, attempt.pk, exc)
        return exc if exc.retryable or exc.outcome_unknown else None
    paid = set(result.paid_order_ids)
    for order, attempt, ids in group:
        with transaction.atomic():
            order = locked(order.pk)
            attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
            attempt.operation = operation
            if attempt.status != PaymentAttempt.Status.PENDING:
                continue
            if ids and set(ids) <= paid:
                _succeeded(order, attempt, attempt.amount_fen, f"paid by {operation}")
            else:
                attempt.pay_url = result.pay_url[:1000]
                why = "not paid by the upstream"
                if result.pay_url:
                    why = f"protocol payment unavailable: pay at the cashier {result.pay_url}"
                _failed(order, attempt, why)
    return None


def _call(group, *, batched: bool) -> tuple[PayResult, str]:
    """Pay through the route of the group's orders (a batch shares one route)."""
    route = route_for(group[0][0])
    if batched:
        return route.pay_batch([i for _o, _a, order_ids in group for i in order_ids])
    [(_order, _attempt, ids)] = group
    return route.pay(ids)


def _succeeded(order: PurchaseOrder, attempt: PaymentAttempt, amount: int, how: str) -> None:
    attempt.status, attempt.finished_at, attempt.lease_until = (
        PaymentAttempt.Status.SUCCEEDED,
        now(),
        None,
    )
    attempt.save(update_fields=["status", "finished_at", "lease_until", "operation"])
    order.actual_fen, order.paid_at = amount, now()
    order.save(update_fields=["actual_fen", "paid_at", "updated_at"])
    # The payment is the payer's act, confirmed by the upstream: the timeline names the payer.
    payer = order.paid_by
    advance_to(
        order,
        OrderStatus.PAID,
        actor=payer,
        actor_label=payer.get_username() if payer else "upstream",
        message=f"{how}: {amount} fen",
    )


def _failed(order: PurchaseOrder, attempt: PaymentAttempt, why: str) -> None:
    attempt.status, attempt.finished_at, attempt.lease_until = (
        PaymentAttempt.Status.FAILED,
        now(),
        None,
    )
    attempt.error = why[:2000]
    attempt.save(update_fields=["status", "finished_at", "lease_until", "error", "pay_url"])
    order.transition(OrderStatus.AWAITING_PAYMENT, message=f"payment stopped: {why}")
    flag_attention(order, f"payment stopped: {why}")


def _call_failed(order_id: int, attempt_id: int, exc: errors.UpstreamError) -> None:
    with transaction.atomic():
        order = locked(order_id)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        attempt.upstream_request_id = exc.request_id[:64]
        attempt.lease_until = None
        if exc.outcome_unknown:
            # It may have paid: the next run reads the order before anything else.
            attempt.status, attempt.error = PaymentAttempt.Status.UNKNOWN, str(exc)[:2000]
            attempt.save(update_fields=["status", "error", "lease_until", "upstream_request_id"])
            order.note(
                f"pay outcome unknown ({exc}); reading the order before any retry",
                kind="pay_unknown",
                upstream_request_id=exc.request_id,
            )
        elif exc.retryable:
            attempt.save(update_fields=["lease_until", "upstream_request_id"])
            order.note(f"upstream busy, will retry: {exc}", kind="retry")
        else:
            _failed(order, attempt, f"the upstream refused: {exc}")
