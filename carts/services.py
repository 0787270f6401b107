"""The upstream carts: add, read, change and remove lines, and how a selection becomes orders.

There is no local cart table: the carts are the upstream account's (PandaPon, per user-id), so
every page reads them fresh and a cart filled elsewhere shows up here too. All staff share the
configured account's carts.

Adding checks our cached `Product`/`Sku` first and refuses with a sentence before anything is
sent upstream; the upstream applies the same rules again and has the last word. Which upstream
cart a platform has, and what it needs, only its cart route knows (`purchasing.routes.cart_route`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from purchasing.models import Platform, Product, Sku
from purchasing.routes import Capability, Route, cart_route
from purchasing.splitting import skus_per_order, split_sizes
from upstream.types.carts import Cart, CartItem

PLATFORMS = (Platform.TAOBAO.value, Platform.ALIBABA.value)
PLATFORM_NAMES = {Platform.TAOBAO.value: gettext_lazy("Taobao"), Platform.ALIBABA.value: "1688"}


class CartRefused(Exception):
    """We refused a cart change before calling the upstream; `message` is for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _route(platform: str) -> Route:
    """The route whose account holds the platform's cart; CartRefused for another platform."""
    if platform not in PLATFORMS:
        raise CartRefused(_("Choose Taobao or 1688."))
    return cart_route(platform)


def _pieces(quantity: int) -> str:
    return ngettext("%(count)d piece", "%(count)d pieces", quantity) % {"count": quantity}


# -- add ------------------------------------------------------------------------------------
def check_orderable(*, platform: str, item_id: str, sku_id: str, quantity: int | None) -> Sku:
    """The cached SKU, when this quantity of it can be ordered, or CartRefused with the sentence
    that says what to change (what the upstream cart needs besides is `check_add`'s).

    Reads the cache only (one query); nothing is sent upstream."""
    route = _route(platform)
    if not sku_id:
        raise CartRefused(_("Choose a colour and size first."))
    sku = (
        Sku.objects.select_related("product")
        .filter(product__platform=platform, product__item_id=item_id, sku_id=sku_id)
        .first()
    )
    if sku is None:
        if not Product.objects.filter(platform=platform, item_id=item_id).exists():
            raise CartRefused(
                _("Open the item page first, so we know its current price and stock.")
            )
        raise CartRefused(_("That colour and size is not offered for this item; choose another."))
    product = sku.product
    if quantity is None or quantity < 1:
        raise CartRefused(_("Enter a quantity of at least 1."))
    if not sku.available:
        raise CartRefused(_("This colour and size cannot be ordered right now; choose another."))
    if sku.stock < 1:
        raise CartRefused(_("This colour and size is out of stock; choose another."))
    if route.offer_minimums and quantity < product.min_order_quantity:
        raise CartRefused(
            _("The minimum order for this offer is %(pieces)s.")
            % {"pieces": _pieces(product.min_order_quantity)}
        )
    if quantity > sku.stock:
        raise CartRefused(_("Only %(stock)s left in stock.") % {"stock": sku.stock})
    return sku


def check_add(*, platform: str, item_id: str, sku_id: str, quantity: int | None) -> Sku:
    """The cached SKU to add to the upstream cart, or CartRefused with the sentence that says
    what to change. Reads the cache only; nothing is sent upstream."""
    sku = check_orderable(platform=platform, item_id=item_id, sku_id=sku_id, quantity=quantity)
    missing = _route(platform).cart_add_refusal(sku.product, sku)
    if missing:
        raise CartRefused(missing)
    return sku


def cart_add(*, platform: str, item_id: str, sku_id: str, quantity: int | None) -> str:
    """Add a SKU to the upstream cart of its platform; the upstream cart id.

    Raises CartRefused or RouteRefused (nothing sent) or an `upstream.errors.UpstreamError`."""
    sku = check_add(platform=platform, item_id=item_id, sku_id=sku_id, quantity=quantity)
    return _route(platform).cart_add(sku.product, sku, quantity)


# -- read, change, remove -------------------------------------------------------------------
def cart_get(*, platform: str) -> Cart:
    """The platform's upstream cart as it is now."""
    return _route(platform).cart()


def cart_set_quantity(*, platform: str, cart_id: str, quantity: int | None) -> Cart:
    """Set a line's quantity; the cart as it is afterwards.

    Checks the line against a fresh read first (stock, 1688 minimum over the offer's lines), so
    staff read our sentence rather than the upstream's code."""
    if quantity is None or quantity < 1:
        raise CartRefused(_("Enter a quantity of at least 1, or remove the line."))
    route = _route(platform)
    cart = route.cart()
    line = cart.find(cart_id)
    if line is None:
        raise CartRefused(_("That line is no longer in the cart."))
    if quantity > line.quantity and line.stock and quantity > line.stock:
        raise CartRefused(_("Only %(stock)s left in stock.") % {"stock": line.stock})
    if route.offer_minimums:
        minimum = (
            Product.objects.filter(platform=platform, item_id=line.item_id)
            .values_list("min_order_quantity", flat=True)
            .first()
        )
        others = sum(
            item.quantity
            for item in [*cart.items, *cart.disabled]
            if item.item_id == line.item_id and item.cart_id != line.cart_id
        )
        if minimum and quantity + others < minimum:
            raise CartRefused(
                _("The minimum order for this offer is %(pieces)s.") % {"pieces": _pieces(minimum)}
            )
    if quantity != line.quantity:
        route.cart_set_quantity(cart_id, quantity)
    return route.cart()


def cart_remove(*, platform: str, cart_ids: Sequence[str]) -> Cart:
    """Remove lines from the platform's cart; the cart as it is afterwards."""
    ids = [cart_id for cart_id in cart_ids if cart_id]
    if not ids:
        raise CartRefused(_("Choose a line to remove."))
    route = _route(platform)
    route.cart_remove(ids)
    return route.cart()


# -- how a selection becomes upstream orders ------------------------------------------------
@dataclass(frozen=True)
class SellerOrders:
    """One seller's selected SKUs and how many go into each upstream order."""

    seller_id: str
    seller_name: str
    sku_count: int
    order_sizes: tuple[int, ...]


@dataclass(frozen=True)
class OrderPlan:
    """How a selection splits into upstream orders, with sentences for staff."""

    platform: str
    sellers: tuple[SellerOrders, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def order_count(self) -> int:
        return sum(len(seller.order_sizes) for seller in self.sellers)


def _and(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return _("%(some)s and %(last)s") % {"some": ", ".join(parts[:-1]), "last": parts[-1]}


def plan_orders(
    platform: str,
    lines: Iterable[CartItem],
    *,
    limit: int | None = None,
) -> OrderPlan:
    """How the selected lines would be ordered upstream (pure: no calls, no queries).

    A route that splits (1688): one order per seller, and a seller's SKUs (cart lines) in
    orders of at most `limit`. One that does not (Taobao): one order for the whole selection,
    a sub-order per line. `limit`: CAIGOU_1688_SKUS_PER_ORDER unless given."""
    limit = limit or skus_per_order()
    sellers: dict[str, list[CartItem]] = {}
    for line in lines:
        sellers.setdefault(line.seller_id, []).append(line)
    if not cart_route(platform).can(Capability.SPLIT):
        plan = tuple(
            SellerOrders(group[0].seller_id, group[0].seller_name, len(group), (len(group),))
            for group in sellers.values()
        )
        return OrderPlan(platform=platform, sellers=plan)
    plan = tuple(
        SellerOrders(
            seller_id=group[0].seller_id,
            seller_name=group[0].seller_name or group[0].seller_id,
            sku_count=len(group),
            order_sizes=split_sizes(len(group), limit=limit),
        )
        for group in sellers.values()
    )
    warnings = []
    if len(plan) > 1:
        warnings.append(
            _(
                "These %(count)s sellers make %(count)s upstream orders: "
                "1688 takes one supplier per order."
            )
            % {"count": len(plan)}
        )
    for seller in plan:
        if len(seller.order_sizes) > 1:
            sizes = _and([str(size) for size in seller.order_sizes])
            warnings.append(
                _(
                    "%(skus)s SKUs from %(seller)s make %(orders)s orders of %(sizes)s "
                    "(at most %(limit)s SKUs per order)."
                )
                % {
                    "skus": seller.sku_count,
                    "seller": seller.seller_name,
                    "orders": len(seller.order_sizes),
                    "sizes": sizes,
                    "limit": limit,
                }
            )
    return OrderPlan(platform=platform, sellers=plan, warnings=tuple(warnings))
