"""What an order needs from the approvers, read from the site's threshold, the purchaser's own
limit and the approval rules kept in the admin; and the words that say so on the pages.

Nothing here changes a row: `services.orders.approval` records what was asked when the order is
confirmed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from purchasing.actors import person
from purchasing.models import (
    ApprovalRequest,
    ApprovalRule,
    PurchaseOrder,
    PurchaseOrderLine,
    StaffProfile,
)
from purchasing.models.orders import Source
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.phrases import ngettext

# The storefront's customer line points at the purchase line it is bought by (a one-to-one
# declared by the storefront, above us): its `unit_price_fen` is what the customer paid. Read
# through the relation by name; purchasing never imports the storefront.
SELLING_RELATION = "customer_line"


@dataclass(frozen=True)
class Asked:
    """How many approvals an order needs (0: none) and, for each thing that asked, why."""

    needed: int = 0
    reasons: list[dict[str, Any]] = field(default_factory=list)


def approval_limit(actor: Any) -> int:
    """The largest total (fen) this actor may submit without an approver: the site's threshold,
    or a person's own lower limit."""
    limit = int(settings.CAIGOU_APPROVAL_THRESHOLD_FEN)
    user = person(actor)
    if user is None:
        return limit
    own = StaffProfile.objects.filter(user=user).values_list("order_limit_fen", flat=True).first()
    return min(limit, own) if own is not None else limit


def approvals_asked(order: PurchaseOrder, actor: Any) -> Asked:
    """What the order, confirmed by `actor`, needs: one approval above the threshold or the
    actor's own limit (as always), and what each active rule that matches asks for; the
    largest count wins."""
    reasons: list[dict[str, Any]] = []
    limit = approval_limit(actor)
    total = order.quoted_total_fen
    if total > limit:
        reasons.append({"kind": "threshold", "needed": 1, "total_fen": total, "limit_fen": limit})
    rules = list(ApprovalRule.objects.filter(active=True))
    bands = [r for r in rules if r.kind == ApprovalRule.Kind.AMOUNT and total >= r.min_total_fen]
    if bands:
        # Bands stack by amount: the highest band reached is the one that speaks.
        band = max(bands, key=lambda r: (r.min_total_fen, r.approvals_needed))
        reasons.append(_reason(band, total_fen=total, from_fen=band.min_total_fen))
    margin_rules = [r for r in rules if r.kind == ApprovalRule.Kind.MARGIN]
    if margin_rules:
        margin = order_margin(order)
        if margin is not None:
            for rule in margin_rules:
                if margin["margin_fen"] < rule.margin_floor_fen:
                    reasons.append(_reason(rule, floor_fen=rule.margin_floor_fen, **margin))
    for rule in (r for r in rules if r.kind == ApprovalRule.Kind.NEW_SELLER):
        sellers = new_sellers(order, days=rule.seller_days)
        if sellers:
            reasons.append(_reason(rule, days=rule.seller_days, sellers=sellers))
    return Asked(max((r["needed"] for r in reasons), default=0), reasons)


def _reason(rule: ApprovalRule, **facts: Any) -> dict[str, Any]:
    return {
        "kind": rule.kind,
        "rule": rule.name,
        "rule_id": rule.pk,
        "needed": rule.approvals_needed,
        **facts,
    }


def order_margin(order: PurchaseOrder) -> dict[str, int] | None:
    """For a storefront order: what its customers paid for the lines bought here, the landed
    cost of those lines (their amount plus their share of the order's domestic freight, as the
    lines report computes it) and the difference. None for other orders, or when no line
    carries the customer's price."""
    if order.source != Source.STOREFRONT or not _has_selling_relation():
        return None
    price = f"{SELLING_RELATION}__unit_price_fen"
    rows = PurchaseOrderLine.objects.filter(order=order, **{f"{price}__isnull": False}).values(
        "amount_fen", "quantity", price
    )
    selling = landed = 0
    found = False
    for row in rows:
        found = True
        share = (
            order.quoted_freight_fen * row["amount_fen"] // order.quoted_goods_fen
            if order.quoted_goods_fen
            else 0
        )
        landed += row["amount_fen"] + share
        selling += row[price] * row["quantity"]
    if not found:
        return None
    return {"selling_fen": selling, "landed_fen": landed, "margin_fen": selling - landed}


def _has_selling_relation() -> bool:
    try:
        PurchaseOrderLine._meta.get_field(SELLING_RELATION)
    except FieldDoesNotExist:
        return False
    return True


def new_sellers(order: PurchaseOrder, *, days: int) -> list[str]:
    """The order's sellers (by name) that nobody paid an order to before `days` ago: first
    bought from within those days, or never."""
    sellers = {order.seller_id: order.seller_name} if order.seller_id else {}
    for seller_id, name in order.lines.exclude(seller_id="").values_list(
        "seller_id", "seller_name"
    ):
        sellers.setdefault(seller_id, name)
    if not sellers:
        return []
    before = timezone.now() - timedelta(days=days)
    paid = PurchaseOrder.objects.filter(paid_at__lt=before).exclude(pk=order.pk)
    known = set(
        paid.filter(seller_id__in=sellers).values_list("seller_id", flat=True).distinct()
    ) | set(
        paid.filter(lines__seller_id__in=sellers)
        .values_list("lines__seller_id", flat=True)
        .distinct()
    )
    return sorted(
        name or seller_id for seller_id, name in sellers.items() if seller_id not in known
    )


def reason_text(reason: dict[str, Any]) -> str:
    """One reason an order waits for approvers, in words with amounts in yuan."""
    kind, needed = reason.get("kind"), int(reason.get("needed", 1))
    count = ngettext("%(n)d approval", "%(n)d approvals", needed) % {"n": needed}
    rule = reason.get("rule", "")
    if kind == "threshold":
        return _("The total %(total)s is above the limit of %(limit)s: %(count)s.") % {
            "total": format_cny(reason["total_fen"]),
            "limit": format_cny(reason["limit_fen"]),
            "count": count,
        }
    if kind == ApprovalRule.Kind.AMOUNT:
        return _("Rule “%(rule)s”: the total %(total)s is %(band)s or more: %(count)s.") % {
            "rule": rule,
            "total": format_cny(reason["total_fen"]),
            "band": format_cny(reason["from_fen"]),
            "count": count,
        }
    if kind == ApprovalRule.Kind.MARGIN:
        return _(
            "Rule “%(rule)s”: the margin %(margin)s (customers paid %(selling)s, landed cost "
            "%(landed)s) is below %(floor)s: %(count)s."
        ) % {
            "rule": rule,
            "margin": format_cny(reason["margin_fen"]),
            "selling": format_cny(reason["selling_fen"]),
            "landed": format_cny(reason["landed_fen"]),
            "floor": format_cny(reason["floor_fen"]),
            "count": count,
        }
    if kind == ApprovalRule.Kind.NEW_SELLER:
        return _(
            "Rule “%(rule)s”: first bought from %(sellers)s within %(days)d days: %(count)s."
        ) % {
            "rule": rule,
            "sellers": ", ".join(reason.get("sellers", [])),
            "days": reason["days"],
            "count": count,
        }
    return _("Rule “%(rule)s”: %(count)s.") % {"rule": rule, "count": count}


def open_request(order: PurchaseOrder) -> ApprovalRequest | None:
    """The request the order's approvers answer now (the latest), or None (an order that waited
    before approval rules existed, or never waited)."""
    return order.approval_requests.order_by("-created_at", "-pk").first()


def approvals_needed(order: PurchaseOrder) -> int:
    """How many approvals the waiting order needs in all (one when nothing was recorded)."""
    request = open_request(order)
    return request.needed if request is not None else 1
