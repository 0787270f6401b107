"""What the preview, confirmation and approval pages show: the preview joined with the lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from purchasing import warehouse
from purchasing.countries import country_name
from purchasing.models import OrderPreview, PurchaseOrder
from purchasing.routes import Capability, route_for
from purchasing.rules import (
    can_confirm,
    can_preview,
    may_approve,
    may_confirm,
    may_note,
    may_pay,
    may_preview,
    may_split,
    may_submit,
)
from purchasing.selectors.approval import Asked, approvals_asked, reason_text
from purchasing.selectors.orders import pay_hold
from purchasing.services.freight import Estimate, order_freight_estimate
from purchasing.services.orders.approval import approval_limit
from purchasing.splitting import needs_split, parts_of, skus_per_order, split_sizes
from purchasing.statuses import OrderStatus
from purchasing.views.checkout.common import MOVING, _error_text, _order_link
from upstream.errors import UpstreamError


@dataclass
class SellerBlock:
    seller_id: str
    seller_name: str
    lines: list[dict]
    goods_fen: int = 0
    freight_fen: int = 0
    discount_fen: int = 0
    total_fen: int = 0
    promotions: list = field(default_factory=list)
    error: str = ""
    split: str = ""


@dataclass
class PreviewView:
    """A stored preview, joined with the order's lines (titles, pictures, what the cart
    showed), as the preview, confirmation and approval pages show it."""

    order: PurchaseOrder
    preview: OrderPreview | None
    sellers: list[SellerBlock]
    unavailable: list[dict]
    differences: list[dict]
    shown_goods_fen: int
    split: str

    @property
    def goods_difference_fen(self) -> int:
        return (self.preview.goods_fen - self.shown_goods_fen) if self.preview else 0

    @property
    def upstream_order_count(self) -> int:
        if not route_for(self.order).can(Capability.SPLIT):
            return 1
        return sum(len(split_sizes(len(s.lines))) for s in self.sellers) or 1


def preview_view(order: PurchaseOrder) -> PreviewView:
    lines = list(order.lines.all())
    preview = order.previews.order_by("-created_at", "-pk").first()
    by_key = {(line.item_id, line.sku_id or line.spec_id): line for line in lines}
    by_key.update({(line.item_id, line.spec_id): line for line in lines if line.spec_id})
    names = {line.seller_id: line.seller_name for line in lines if line.seller_name}
    sellers = []
    for summary in preview.sellers if preview else []:
        seller_lines = []
        for pl in summary.get("lines", []):
            ours = by_key.get((pl.get("item_id"), pl.get("sku_id")))
            seller_lines.append({**pl, "line": ours, "title": _title(ours, pl)})
        seller_id = summary.get("seller_id") or ""
        if not seller_id and seller_lines and seller_lines[0]["line"] is not None:
            seller_id = seller_lines[0]["line"].seller_id
        sellers.append(
            SellerBlock(
                seller_id=seller_id,
                seller_name=names.get(seller_id) or seller_id or _("Seller"),
                lines=seller_lines,
                goods_fen=summary.get("goods_fen", 0),
                freight_fen=summary.get("freight_fen", 0),
                discount_fen=summary.get("discount_fen", 0),
                total_fen=summary.get("total_fen", 0),
                promotions=[_promotion(p) for p in summary.get("promotions") or []],
                error=summary.get("error") or "",
            )
        )
    unavailable = []
    for item in preview.unavailable if preview else []:
        ours = by_key.get((item.get("item_id"), item.get("sku_id")))
        unavailable.append(
            {"sku_id": "", **item, "line": ours, "title": _title(ours, item) or _("A seller")}
        )
    differences = []
    for item in preview.differences if preview else []:
        ours = by_key.get((item.get("item_id"), item.get("sku_id")))
        quantity = ours.quantity if ours else 1
        differences.append(
            {
                **item,
                "line": ours,
                "title": _title(ours, item),
                "quantity": quantity,
                "line_fen": item["difference_fen"] * quantity,
            }
        )
    for block in sellers:
        block.split = _seller_split(order, block)
    return PreviewView(
        order=order,
        preview=preview,
        sellers=sellers,
        unavailable=unavailable,
        differences=differences,
        shown_goods_fen=sum(line.amount_fen for line in lines),
        split=_split(order, sellers, lines),
    )


def _title(line, item: dict) -> str:
    """A line's title as we stored it, else the upstream's ids."""
    if line is not None and line.title:
        return line.title
    return str(item.get("item_id") or item.get("seller_id") or "")


def _promotion(promotion: Any) -> dict[str, Any]:
    """Upstream promotions in one shape: what it is, and what it takes off (fen)."""
    if not isinstance(promotion, dict):
        return {"text": str(promotion), "discount_fen": 0}
    text = next(
        (
            str(promotion[key])
            for key in ("desc", "text", "promotionName", "name", "promotionId")
            if promotion.get(key)
        ),
        _("promotion"),
    )
    try:
        discount = int(promotion.get("discountFee") or promotion.get("discount_fen") or 0)
    except (TypeError, ValueError):
        discount = 0
    return {"text": text, "discount_fen": discount}


def _seller_split(order: PurchaseOrder, block: SellerBlock) -> str:
    if not route_for(order).can(Capability.SPLIT):
        return ""
    sizes = split_sizes(len(block.lines))
    if len(sizes) <= 1:
        return _("One upstream order for this seller.")
    return _("%(count)s upstream orders for this seller: %(sizes)s SKUs.") % {
        "count": len(sizes),
        "sizes": " + ".join(map(str, sizes)),
    }


def _split(order: PurchaseOrder, sellers: list[SellerBlock], lines: list) -> str:
    if order.status == OrderStatus.CANCELLED and order.parts.exists():
        return ""  # a split draft: its parts are listed above its preview
    if can_preview(order) and needs_split(order, lines):
        count = len(parts_of(lines))
        return ngettext(
            "%(count)s order of its own: one create cannot carry these goods.",
            "%(count)s orders of their own: one create cannot carry these goods.",
            count,
        ) % {"count": count}
    if not route_for(order).can(Capability.SPLIT):
        count = sum(len(s.lines) for s in sellers)
        return ngettext(
            "One Taobao order, a sub-order per line (%(count)s line).",
            "One Taobao order, a sub-order per line (%(count)s lines).",
            count,
        ) % {"count": count}
    orders = sum(len(split_sizes(len(s.lines))) for s in sellers)
    if orders <= 1:
        return _("One 1688 order.")
    return _(
        "%(orders)s 1688 orders: one per seller (%(sellers)s sellers), at most %(limit)s SKUs "
        "each, all under our reference %(ref)s."
    ) % {
        "orders": orders,
        "sellers": len(sellers),
        "limit": skus_per_order(),
        "ref": order.reference,
    }


@dataclass
class Overseas:
    """The estimated overseas freight of the order's goods from the warehouse (the shared
    freight estimate), or why there is none. Not part of what the upstream order costs."""

    estimate: Estimate | None = None
    problem: str = ""

    @property
    def cheapest(self):
        return self.estimate.cheapest if self.estimate else None


def overseas_freight(order: PurchaseOrder) -> Overseas:
    try:
        estimate = order_freight_estimate(order)
    except (UpstreamError, ValueError) as exc:
        return Overseas(problem=_error_text(exc))
    if estimate.cheapest is None:
        problem = _("No freight service ships these goods to %(country)s.") % {
            "country": country_name(estimate.country)
        }
        return Overseas(problem=problem)
    return Overseas(estimate=estimate)


def _page_context(request: HttpRequest, order: PurchaseOrder) -> dict[str, Any]:
    user = request.user
    view = preview_view(order)
    overseas = overseas_freight(order) if view.preview is not None else None
    limit = approval_limit(user)
    # What confirming would ask of the approvers: the limit (said below) and any approval rule.
    asked = approvals_asked(order, user) if can_confirm(order) else Asked()
    # The latest preview can still be accepted: it exists, has not expired, and every line is
    # available.
    split = split_of(order, user)
    confirmable = (
        can_confirm(order)
        and not split["needed"]
        and view.preview is not None
        and not view.preview.expired
        and not view.unavailable
    )
    return {
        "order": order,
        "view": view,
        "overseas": overseas,
        **_order_link(order),
        "moving": order.status in MOVING,
        "limit_fen": limit,
        "over_limit": asked.needed > 0,
        "above_limit": any(r["kind"] == "threshold" for r in asked.reasons),
        "rules_ask": [reason_text(r) for r in asked.reasons if r["kind"] != "threshold"],
        "approvals_needed": asked.needed,
        # What this person may do from the checkout pages now (`purchasing.rules`).
        "actions": {
            "confirm": may_confirm(order, user) and confirmable,
            "submit": may_submit(order, user),
            "approve": may_approve(order, user),
            "pay": may_pay(order, user) and not pay_hold(order),
            "preview": may_preview(order, user),
            "note": may_note(order, user),
            "split": split["may"],
        },
        "split": split,
        "confirmable": confirmable,
        "delivery": delivery_of(order),
    }


def split_of(order: PurchaseOrder, user: Any) -> dict[str, Any]:
    """A draft one create cannot carry: whether this person may split it and its parts to be;
    a split draft's parts and their sum; the draft a part came from."""
    lines = list(order.lines.all()) if can_preview(order) else []
    needed = bool(lines) and needs_split(order, lines)
    planned = [
        {
            "seller": part[0].seller_name or part[0].seller_id,
            "count": len(part),
            "goods_fen": sum(line.amount_fen for line in part),
        }
        for part in (parts_of(lines) if needed else [])
    ]
    parts = list(order.parts.order_by("pk")) if order.status == OrderStatus.CANCELLED else []
    return {
        "needed": needed,
        "may": needed and may_split(order, user),
        "limit": skus_per_order(),
        "planned": planned,
        "parts": parts,
        "parts_total_fen": sum(part.upstream_total_fen or part.quoted_total_fen for part in parts),
        "part_of": order.split_from,
    }


def delivery_of(order: PurchaseOrder) -> dict[str, str]:
    """The address this order is delivered to, on one line, and where it came from."""
    address = order.address or {}
    parts = ("state", "city", "district", "address")
    sources = {
        warehouse.SETTING: _("the CAIGOU_WAREHOUSE_ADDRESS setting"),
        warehouse.BOOK: _("the address book's default warehouse"),
        warehouse.DEMO: _("the sandbox's demo warehouse"),
    }
    return {
        "name": address.get("name", ""),
        "mobile": address.get("mobile", ""),
        "where": " ".join(str(address[key]) for key in parts if address.get(key)),
        "zip": address.get("zip", ""),
        "source": sources.get(
            address.get(warehouse.SOURCE_KEY, ""), _("the address given with the order")
        ),
    }
