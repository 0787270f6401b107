"""Paying at the cashier when password-free payment is refused.

The routes pay password-free (1688's protocol pay). When the upstream refuses that (PandaPon
answers `protocolPaySuccess: false` with its cashier's URL; a refusal of the means of paying,
such as the balance), or when the pay calls of one attempt ended `route.pay_tries` times with an
unknown outcome while the order still read unpaid (1688 says to retry its protocol pay at most 3
times, and its error codes are undocumented: an unknown code would otherwise be paid again for
ever), the attempt fails with the cashier link on it. The order goes back to awaiting payment for
a person, who pays at the cashier, and nothing pays it again by itself (`pay.order_pay` refuses a
policy). The order becomes paid when the upstream says so: a callback, a refresh or the
reconciler (`lifecycle.apply_upstream_status`, which records the amount with `paid_outside`).
"""

from __future__ import annotations

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.phrases import recorded, restored
from purchasing.routes import route_for
from purchasing.services.orders.common import logger
from purchasing.services.orders.events import clear_attention
from upstream import errors

PAY_UNKNOWN = "pay_unknown"  # the event kind of a pay call whose outcome is unknown
# Refusals of the means of paying, not of the order: the cashier can still take the money.
MEANS_REFUSALS: tuple[type[errors.UpstreamError], ...] = (
    errors.InsufficientBalance,
    errors.PermissionDenied,
)
URL_MAX = 1000  # PaymentAttempt.pay_url


def refuses_means(exc: errors.UpstreamError) -> bool:
    """Whether the refusal is of password-free payment itself (a person may pay by hand)."""
    return isinstance(exc, MEANS_REFUSALS)


def link_for(order: PurchaseOrder, upstream_ids: list[str], *, given: str = "") -> str:
    """The cashier link for these upstream orders: the one a pay answer gave, else the route's
    payment link, else "" (no link is no reason to fail harder: the person pays upstream)."""
    if given or not upstream_ids:
        return given[:URL_MAX]
    try:
        return route_for(order).cashier_url(upstream_ids)[:URL_MAX]
    except errors.UpstreamError as exc:
        logger.warning("order %s: no cashier link (%s)", order.reference, exc)
        return ""


def unknown_outcomes(order: PurchaseOrder, attempt: PaymentAttempt) -> int:
    """The pay calls of this attempt whose outcome was unknown (the timeline records each)."""
    return order.events.filter(kind=PAY_UNKNOWN, created_at__gte=attempt.created_at).count()


def gives_up(order: PurchaseOrder, attempt: PaymentAttempt) -> bool:
    """The attempt's pay calls ended unknown as often as the route allows: no more of them."""
    tries = route_for(order).pay_tries
    return (
        tries is not None
        and attempt.status == PaymentAttempt.Status.UNKNOWN
        and unknown_outcomes(order, attempt) >= tries
    )


def given_up(order: PurchaseOrder) -> str:
    """Why an attempt that `gives_up` failed."""
    return _(
        "password-free payment failed %(n)s times with an outcome nobody could tell, and the "
        "upstream says the order is unpaid: it is not tried again"
    ) % {"n": route_for(order).pay_tries}


def stop_reason(why: str, link: str) -> str:
    """The attention reason of an attempt that failed, with or without a cashier link."""
    if not link:
        return _("payment stopped: %(why)s") % {"why": why}
    return _(
        "payment stopped: %(why)s. Pay at the cashier: the order becomes paid once the upstream "
        "reports the payment"
    ) % {"why": why}


def paid_outside(
    order: PurchaseOrder, *, paid_fen: int | None, source: str, raw_status: str
) -> tuple[str, bool]:
    """The upstream reports paid an order no pay call of ours is settling: at the cashier after
    password-free payment was refused, or outside Caigou. Records what was paid (the upstream's
    amount, else the last total it asked) and returns the timeline's words and whether the
    cashier's stop may be cleared. The order is locked; the failed attempt stays failed."""
    last = order.payments.order_by("-pk").first()
    if order.actual_fen is None:
        known = (paid_fen, order.upstream_total_fen, last and last.amount_fen, order.budget_fen)
        order.actual_fen = next((fen for fen in known if fen is not None), None)
        order.save(update_fields=["actual_fen", "updated_at"])
    at_cashier = last is not None and last.status == PaymentAttempt.Status.FAILED and last.pay_url
    words = {
        "source": source,
        "status": raw_status,
        "amount": format_cny(order.actual_fen) if order.actual_fen is not None else "?",
    }
    if at_cashier:
        message = _("paid at the cashier, reported by the upstream (%(source)s: %(status)s)")
    else:
        message = _("paid outside Caigou, reported by the upstream (%(source)s: %(status)s)")
    stop = (
        last is not None
        and order.attention_reason
        == recorded(stop_reason(restored(last.error_words, last.error), last.pay_url))[0]
    )
    return f"{message % words}: {words['amount']}", bool(at_cashier and stop)


def clear_cashier_stop(order: PurchaseOrder) -> None:
    """The person paid at the cashier, which was what the flag asked: the flag goes."""
    clear_attention(
        order,
        actor=None,
        comment=_("attention cleared: the upstream reports the order paid at the cashier"),
    )
