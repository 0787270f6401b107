"""Submitting an order upstream, exactly once (DESIGN.md, rule 2).

The outer reference is committed with the order before anything is sent. A run that may have
created (a lease taken, or an unknown outcome recorded) looks the order up by that reference
before it creates again; a run never overtakes a call that may still be in flight (the lease).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.actors import person
from purchasing.models import PurchaseOrder
from purchasing.money import format_cny, tolerance_fen, within_tolerance
from purchasing.phrases import gettext as _
from purchasing.phrases import labelled, listed
from purchasing.routes import Capability, Created, route_for
from purchasing.services.orders.common import (
    Busy,
    OrderError,
    lease,
    locked,
    logger,
    now,
    require,
    unless_taken_meanwhile,
)
from purchasing.services.orders.events import advance_to, flag_attention
from purchasing.services.orders.lifecycle import sync_lines
from purchasing.services.orders.lookup import (
    Adoption,
    LookUp,
    describe,
    is_awaiting_person,
    look_up,
)
from purchasing.services.orders.outcomes import Outcome, outcome_of, unreadable
from purchasing.services.orders.preview import take_preview
from purchasing.services.orders.recheck import preview_changes, why_preview_again
from purchasing.statuses import OrderStatus, from_upstream
from purchasing.upstream_errors import refusal, what_happened
from upstream import errors


@transaction.atomic
def order_submit(*, order: PurchaseOrder, actor: Any) -> PurchaseOrder:
    """Submit an approved order (a previewed one goes through order_confirm, which applies the
    approval rules). Submitting an order already under way changes nothing."""
    from purchasing.services.orders.approval import order_confirm

    require(actor, "submit_order")
    order = locked(order.pk)
    if order.status == OrderStatus.SUBMITTING:
        logger.info("order %s: submit again while submitting; nothing to do", order.reference)
        return order
    if order.status == OrderStatus.PREVIEWED:
        return order_confirm(order=order, actor=actor)
    if order.status != OrderStatus.APPROVED:
        raise OrderError(
            _("an order that is %(status)s cannot be submitted")
            % {"status": order.get_status_display()}
        )
    start_submit(order, actor=actor)
    return order


def start_submit(order: PurchaseOrder, *, actor: Any, accepted: str = "") -> None:
    """-> submitting, and the submit task enqueued once this transaction commits. `accepted`
    says on the same event how the order was accepted, when a policy accepted it."""
    from purchasing.tasks import submit_order

    order.submitted_by = person(actor)
    order.submitted_at = now()
    message = _("submitting as %(reference)s") % {"reference": order.reference}
    order.transition(
        OrderStatus.SUBMITTING,
        actor=actor,
        message=listed([accepted, message], semicolons=True) if accepted else message,
        fields=("submitted_by", "submitted_at"),
    )
    order_id = order.pk
    transaction.on_commit(lambda: submit_order.delay(order_id=order_id))


def order_submit_upstream(*, order_id: int) -> PurchaseOrder:
    """The submit task's work; safe to run any number of times, at the same time or not.

    Raises Busy or a RetryableError when the task should run again later."""
    with transaction.atomic():
        order = locked(order_id)
        if order.status != OrderStatus.SUBMITTING or order.upstream_ids:
            logger.info("order %s: not waiting for a create (%s)", order.reference, order.status)
            return order
        if is_awaiting_person(order):
            logger.info("order %s: a person chooses among the candidates", order.reference)
            return order
        # Under its lease a create may still land: an unknown one is looked up at once (our
        # reference, where echoed, settles it), but nothing is matched, put to a person or
        # created again before the lease runs out.
        under_lease = bool(order.create_lease_until and order.create_lease_until > now())
        if under_lease and not order.create_in_doubt:
            raise Busy(
                f"{order.reference}: a create may be in flight", until=order.create_lease_until
            )
        must_look_up = order.create_in_doubt or order.create_lease_until is not None
        attempts = order.create_attempts

    if must_look_up:
        found = look_up(order)
        if found.echoed:
            created = Created.from_orders(found.echoed)
            return _adopt(order_id, created, _("found upstream by our reference"))
        if under_lease:
            # Ours may still land, so the list is not yet all there will be: no match is judged
            # and no person chooses among look-alikes that may not include ours.
            raise Busy(
                f"{order.reference}: the create may still land; looking again later",
                until=order.create_lease_until,
            )
        if found.unique_match():
            return adopt_by_match(order_id, found, attempts=attempts)
        if found.candidates or found.incomplete:
            return _ask_a_person(order_id, found, attempts=attempts)
        with transaction.atomic():
            order = locked(order_id)
            if order.status != OrderStatus.SUBMITTING or order.upstream_ids:
                return order
            _as_looked_up(order, attempts)
            order.create_in_doubt, order.create_lease_until = False, None
            order.save(update_fields=["create_in_doubt", "create_lease_until", "updated_at"])
            order.note(_("nothing upstream could be ours: creating"), kind="lookup")

    if not _preview_still_holds(order_id):
        return PurchaseOrder.objects.get(pk=order_id)

    with transaction.atomic():
        order = locked(order_id)
        if order.status != OrderStatus.SUBMITTING or order.upstream_ids or order.create_in_doubt:
            return order
        if order.create_lease_until and order.create_lease_until > now():
            raise Busy(
                f"{order.reference}: a create may be in flight", until=order.create_lease_until
            )
        order.create_lease_until = now() + lease()
        order.create_attempts += 1
        order.save(update_fields=["create_lease_until", "create_attempts", "updated_at"])
        order.note(
            _("creating upstream (attempt %(n)d)") % {"n": order.create_attempts}, kind="create"
        )

    try:
        created = _create(order)
    except errors.UpstreamError as exc:
        outcome = outcome_of(exc)
        _create_failed(order_id, exc, outcome)
        if outcome == Outcome.UNKNOWN:
            # Come back soon, and look it up before anything else.
            raise Busy(f"{order.reference}: create outcome unknown ({exc})") from exc
        if outcome == Outcome.RETRY:
            raise
        return PurchaseOrder.objects.get(pk=order_id)
    except OrderError as exc:  # refused before anything was sent
        _create_failed(order_id, errors.BadRequest(str(exc)), Outcome.FAILED)
        return PurchaseOrder.objects.get(pk=order_id)
    return _adopt(order_id, created, _("created upstream"))


def _preview_still_holds(order_id: int) -> bool:
    """Re-check the accepted preview before creating: preview again when it may be stale (see
    recheck.why_preview_again), and stop with needs_attention, before anything is sent, when
    price, freight, a seller's total or availability moved beyond the tolerance."""
    order = PurchaseOrder.objects.get(pk=order_id)
    accepted = order.previews.filter(accepted_at__isnull=False).order_by("-pk").first()
    latest = order.previews.order_by("-pk").first()
    if accepted is None or latest is None:
        return _stop(order_id, _("no accepted preview: preview and confirm the order again"))
    why = why_preview_again(order, latest)
    if why:
        try:
            with transaction.atomic():
                order = locked(order_id)
                if order.status != OrderStatus.SUBMITTING or order.upstream_ids:
                    return False
                latest = take_preview(order)
                order.save()
                order.note(
                    _("%(why)s: previewed again, total %(total)s")
                    % {"why": why, "total": format_cny(latest.total_fen)}
                )
        except errors.UpstreamError as exc:
            if exc.retryable or exc.outcome_unknown:
                raise
            # A refusal (a cart line gone, an offer withdrawn) will not pass by itself.
            reason = _("the upstream refused the preview before the create: %(error)s")
            return _stop(order_id, reason % {"error": exc.msg})
    budget = order.budget_fen if order.budget_fen is not None else accepted.total_fen
    problems = preview_changes(accepted, latest, budget)
    if problems:
        return _stop(order_id, _("preview changed: %s") % "; ".join(problems))
    return True


def _stop(order_id: int, reason: str) -> bool:
    with transaction.atomic():
        order = locked(order_id)
        if order.status == OrderStatus.SUBMITTING and not order.upstream_ids:
            order.budget_fen = None
            order.transition(OrderStatus.PREVIEWED, message=reason, fields=("budget_fen",))
            flag_attention(order, reason)
    return False


def _create(order: PurchaseOrder) -> Created:
    """The one create call of this attempt. The budget caps what the upstream may charge where
    the route can say so: the accepted total plus the tolerance. An answer that names no order
    may hide one that was created: an unknown outcome, never a failure."""
    budget = (order.budget_fen or order.quoted_total_fen) + tolerance_fen()
    created = route_for(order).create(order, list(order.lines.all()), budget_fen=budget)
    if not created.ids or not all(created.ids):
        raise unreadable("create", "which order it created")
    return created


def _adopt(order_id: int, created: Created, how: str) -> PurchaseOrder:
    """Store the upstream ids and move on (awaiting payment, or paid if the upstream says so)."""
    with transaction.atomic():
        order = locked(order_id)
        if order.status != OrderStatus.SUBMITTING or order.upstream_ids:
            logger.info("order %s: already adopted; a second run stops", order.reference)
            return order
        adopt_locked(order, created, how)
        return order


def _as_looked_up(order: PurchaseOrder, attempts: int) -> None:
    unless_taken_meanwhile(
        order.reference,
        seen=attempts,
        attempts=order.create_attempts,
        until=order.create_lease_until,
    )


def adopt_by_match(order_id: int, found: LookUp, *, attempts: int) -> PurchaseOrder:
    """Adopt the one set of orders that matches ours without our reference, and stop it for a
    person to confirm: it may not be paid before that."""
    matched = found.unique_match()
    with transaction.atomic():
        order = locked(order_id)
        if order.status != OrderStatus.SUBMITTING or order.upstream_ids:
            logger.info("order %s: already adopted; a second run stops", order.reference)
            return order
        _as_looked_up(order, attempts)
        order.adoption = {**(order.adoption or {}), "state": Adoption.MATCHED}
        order.adoption["candidates"] = found.records()
        order.save(update_fields=["adoption", "updated_at"])
        adopt_locked(order, Created.from_orders(matched), _("found upstream by a match"))
        words = "; ".join(describe(record) for record in found.records())
        flag_attention(
            order,
            _("found by match, without our reference: confirm it is ours before paying (%s)")
            % words,
        )
        return order


def _ask_a_person(order_id: int, found: LookUp, *, attempts: int) -> PurchaseOrder:
    """Several candidates, or a doubtful one: nothing is adopted and nothing created again
    until a person adopts one or declares none ours."""
    with transaction.atomic():
        order = locked(order_id)
        if order.status != OrderStatus.SUBMITTING or order.upstream_ids:
            return order
        _as_looked_up(order, attempts)
        order.adoption = {**(order.adoption or {}), "state": Adoption.ASK}
        order.adoption["candidates"] = found.records()
        order.save(update_fields=["adoption", "updated_at"])
        words = "; ".join(describe(record) for record in found.records())
        if found.incomplete:
            why = _(
                "the create's outcome is unknown and the upstream lists more orders since the "
                "first attempt than Caigou reads: check the account upstream, then adopt one or "
                "declare none ours (%s)"
            ) % (words or _("none of those read could be ours"))
        else:
            why = (
                _(
                    "the create's outcome is unknown and the upstream lists orders that could be "
                    "ours, without our reference: adopt one or declare none ours (%s)"
                )
                % words
            )
        flag_attention(order, why)
        return order


# Seconds after an ids-only create before the order is read to learn its lines: nothing needs
# them sooner (tracking, after-sales), and a pay in the meantime reads the order anyway.
LEARN_LINES_AFTER_S = 60


def adopt_locked(order: PurchaseOrder, created: Created, how: str) -> None:
    """Store the upstream ids and move on (awaiting payment, or paid if the upstream says so).
    The caller holds the row lock and has checked that the order is still waiting for them."""
    from purchasing.tasks import refresh_order

    order_id = order.pk
    if len(created.orders) > 1 and not route_for(order).can(Capability.SPLIT):
        # Two orders under one reference on a route that never splits: a duplicate create
        # we must not pay twice.
        flag_attention(
            order,
            _("%(n)d upstream orders carry our reference") % {"n": len(created.orders)},
        )
    order.upstream_order_ids = created.ids
    order.upstream_order_id = created.ids[0]
    order.upstream_order_no = created.order_no or created.ids[0]
    order.upstream_status = created.status
    order.upstream_total_fen = created.total_fen
    order.upstream_synced_at = now()
    order.create_lease_until, order.create_in_doubt = None, False
    order.save()
    sync_lines(order, created.orders)
    if not created.orders:
        # The create answered ids only (1688): read the order once to learn its lines, a little
        # later, so that a payment right away (the storefront's) reads it once for both.
        transaction.on_commit(
            lambda: refresh_order.apply_async(
                kwargs={"order_id": order_id, "unless_linked": True}, countdown=LEARN_LINES_AFTER_S
            )
        )
    target = from_upstream(created.status) or OrderStatus.AWAITING_PAYMENT
    if target == OrderStatus.SUBMITTING:  # BULIDING: created, still being built upstream
        target = OrderStatus.AWAITING_PAYMENT
    message = labelled(how, ", ".join(created.ids))
    if not advance_to(order, target, actor_label="upstream", message=message):
        flag_attention(
            order,
            _("%(how)s, but the upstream says %(status)s") % {"how": how, "status": created.status},
        )
    budget = order.budget_fen
    total = created.total_fen
    if budget is not None and total is not None and not within_tolerance(budget, total):
        flag_attention(
            order,
            _("the upstream total %(total)s differs from the accepted %(budget)s")
            % {"total": format_cny(total), "budget": format_cny(budget)},
        )


def _create_failed(order_id: int, exc: errors.UpstreamError, outcome: Outcome) -> None:
    with transaction.atomic():
        order = locked(order_id)
        rid = exc.request_id
        if outcome == Outcome.UNKNOWN:
            # The upstream may have created it, or may yet: the next run looks it up before
            # anything else, and the lease stays, so that nothing creates again meanwhile.
            order.create_in_doubt = True
            order.save(update_fields=["create_in_doubt", "updated_at"])
            order.note(
                _("create outcome unknown (%(error)s); looking it up before any new create")
                % {"error": what_happened(exc)},
                kind="create_unknown",
                upstream_request_id=rid,
            )
            return
        order.create_lease_until = None
        if outcome == Outcome.RETRY:
            order.save(update_fields=["create_lease_until", "updated_at"])
            order.note(
                _("upstream busy, will retry: %(error)s") % {"error": what_happened(exc)},
                kind="retry",
                upstream_request_id=rid,
            )
        elif outcome == Outcome.PERSON:
            order.budget_fen = None
            order.save(update_fields=["create_lease_until", "updated_at"])
            order.transition(
                OrderStatus.PREVIEWED,
                actor_label="upstream",
                message=_("refused: %(error)s") % {"error": what_happened(exc)},
                upstream_request_id=rid,
                fields=("budget_fen",),
            )
            flag_attention(
                order, _("the upstream refused the order: %(error)s") % {"error": refusal(exc)}
            )
        else:
            order.failure_reason = what_happened(exc)[:2000]
            order.save(update_fields=["create_lease_until", "updated_at"])
            order.transition(
                OrderStatus.FAILED,
                actor_label="upstream",
                message=_("refused: %(error)s") % {"error": what_happened(exc)},
                upstream_request_id=rid,
                fields=("failure_reason",),
            )
            if order.split_from_id is not None:
                # One purchase in parts: the others are not paid until a person decides.
                flag_attention(
                    order,
                    _(
                        "the upstream refused this part for good (%(error)s); the other parts "
                        "of %(draft)s are not paid until this flag is cleared"
                    )
                    % {"error": refusal(exc), "draft": order.split_from.reference},
                )
