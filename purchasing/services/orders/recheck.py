"""Re-check before create (DESIGN.md, rule 1): when the accepted preview may no longer hold,
and what moved between it and a new one beyond the tolerance, for a person to read."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from purchasing.models import OrderPreview, PurchaseOrder
from purchasing.models.orders import Source
from purchasing.money import format_cny, format_cny_change, within_tolerance
from purchasing.phrases import gettext as _
from purchasing.services.orders.common import now


def why_preview_again(order: PurchaseOrder, latest: OrderPreview) -> str:
    """Why the upstream must be asked again before the create, or "" when `latest` is fresh
    enough to create on."""
    if latest.expired:
        return _("preview expired")
    if order.source == Source.CART:
        # A cart line's price and stock can change upstream at any moment, and the cart
        # create takes whatever the cart says then: never create on an earlier answer.
        return _("cart order")
    window = timedelta(seconds=settings.CAIGOU_PREVIEW_RECHECK_SECONDS)
    if now() - latest.created_at > window:
        return _("preview older than %(seconds)d seconds") % {
            "seconds": settings.CAIGOU_PREVIEW_RECHECK_SECONDS
        }
    return ""


def preview_changes(accepted: OrderPreview, latest: OrderPreview, budget_fen: int) -> list[str]:
    """What moved from the accepted preview to the latest beyond the tolerance, either way:
    unavailable lines, goods, freight, the total against the accepted budget, and each
    seller's total. Empty when the order may be created."""
    problems = []
    if latest.unavailable:
        reasons = "; ".join(
            f"{u.get('item_id') or u.get('seller_id', '')} {u.get('reason', '')}".strip()
            for u in latest.unavailable
        )
        problems.append(_("lines unavailable: %(reasons)s") % {"reasons": reasons})
    for name, was, is_now in (
        (_("goods"), accepted.goods_fen, latest.goods_fen),
        (_("freight"), accepted.freight_fen, latest.freight_fen),
        (_("total"), budget_fen, latest.total_fen),
    ):
        if not within_tolerance(was, is_now):
            problems.append(_moved(name, was, is_now))
    was_by_seller = _seller_totals(accepted)
    now_by_seller = _seller_totals(latest)
    sellers = sorted(was_by_seller.keys() | now_by_seller.keys())
    # One seller's total is the order's total, already compared above.
    for seller in sellers if len(sellers) > 1 else []:
        name = _("seller %(seller)s") % {"seller": seller}
        if seller not in now_by_seller:
            problems.append(_("%(name)s is no longer in the preview") % {"name": name})
        elif seller not in was_by_seller:
            problems.append(_("%(name)s is new in the preview") % {"name": name})
        elif not within_tolerance(was_by_seller[seller], now_by_seller[seller]):
            problems.append(_moved(name, was_by_seller[seller], now_by_seller[seller]))
    return problems


def _moved(name: str, was: int, is_now: int) -> str:
    return _("%(name)s moved from %(was)s to %(now)s (%(change)s)") % {
        "name": name,
        "was": format_cny(was),
        "now": format_cny(is_now),
        "change": format_cny_change(is_now - was),
    }


def _seller_totals(preview: OrderPreview) -> dict[str, int]:
    totals: dict[str, int] = {}
    for seller in preview.sellers or []:
        key = str(seller.get("seller_id") or "")
        totals[key] = totals.get(key, 0) + int(seller.get("total_fen") or 0)
    return totals
