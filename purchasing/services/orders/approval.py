"""Accepting a preview, by a person or a policy, and approval: above CAIGOU_APPROVAL_THRESHOLD_FEN
or the purchaser's own limit an order waits for an approver, and the approval rules kept in the
admin may ask for more approvals (`purchasing.selectors.approval`); nobody approves their own
order, nor twice."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.actors import is_policy, person
from purchasing.models import ApprovalRequest, OrderApproval, OrderPreview, PurchaseOrder
from purchasing.phrases import gettext as _
from purchasing.phrases import joined, labelled
from purchasing.rules import (
    approve_refusal,
    approved_already,
    can_approve,
    can_confirm,
    may_note,
)
from purchasing.selectors.approval import approval_limit, approvals_asked, open_request, reason_text
from purchasing.services.orders.common import NotAllowed, OrderError, locked, now, require
from purchasing.splitting import needs_split, skus_per_order
from purchasing.statuses import OrderStatus

__all__ = [
    "approval_limit",
    "needs_approval",
    "order_approve",
    "order_confirm",
    "order_note_approver",
    "order_reject",
    "policy_accepted",
]


def needs_approval(order: PurchaseOrder, actor: Any) -> bool:
    """Whether the order, confirmed by `actor` now, would wait for approvers."""
    return approvals_asked(order, actor).needed > 0


@transaction.atomic
def order_confirm(*, order: PurchaseOrder, actor: Any, reason: str = "") -> PurchaseOrder:
    """The actor accepts the latest preview: the order waits for an approver when its total is
    above the actor's limit, otherwise it is submitted.

    A policy states its `reason` on the timeline, and accepts only an order nobody was asked to
    look at; the site's threshold holds for it as for anyone (the storefront's policy holds an
    order above it for a person before it accepts)."""
    from purchasing.services.orders.submit import start_submit

    require(actor, "create_order")
    order = locked(order.pk)
    if not can_confirm(order):
        raise OrderError(
            _("only a previewed order can be confirmed (it is %(status)s)")
            % {"status": order.get_status_display().lower()}
        )
    if needs_split(order):
        # Refused before any call: one create cannot carry it (purchasing/splitting.py).
        raise OrderError(
            _(
                "%(reference)s is more than one upstream order takes (several sellers, or more "
                "than %(limit)s SKUs from one): split it into orders first"
            )
            % {"reference": order.reference, "limit": skus_per_order()}
        )
    if is_policy(actor) and order.needs_attention:
        raise OrderError(
            _("%(reference)s needs attention: %(reason)s")
            % {"reference": order.reference, "reason": order.attention_reason}
        )
    preview = _acceptable_preview(order)
    preview.accepted_by, preview.accepted_at = person(actor), now()
    preview.save(update_fields=["accepted_by", "accepted_at"])
    order.budget_fen = preview.total_fen
    order.save(update_fields=["budget_fen", "updated_at"])
    asked = approvals_asked(order, actor)
    if asked.needed:
        # What was asked is kept as it was decided now: a rule changed later does not move the
        # count of an order already waiting.
        ApprovalRequest.objects.create(order=order, needed=asked.needed, reasons=asked.reasons)
        order.transition(
            OrderStatus.AWAITING_APPROVAL,
            actor=actor,
            message=joined([reason_text(reason) for reason in asked.reasons]),
        )
        return order
    require(actor, "submit_order")
    if is_policy(actor):
        # The policy's acceptance is also the approval nobody else gives.
        order.approved_at = now()
        order.save(update_fields=["approved_at"])
        start_submit(
            order, actor=actor, accepted=_("accepted by policy (%(reason)s)") % {"reason": reason}
        )
    else:
        start_submit(order, actor=actor)
    return order


def policy_accepted(order: PurchaseOrder) -> bool:
    """The order's accepted preview was accepted by a policy, not by a person."""
    accepted = order.previews.filter(accepted_at__isnull=False).order_by("-pk").first()
    return accepted is not None and accepted.accepted_by_id is None


def _acceptable_preview(order: PurchaseOrder) -> OrderPreview:
    preview = order.previews.order_by("-created_at", "-pk").first()
    if preview is None:
        raise OrderError(_("preview the order first"))
    if preview.expired:
        raise OrderError(_("the preview has expired: preview again"))
    if preview.unavailable:
        raise OrderError(_("some lines cannot be ordered: change them and preview again"))
    return preview


@transaction.atomic
def order_approve(*, order: PurchaseOrder, actor: Any, comment: str = "") -> PurchaseOrder:
    """An approver gives one of the approvals the order waits for; the last one needed approves
    it at its previewed total, and it can then be submitted. Each approval is on the timeline.

    The order row is locked and its status and count read again under the lock, so a double
    click or two approvers at once give each approval once and approve the order once."""
    require(actor, "approve_order")
    order = locked(order.pk)
    _check_approver(order, actor)
    if approved_already(order, actor):
        raise NotAllowed(_("you have already approved this order"))
    request = open_request(order)
    if request is None:  # waiting since before approval rules were recorded: one approval
        request = ApprovalRequest.objects.create(order=order, needed=1, reasons=[])
    comment = comment.strip()[: OrderApproval._meta.get_field("comment").max_length]
    OrderApproval.objects.create(
        request=request,
        order=order,
        approver=actor,
        purchaser_id=order.created_by_id,
        comment=comment,
    )
    given = request.approvals.count()
    if request.needed == 1:
        message = comment or _("approved")
    else:
        message = _("Approved %(given)d of %(needed)d by %(who)s") % {
            "given": given,
            "needed": request.needed,
            "who": actor.get_username(),
        }
        message = labelled(message, comment) if comment else message
    if given < request.needed:
        order.note(message, actor=actor, kind="approval")
        return order
    order.approved_by, order.approved_at = actor, now()
    order.transition(
        OrderStatus.APPROVED,
        actor=actor,
        message=message,
        kind="approved",
        fields=("approved_by", "approved_at"),
    )
    return order


@transaction.atomic
def order_reject(*, order: PurchaseOrder, actor: Any, comment: str) -> PurchaseOrder:
    """An approver sends the order back to the purchaser (previewed, with the reason)."""
    require(actor, "approve_order")
    if not comment.strip():
        raise OrderError(_("say why the order is rejected"))
    order = locked(order.pk)
    _check_approver(order, actor)
    order.budget_fen = None
    order.transition(
        OrderStatus.PREVIEWED,
        actor=actor,
        message=_("rejected: %(comment)s") % {"comment": comment},
        kind="rejected",
        fields=("budget_fen",),
    )
    return order


@transaction.atomic
def order_note_approver(*, order: PurchaseOrder, actor: Any, note: str) -> PurchaseOrder:
    """The purchaser's note to the approver (empty: none), kept on the order and its timeline."""
    require(actor, "create_order")
    order = locked(order.pk)
    if is_policy(actor) or not may_note(order, actor):
        raise NotAllowed(_("only its purchaser writes the note, before an approver decides"))
    note = " ".join(note.split())[: PurchaseOrder._meta.get_field("approver_note").max_length]
    if note == order.approver_note:
        return order
    order.approver_note = note
    order.save(update_fields=["approver_note", "updated_at"])
    message = _("note to the approver: %(note)s") % {"note": note} if note else ""
    order.note(message or _("note to the approver removed"), actor=actor)
    return order


def _check_approver(order: PurchaseOrder, actor: Any) -> None:
    if not can_approve(order):
        raise OrderError(
            _("the order is not awaiting approval (it is %(status)s)")
            % {"status": order.get_status_display().lower()}
        )
    refusal = approve_refusal(order, actor)
    if refusal:
        raise NotAllowed(refusal)
