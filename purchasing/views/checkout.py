"""Checkout pages: a cart selection or a staff-built order -> the upstream preview -> confirm
(submitted, or waiting for an approver) -> paid in a confirmed batch; and the approvals queue.

Views call the order services only. Every step that spends money or cannot be undone shows what
will be committed first, and the POST that commits carries the total the person saw: when the
numbers moved in between, nothing is committed and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carts.services import split_sizes
from purchasing.forms_checkout import CartSelectionForm, DecisionForm, PayBatchForm, StaffOrderForm
from purchasing.models import OrderPreview, PaymentAttempt, Platform, PurchaseOrder
from purchasing.money import format_cny
from purchasing.permissions import staff_page
from purchasing.services.orders.approval import (
    approval_limit,
    needs_approval,
    order_approve,
    order_confirm,
    order_reject,
)
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import (
    order_create_from_cart,
    order_create_from_items,
    order_preview,
)
from purchasing.services.orders.submit import order_submit
from purchasing.statuses import OrderStatus
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

S = OrderStatus

# The delivery address of new orders: the agent's warehouse. Logistics does not keep addresses
# yet, so it comes from the CAIGOU_WAREHOUSE_ADDRESS setting (a dict in the neutral address
# shape of purchasing.services.orders.common) when a deployment defines one, else this default.
DEFAULT_WAREHOUSE_ADDRESS: dict[str, str] = {
    "name": "集货仓",
    "mobile": "15068763421",
    "phone": "",
    "zip": "510000",
    "country": "中国",
    "state": "广东省",
    "city": "广州市",
    "district": "白云区",
    "address": "太和镇集货仓 A-12",
    "district_code": "440111",
}
MOVING = (S.SUBMITTING, S.PAYING)  # the page polls while the order is in these


def warehouse_address() -> dict[str, str]:
    return dict(getattr(settings, "CAIGOU_WAREHOUSE_ADDRESS", None) or DEFAULT_WAREHOUSE_ADDRESS)


def order_page_url(order: PurchaseOrder) -> str:
    """The order page when the orders pages have one, else this order's checkout page."""
    try:
        return reverse("orders:detail", args=[order.pk])
    except NoReverseMatch:
        return reverse("checkout:preview", args=[order.pk])


def _order_link(order: PurchaseOrder) -> dict[str, Any]:
    url = order_page_url(order)
    return {"order_url": url, "has_order_page": url != reverse("checkout:preview", args=[order.pk])}


def _error_text(exc: Exception) -> str:
    if isinstance(exc, UpstreamError):
        return upstream_message(exc)
    text = str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# -- what the preview page shows ---------------------------------------------------------------
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
        if self.order.platform != Platform.ALIBABA:
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
                seller_name=names.get(seller_id) or seller_id or "Seller",
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
            {"sku_id": "", **item, "line": ours, "title": _title(ours, item) or "A seller"}
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
        split=_split(order, sellers),
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
        "promotion",
    )
    try:
        discount = int(promotion.get("discountFee") or promotion.get("discount_fen") or 0)
    except (TypeError, ValueError):
        discount = 0
    return {"text": text, "discount_fen": discount}


def _seller_split(order: PurchaseOrder, block: SellerBlock) -> str:
    if order.platform != Platform.ALIBABA:
        return ""
    sizes = split_sizes(len(block.lines))
    if len(sizes) <= 1:
        return "One upstream order for this seller."
    return f"{len(sizes)} upstream orders for this seller: {' + '.join(map(str, sizes))} SKUs."


def _split(order: PurchaseOrder, sellers: list[SellerBlock]) -> str:
    if order.platform != Platform.ALIBABA:
        count = sum(len(s.lines) for s in sellers)
        return f"One Taobao order, a sub-order per line ({count} line{'s' * (count != 1)})."
    orders = sum(len(split_sizes(len(s.lines))) for s in sellers)
    if orders <= 1:
        return "One 1688 order."
    return (
        f"{orders} 1688 orders: one per seller ({len(sellers)} sellers), at most 50 SKUs each, "
        f"all under our reference {order.reference}."
    )


def _page_context(request: HttpRequest, order: PurchaseOrder) -> dict[str, Any]:
    user = request.user
    view = preview_view(order)
    limit = approval_limit(user)
    return {
        "order": order,
        "view": view,
        **_order_link(order),
        "moving": order.status in MOVING,
        "limit_fen": limit,
        "over_limit": order.status == S.PREVIEWED and needs_approval(order, user),
        "can_create": user.has_perm("purchasing.create_order"),
        "can_submit": user.has_perm("purchasing.submit_order"),
        "can_approve": user.has_perm("purchasing.approve_order") and order.created_by_id != user.pk,
        "can_pay": user.has_perm("purchasing.pay_order"),
        "confirmable": order.status == S.PREVIEWED
        and view.preview is not None
        and not view.preview.expired
        and not view.unavailable,
        "previewable": order.status in (S.DRAFT, S.PREVIEWED, S.AWAITING_APPROVAL, S.APPROVED),
    }


# -- 1. preview --------------------------------------------------------------------------------
@require_POST
@staff_page("purchasing.create_order")
def from_cart(request: HttpRequest) -> HttpResponse:
    """The cart page's "Preview order": a draft of the ticked lines, previewed upstream."""
    form = CartSelectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Choose Taobao or 1688.")
        return redirect("carts:index")
    data = form.cleaned_data
    try:
        order = order_create_from_cart(
            platform=data["platform"],
            cart_ids=data["cart_ids"],
            address=warehouse_address(),
            actor=request.user,
        )
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("carts:index")
    return _preview_and_show(request, order)


@require_http_methods(["GET", "POST"])
@staff_page("purchasing.create_order")
def new(request: HttpRequest) -> HttpResponse:
    """An order built by hand from item ids, SKU ids and quantities."""
    form = StaffOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_create_from_items(
                platform=form.cleaned_data["platform"],
                items=form.cleaned_data["items"],
                address=warehouse_address(),
                actor=request.user,
            )
        except (OrderError, UpstreamError) as exc:
            form.add_error(None, _error_text(exc))
        else:
            return _preview_and_show(request, order)
    return render(request, "purchasing/checkout/new.html", {"form": form})


def _preview_and_show(request: HttpRequest, order: PurchaseOrder) -> HttpResponse:
    try:
        order_preview(order=order, actor=request.user)
    except (OrderError, UpstreamError) as exc:
        # The draft is kept: the page offers "Preview again".
        messages.error(request, f"The upstream preview failed: {_error_text(exc)}")
    return redirect("checkout:preview", pk=order.pk)


@require_GET
@staff_page("purchasing.view_orders")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(PurchaseOrder.objects.select_related("created_by"), pk=pk)
    return render(request, "purchasing/checkout/preview.html", _page_context(request, order))


@require_POST
@staff_page("purchasing.create_order")
def repreview(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(PurchaseOrder, pk=pk)
    try:
        order_preview(order=order, actor=request.user)
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Previewed again: these are the upstream's numbers now.")
    return redirect("checkout:preview", pk=order.pk)


@require_GET
@staff_page("purchasing.view_orders")
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The order's status block, polled by the preview page while the order is moving."""
    order = get_object_or_404(PurchaseOrder, pk=pk)
    context = {"order": order, "moving": order.status in MOVING, **_order_link(order)}
    return render(request, "purchasing/checkout/partials/status.html", context)


# -- 2. confirm --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@staff_page("purchasing.create_order")
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what confirming commits (the total, and whether it goes to an approver). POST:
    confirm a previewed order, or submit an approved one, at the total the person saw."""
    order = get_object_or_404(PurchaseOrder.objects.select_related("approved_by"), pk=pk)
    if order.status not in (S.PREVIEWED, S.APPROVED):
        messages.error(request, f"An order that is {order.get_status_display()} is not confirmed.")
        return redirect("checkout:preview", pk=pk)
    context = _page_context(request, order)
    if request.method == "GET":
        return render(request, "purchasing/checkout/confirm.html", context)
    seen = request.POST.get("total_fen", "")
    if not seen.isdigit() or int(seen) != order.quoted_total_fen:
        messages.error(
            request,
            "The total changed since that page was shown: check the preview again.",
        )
        return redirect("checkout:preview", pk=pk)
    try:
        if order.status == S.APPROVED:
            order = order_submit(order=order, actor=request.user)
        else:
            order = order_confirm(order=order, actor=request.user)
    except (OrderError, UpstreamError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("checkout:preview", pk=pk)
    order.refresh_from_db()
    if order.status == S.AWAITING_APPROVAL:
        messages.info(
            request,
            f"The order waits for an approver: its total {format_cny(order.quoted_total_fen)} "
            f"is above your limit of {format_cny(context['limit_fen'])}.",
        )
    else:
        messages.success(request, f"Confirmed: {order.reference} is submitted to the upstream.")
    return redirect("checkout:preview", pk=pk)


# -- 3. approvals ------------------------------------------------------------------------------
@require_GET
@staff_page("purchasing.approve_order")
def approvals(request: HttpRequest) -> HttpResponse:
    """Orders waiting for an approver, the longest-waiting first (one query)."""
    orders = (
        PurchaseOrder.objects.filter(status=S.AWAITING_APPROVAL)
        .select_related("created_by")
        .annotate(
            line_count=Count("lines", distinct=True),
            waiting_since=Max(
                "events__created_at", filter=Q(events__to_status=S.AWAITING_APPROVAL)
            ),
        )
        .order_by("waiting_since", "pk")
    )
    return render(request, "purchasing/checkout/approvals.html", {"orders": orders})


@require_http_methods(["GET", "POST"])
@staff_page("purchasing.approve_order")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview and its differences; approve (and submit) or reject with a comment."""
    order = get_object_or_404(PurchaseOrder.objects.select_related("created_by"), pk=pk)
    form = DecisionForm(request.POST or None)
    own = order.created_by_id == request.user.pk
    if request.method == "POST" and form.is_valid() and order.status == S.AWAITING_APPROVAL:
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                order_approve(order=order, actor=request.user, comment=comment)
                order_submit(order=order, actor=request.user)
            else:
                order_reject(order=order, actor=request.user, comment=comment)
        except (OrderError, UpstreamError) as exc:  # NotAllowed: "nobody approves their own"
            form.add_error(None, _error_text(exc))
        else:
            if decision == "approve":
                messages.success(request, f"Approved: {order.reference} is submitted.")
            else:
                messages.info(request, f"Rejected: {order.reference} went back to its purchaser.")
            return redirect("checkout:approvals")
        order.refresh_from_db()
    context = _page_context(request, order)
    context.update({"form": form, "own": own})
    return render(request, "purchasing/checkout/approve.html", context)


# -- 4. pay a batch ----------------------------------------------------------------------------
def _amount_fen(order: PurchaseOrder) -> int:
    """What paying this order commits: what the upstream asks, else the accepted total."""
    if order.upstream_total_fen is not None:
        return order.upstream_total_fen
    return order.budget_fen if order.budget_fen is not None else order.quoted_total_fen


def _payable(orders) -> tuple[list[PurchaseOrder], list[tuple[PurchaseOrder, str]]]:
    ok, refused = [], []
    for order in orders:
        if order.status != S.AWAITING_PAYMENT:
            refused.append((order, f"it is {order.get_status_display().lower()}"))
        elif order.needs_attention:
            refused.append((order, f"it needs attention: {order.attention_reason}"))
        else:
            order.amount_fen = _amount_fen(order)
            ok.append(order)
    return ok, refused


@require_GET
@staff_page("purchasing.pay_order")
def pay(request: HttpRequest) -> HttpResponse:
    """Orders created upstream and waiting for payment, oldest first (one query)."""
    orders = list(
        PurchaseOrder.objects.filter(status=S.AWAITING_PAYMENT)
        .select_related("created_by", "approved_by")
        .annotate(line_count=Count("lines"))
        .order_by("updated_at", "pk")
    )
    for order in orders:
        order.amount_fen = _amount_fen(order)
    return render(request, "purchasing/checkout/pay.html", {"orders": orders})


@require_POST
@staff_page("purchasing.pay_order")
def pay_confirm(request: HttpRequest) -> HttpResponse:
    """First POST: the confirmation (what will be paid, the total). With `confirmed`: pay."""
    form = PayBatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("checkout:pay")
    orders = PurchaseOrder.objects.filter(pk__in=form.order_ids).order_by("pk")
    payable, refused = _payable(orders)
    total = sum(order.amount_fen for order in payable)
    context = {"orders": payable, "refused": refused, "total_fen": total, "warning": ""}
    if "confirmed" in request.POST and payable:
        if form.cleaned_data.get("total_fen") != total or refused:
            context["warning"] = (
                "What would be paid changed since the confirmation was shown: check it again."
            )
        else:
            try:
                order_pay(orders=payable, actor=request.user)
            except (OrderError, UpstreamError) as exc:
                context["warning"] = _error_text(exc)
            else:
                query = "&".join(f"order={order.pk}" for order in payable)
                return redirect(f"{reverse('checkout:pay_result')}?{query}")
    return render(request, "purchasing/checkout/pay_confirm.html", context)


@require_GET
@staff_page("purchasing.pay_order")
def pay_result(request: HttpRequest) -> HttpResponse:
    """Each order of a paid batch and its payment, polled while any is still paying."""
    ids = [int(v) for v in request.GET.getlist("order") if v.isdigit()][:200]
    orders = list(PurchaseOrder.objects.filter(pk__in=ids).order_by("pk"))
    attempts: dict[int, PaymentAttempt] = {}
    for attempt in PaymentAttempt.objects.filter(order_id__in=ids).order_by("pk"):
        attempts[attempt.order_id] = attempt  # the latest per order
    for order in orders:
        order.attempt = attempts.get(order.pk)
        order.page_url = order_page_url(order)
    context = {
        "orders": orders,
        "moving": any(order.status in MOVING for order in orders),
        "paid_fen": sum(o.actual_fen or 0 for o in orders if o.status == S.PAID),
    }
    return render(request, "purchasing/checkout/pay_result.html", context)
