"""Paying orders, never twice (DESIGN.md, rule 2).

A PaymentAttempt is committed before the pay call (and a partial unique constraint allows one
live attempt per order). Before every call the order is read upstream: an order the upstream
reports paid is not paid again, and a total that moved from the accepted one beyond the
tolerance, either way, stops with needs_attention. A call whose outcome is unknown leaves
the attempt `unknown`; the next run reads the order before anything else, and pays again only
once the call's lease has run out: until then the call may still land, and the upstream does
not refuse a second payment (upstream-api.md 6.4).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction

from purchasing.actors import is_policy, person
from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.money import format_cny, format_cny_change, within_tolerance
from purchasing.phrases import gettext as _
from purchasing.phrases import labelled
from purchasing.routes import Capability, route_for
from purchasing.rules import awaits_payment, can_pay
from purchasing.selectors.orders import cashier_links, pay_hold
from purchasing.services.orders import cashier
from purchasing.services.orders.approval import policy_accepted
from purchasing.services.orders.common import (
    Busy,
    OrderError,
    lease,
    locked,
    logger,
    now,
    require,
    sooner,
)
from purchasing.services.orders.events import advance_to, flag_attention
from purchasing.services.orders.lifecycle import keep_status, read_upstream, sync_lines
from purchasing.services.orders.outcomes import Outcome, outcome_of
from purchasing.statuses import OrderStatus
from purchasing.upstream_errors import refusal, what_happened
from upstream import errors
from upstream.types.orders import PayResult

# An order ready to pay: locked-in attempt (lease taken) and the upstream orders still unpaid.
Prepared = tuple[PurchaseOrder, PaymentAttempt, list[str]]


def order_pay(*, orders: Iterable[PurchaseOrder], actor: Any) -> list[PaymentAttempt]:
    """Pay one order or a batch: each gets a committed PaymentAttempt and -> paying, then one
    task pays them all. Orders already paid or being paid are skipped.

    A person needs the pay permission and is named as the payer; a policy pays only orders a
    policy accepted (a person's acceptance is theirs to pay)."""
    from purchasing.tasks import pay_orders

    require(actor, "pay_order")
    payer = person(actor)
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
            if not awaits_payment(order):
                raise OrderError(
                    _("%(reference)s is %(status)s: it cannot be paid")
                    % {"reference": order.reference, "status": order.get_status_display().lower()}
                )
            if not can_pay(order):
                raise OrderError(
                    _("%(reference)s needs attention: %(reason)s")
                    % {"reference": order.reference, "reason": order.attention_reason}
                )
            if hold := pay_hold(order):
                raise OrderError(
                    _("%(reference)s is not paid: %(hold)s")
                    % {"reference": order.reference, "hold": hold}
                )
            if is_policy(actor) and not policy_accepted(order):
                raise OrderError(
                    _("%(reference)s was accepted by a person, who pays it")
                    % {"reference": order.reference}
                )
            if is_policy(actor) and cashier_links([order]):
                # Password-free payment was refused: a person pays at the cashier, never a policy.
                raise OrderError(
                    _("%(reference)s is left for a person to pay at the cashier")
                    % {"reference": order.reference}
                )
            number = order.payments.count() + 1
            attempts.append(
                PaymentAttempt.objects.create(
                    order=order,
                    key=f"{order.reference}-P{number}",
                    amount_fen=order.upstream_total_fen or order.budget_fen or 0,
                    requested_by=payer,
                )
            )
            if is_policy(actor):
                # The timeline names the policy; the payer stays whoever paid before, if anyone.
                order.transition(
                    OrderStatus.PAYING, actor=actor, message=_("payment requested by policy")
                )
            else:
                order.paid_by = payer
                order.transition(
                    OrderStatus.PAYING,
                    actor=actor,
                    message=_("payment requested"),
                    fields=("paid_by",),
                )
        ids = [attempt.order_id for attempt in attempts]
        if ids:
            transaction.on_commit(lambda: pay_orders.delay(order_ids=ids))
    return attempts


def order_pay_upstream(*, order_ids: Iterable[int]) -> None:
    """The pay task's work; safe to run any number of times. Raises Busy or a RetryableError
    (after recording what it knows) when the task should run again later."""
    ready: list[Prepared] = []
    retry: Exception | None = None
    for order_id in sorted(set(order_ids)):
        try:
            prepared = _prepare(order_id)
        except (Busy, errors.RetryableError) as exc:
            retry = sooner(retry, exc)
            continue
        if prepared is not None:
            ready.append(prepared)
    # Looked at once all are read: a part found stopped in this very run holds its others back.
    ready = [prepared for prepared in ready if not _held_back(prepared)]
    # Orders whose route pays several at once go in batch calls; the rest one by one.
    for group in batches(ready):
        retry = sooner(retry, _pay(group, batched=len(group) > 1))
    if retry is not None:
        raise retry


def batches(ready: list[Prepared]) -> list[list[Prepared]]:
    """The pay calls to make: per route, orders whose route pays several at once share calls
    of at most CAIGOU_BATCH_PAY_MAX upstream orders; an order is never split between calls (a
    chunk whose outcome is unknown is then resolved order by order, by reading each)."""
    most = max(1, settings.CAIGOU_BATCH_PAY_MAX)
    calls: list[list[Prepared]] = []
    open_chunk: dict[type, list[Prepared]] = {}
    for prepared in ready:
        route = route_for(prepared[0])
        if not route.can(Capability.BATCH_PAY):
            calls.append([prepared])
            continue
        chunk = open_chunk.get(type(route))
        if chunk is None or sum(len(ids) for _o, _a, ids in chunk) + len(prepared[2]) > most:
            chunk = open_chunk[type(route)] = []
            calls.append(chunk)
        chunk.append(prepared)
    return calls


def _prepare(order_id: int) -> Prepared | None:
    """Read the order upstream and decide: already paid, price moved, or pay (lease taken)."""
    with transaction.atomic():
        order = locked(order_id)
        attempt = order.payments.filter(
            status__in=[PaymentAttempt.Status.PENDING, PaymentAttempt.Status.UNKNOWN]
        ).first()
        if order.status != OrderStatus.PAYING or attempt is None:
            logger.info("order %s: no payment waiting (%s)", order.reference, order.status)
            return None
        _not_in_flight(order, attempt)
    upstream = read_upstream(order)
    link = ""
    if cashier.gives_up(order, attempt) and any(u.unpaid for u in upstream):
        # Asked before the lock: a person will pay these at the cashier.
        link = cashier.link_for(order, [u.order_id for u in upstream if u.unpaid])
    with transaction.atomic():
        order = locked(order_id)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if order.status != OrderStatus.PAYING or attempt.status not in (
            PaymentAttempt.Status.PENDING,
            PaymentAttempt.Status.UNKNOWN,
        ):
            return None
        _not_in_flight(order, attempt)
        # What the read says of the lines is kept: the read after an ids-only create
        # (lifecycle.order_refresh, unless_linked) then has nothing left to learn.
        sync_lines(order, upstream)
        keep_status(order, upstream)
        if upstream and all(u.paid for u in upstream):
            _succeeded(
                order, attempt, sum(u.total_fen for u in upstream), _("upstream reports paid")
            )
            return None
        doubtful = [u for u in upstream if not (u.paid or u.unpaid)]
        if doubtful:
            _doubtful(order, attempt, doubtful)
            return None
        if attempt.may_still_land:
            raise Busy(
                f"{order.reference}: the last pay call may still land", until=attempt.lease_until
            )
        unpaid = [u for u in upstream if u.unpaid]
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
        if cashier.gives_up(order, attempt):
            _failed(order, attempt, cashier.given_up(order), link)
            return None
        if attempt.status == PaymentAttempt.Status.UNKNOWN:
            order.note(_("the last pay call's outcome was unknown; upstream says unpaid: paying"))
        attempt.status, attempt.amount_fen = PaymentAttempt.Status.PENDING, total
        attempt.lease_until = now() + lease()
        attempt.save(update_fields=["status", "amount_fen", "lease_until"])
        return order, attempt, [u.order_id for u in unpaid]


def _not_in_flight(order: PurchaseOrder, attempt: PaymentAttempt) -> None:
    """A pending attempt under its lease is a call in flight: Busy. An unknown one may be read
    at once (it may have paid), but not paid again before its lease runs out."""
    if attempt.status == PaymentAttempt.Status.PENDING and attempt.may_still_land:
        raise Busy(f"{order.reference}: a pay call may be in flight", until=attempt.lease_until)


def _doubtful(order: PurchaseOrder, attempt: PaymentAttempt, doubtful: list) -> None:
    """The upstream's status cannot tell whether it has the money: paying could pay twice. The
    attempt keeps what it knew, the order stays `paying` (the sweeper reads it again), and a
    person is asked to look."""
    statuses = ", ".join(sorted({u.status or _("no status") for u in doubtful}))
    why = _(
        "the upstream's status (%(statuses)s) does not say whether it has been paid: not paid "
        "again; check the order upstream"
    ) % {"statuses": statuses}
    if order.attention_reason != why:
        flag_attention(order, why)


def _pay(group: list[Prepared], *, batched: bool):
    """One pay call for the group; what it learnt is recorded. A retry reason, or None."""
    try:
        result, operation = _call(group, batched=batched)
    except errors.UpstreamError as exc:
        outcome = outcome_of(exc)
        for order, attempt, ids in group:
            means = outcome == Outcome.PERSON and cashier.refuses_means(exc)
            link = cashier.link_for(order, ids) if means else ""
            _call_failed(order.pk, attempt.pk, exc, outcome, link)
        if outcome == Outcome.UNKNOWN:
            # Come back soon: the next run reads the orders before anything else.
            return Busy(f"pay outcome unknown ({exc})")
        return exc if outcome == Outcome.RETRY else None
    paid = set(result.paid_order_ids)
    for order, attempt, ids in group:
        with transaction.atomic():
            order = locked(order.pk)
            attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
            attempt.operation = operation
            if attempt.status != PaymentAttempt.Status.PENDING:
                continue
            if ids and set(ids) <= paid:
                _succeeded(order, attempt, attempt.amount_fen, _("paid through the upstream"))
            elif result.pay_url:
                # PandaPon's refusal of password-free payment comes with its cashier's URL.
                link = cashier.link_for(order, ids, given=result.pay_url)
                _failed(order, attempt, _("password-free payment refused"), link)
            else:
                _failed(order, attempt, _("not paid by the upstream"))
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
        message=labelled(how, format_cny(amount)),
    )


def _failed(order: PurchaseOrder, attempt: PaymentAttempt, why: str, pay_url: str = "") -> None:
    """The attempt failed (with the cashier link where a person can still pay): back to
    awaiting payment, for a person."""
    _end_attempt(attempt, why, pay_url)
    reason = cashier.stop_reason(why, pay_url)
    order.transition(OrderStatus.AWAITING_PAYMENT, message=reason)
    flag_attention(order, reason)


def _end_attempt(attempt: PaymentAttempt, why: str, pay_url: str = "") -> None:
    attempt.status, attempt.lease_until = PaymentAttempt.Status.FAILED, None
    attempt.finished_at = now()
    attempt.keep_error(why)
    attempt.pay_url = pay_url
    ended = ("status", "finished_at", "lease_until", "error", "error_words", "pay_url")
    attempt.save(update_fields=[*ended, "operation", "upstream_request_id"])


def _held_back(prepared: Prepared) -> bool:
    """A part of a split draft is not paid while another part of it is stopped for a person:
    its attempt ends and it awaits payment again, unflagged (the stopped part carries the flag a
    person acts on)."""
    order, attempt, _ids = prepared
    if order.split_from_id is None:
        return False
    with transaction.atomic():
        order = locked(order.pk)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        hold = pay_hold(order)
        if hold:
            _held(order, attempt, hold)
    return bool(hold)


def _held(order: PurchaseOrder, attempt: PaymentAttempt, why: str) -> None:
    _end_attempt(attempt, why)
    order.transition(OrderStatus.AWAITING_PAYMENT, message=why)


def _call_failed(
    order_id: int, attempt_id: int, exc: errors.UpstreamError, outcome: Outcome, pay_url: str
) -> None:
    """An unreadable answer or an unknown code may hide a payment: unknown, read before any
    retry. Only a refusal that certainly moved no money gives the order back to a person."""
    with transaction.atomic():
        order = locked(order_id)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        attempt.upstream_request_id = exc.request_id[:64]
        if outcome == Outcome.UNKNOWN:
            # It may have paid, or may yet: the next run reads the order before anything else,
            # and the lease stays, so that nothing pays again while the call may still land.
            # In words: the code, the call and the request id are in the call journal.
            attempt.status = PaymentAttempt.Status.UNKNOWN
            attempt.keep_error(what_happened(exc))
            attempt.save(update_fields=["status", "error", "error_words", "upstream_request_id"])
            order.note(
                _("pay outcome unknown (%(error)s); reading the order before any retry")
                % {"error": what_happened(exc)},
                kind=cashier.PAY_UNKNOWN,
                upstream_request_id=exc.request_id,
            )
        elif outcome == Outcome.RETRY:
            attempt.lease_until = None
            attempt.save(update_fields=["lease_until", "upstream_request_id"])
            order.note(
                _("upstream busy, will retry: %(error)s") % {"error": what_happened(exc)},
                kind="retry",
            )
        elif pay_url:
            _failed(
                order,
                attempt,
                _("password-free payment refused: %(exc)s") % {"exc": refusal(exc)},
                pay_url,
            )
        else:
            _failed(order, attempt, _("the upstream refused: %(error)s") % {"error": refusal(exc)})
