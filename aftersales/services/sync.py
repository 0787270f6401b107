"""Reading a refund upstream onto its case; the refund callback's entry point.

A refund that succeeds adds its agreed amount to the order's refunded_fen once: the case's
`refund_recorded` flag is set in the same transaction, under both row locks, so a second
refresh or a duplicate callback finds it set and adds nothing. And the books never show more
refunded than paid: a refund that would push the order past what was paid is not added; the case
and the order are flagged for a person instead, with the amounts (limits.py)."""

from __future__ import annotations

from django.db import transaction

from aftersales import routes
from aftersales.models import FINAL, FROM_UPSTREAM, CaseStatus, RefundCase
from aftersales.services.common import flag_case, locked, logger, now
from aftersales.services.limits import order_paid_fen
from purchasing.models import PurchaseOrder
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.services.orders.events import flag_attention
from upstream.types.aftersales import Refund
from upstream.types.callbacks import read_refund_message


def read_refund(case: RefundCase) -> Refund:
    """The case's refund as the upstream reads it now, through the case's route."""
    return routes.for_case(case).read(case.upstream_refund_id)


def case_refresh(*, case_id: int) -> RefundCase:
    """Read the refund upstream and apply it (a read outside any lock, then a locked apply)."""
    case = RefundCase.objects.get(pk=case_id)
    if not case.upstream_refund_id:
        return case
    refund = read_refund(case)
    return apply_refund(case_id=case_id, refund=refund)


@transaction.atomic
def apply_refund(*, case_id: int, refund: Refund) -> RefundCase:
    case = locked(case_id)
    mapped = FROM_UPSTREAM.get(refund.status)
    if mapped is None:
        logger.warning("case %s: unknown refund status %r", case.reference, refund.status)
        # No words for a status we do not know: the upstream's code, as it came.
        case.note(
            _("unknown upstream refund status %(status)s") % {"status": repr(refund.status)},
            kind="unknown_status",
        )
        return case
    status, waiting_on = mapped
    changed = []
    values = {
        "upstream_status": refund.status,
        "agreed_fen": refund.agreed_fen if refund.agreed_fen is not None else case.agreed_fen,
        "seller_answer": refund.seller_refuse_reason or case.seller_answer,
        "return_address": refund.return_address or case.return_address,
        "return_company_code": refund.return_company_code or case.return_company_code,
        "return_company_name": refund.return_company_name or case.return_company_name,
        "return_tracking_no": refund.return_mail_no or case.return_tracking_no,
        "asked_fen": refund.apply_fen or case.asked_fen,
    }
    for name, value in values.items():
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if case.waiting_on != waiting_on and case.status not in FINAL:
        case.waiting_on = waiting_on
        changed.append("waiting_on")
    case.upstream_synced_at = now()
    fields = (*changed, "upstream_synced_at")
    if case.status in FINAL:
        # Final is final: an older answer never reopens a finished case.
        case.save(update_fields=[*fields, "updated_at"])
    elif status != case.status:
        # The upstream's code stays in the entry, for the record: the page words it for each
        # reader (glossary.plain_words), as it does the order timeline's.
        if refund.seller_refuse_reason and status == CaseStatus.REFUSED:
            message = _("upstream: %(status)s (%(reason)s)") % {
                "status": refund.status,
                "reason": refund.seller_refuse_reason,
            }
        else:
            message = _("upstream: %(status)s") % {"status": refund.status}
        case.move(status, actor_label="upstream", message=message, fields=fields)
    else:
        case.save(update_fields=[*fields, "updated_at"])
    if case.status == CaseStatus.REFUNDED:
        _record_refund(case)
    return case


def _record_refund(case: RefundCase) -> None:
    """Add the refunded amount to the order, once per case (caller holds the case lock)."""
    if case.refund_recorded:
        return
    amount = case.agreed_fen if case.agreed_fen is not None else case.asked_fen
    order = PurchaseOrder.objects.select_for_update().get(pk=case.order_id)
    paid = order_paid_fen(order)
    if amount < 0 or order.refunded_fen + amount > paid:
        _refuse_to_record(case, order, amount, paid)
        return
    order.refunded_fen += amount
    order.save(update_fields=["refunded_fen", "updated_at"])
    case.agreed_fen, case.refund_recorded = amount, True
    case.save(update_fields=["agreed_fen", "refund_recorded", "updated_at"])
    order.note(
        _("refund %(refund)s of case %(case)s: %(amount)s back (refunded in all %(all)s)")
        % {
            "refund": case.upstream_refund_id,
            "case": case.reference,
            "amount": format_cny(amount),
            "all": format_cny(order.refunded_fen),
        },
        actor_label="upstream",
        kind="refund",
    )
    case.note(
        _("%(amount)s recorded as refunded on %(order)s")
        % {"amount": format_cny(amount), "order": order.reference},
        kind="refund_recorded",
    )


def _refuse_to_record(case: RefundCase, order: PurchaseOrder, amount: int, paid: int) -> None:
    """The refund would show more refunded than paid: keep the books as they are and ask a
    person (once: a second refresh finds the case already flagged with the same reason)."""
    reason = _(
        "The upstream reports refund %(refund)s of %(amount)s, but %(order)s was paid "
        "%(paid)s and %(refunded)s is already recorded as refunded: not recorded. Check the "
        "order's refunds upstream."
    ) % {
        "refund": case.upstream_refund_id or case.reference,
        "amount": format_cny(amount),
        "order": order.reference,
        "paid": format_cny(paid),
        "refunded": format_cny(order.refunded_fen),
    }
    if flag_case(case, reason):
        logger.warning("case %s: %s", case.reference, case.attention_reason)
        flag_attention(order, reason, actor_label="upstream")


def apply_refund_message(*, body: dict, platform: str) -> RefundCase | None:
    """A refund callback's body (Taobao TAOBAO_ORDER_REFUND or 1688 ORDER_BUYER_VIEW_ORDER_
    BUYER_REFUND), read by the upstream's types: find the case and read the refund again. The
    body is only a nudge: the refund as read now is what we apply, so a duplicate or late
    message changes nothing."""
    message = read_refund_message(body, platform=platform)
    refund_id = message.refund_id
    if not refund_id:
        logger.warning("refund message without refundId: %s", body)
        return None
    case = RefundCase.objects.filter(platform=platform, upstream_refund_id=refund_id).first()
    if case is None:
        outer = message.outer_refund_id
        case = (
            RefundCase.objects.filter(platform=platform, reference=outer).first() if outer else None
        )
        if case is None:
            logger.info("refund message for %s: not one of our cases", refund_id)
            return None
        if not case.upstream_refund_id:
            # Our create's answer was lost but the upstream tells us its id: adopt it.
            from aftersales.services.submit import _adopt

            return _adopt(case.pk, refund_id, _("learnt from a refund message"))
        if case.upstream_refund_id != refund_id:
            logger.warning("case %s: a second refund %s carries our reference", case, refund_id)
            return case
    return case_refresh(case_id=case.pk)
