"""What the cart page shows for one platform: the upstream cart by seller, with totals, the
selection and how it would be ordered. One query at most (the cached 1688 minimums), whatever
the number of lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from carts.services import PLATFORM_NAMES, OrderPlan, plan_orders
from purchasing.models import Product
from purchasing.routes import cart_route
from upstream.types.carts import Cart, CartItem


@dataclass
class Line:
    """A cart line as the page shows it: the upstream line, its properties in words, the
    offer's cached 1688 minimum (when we know it) and whether it is ticked."""

    item: CartItem
    minimum: int | None = None
    selected: bool = False

    @property
    def properties_text(self) -> str:
        return " · ".join(_property_text(prop) for prop in self.item.properties)


def _property_text(prop: dict) -> str:
    name = prop.get("propNameEn") or prop.get("propName") or ""
    value = prop.get("valueName") or ""
    value_en = prop.get("valueNameEn") or ""
    if value_en and value_en != value:
        value = f"{value} ({value_en})"
    return f"{name}: {value}" if name else value


@dataclass
class SellerGroup:
    seller_id: str
    seller_name: str
    lines: list[Line]

    @property
    def subtotal_fen(self) -> int:
        return sum(line.item.amount_fen for line in self.lines)


@dataclass
class Selection:
    """The selected orderable lines of one platform and what ordering them would mean."""

    platform: str
    lines: list[CartItem] = field(default_factory=list)
    plan: OrderPlan | None = None

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)


@dataclass
class CartSection:
    """One platform's part of the cart page. `error` is the sentence when the upstream failed."""

    platform: str
    sellers: list[SellerGroup] = field(default_factory=list)
    disabled: list[Line] = field(default_factory=list)
    selection: Selection | None = None
    error: str = ""
    message: str = ""
    message_level: str = "success"

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)

    @property
    def total_fen(self) -> int:
        return sum(group.subtotal_fen for group in self.sellers)

    @property
    def line_count(self) -> int:
        return sum(len(group.lines) for group in self.sellers) + len(self.disabled)

    @property
    def empty(self) -> bool:
        return not self.error and self.line_count == 0


def selection_of(platform: str, cart: Cart, selected: Iterable[str]) -> Selection:
    """The selected lines that can be ordered (disabled or vanished ids are dropped)."""
    wanted = set(selected)
    lines = [line for line in cart.items if line.cart_id in wanted]
    return Selection(platform=platform, lines=lines, plan=plan_orders(platform, lines))


def cart_section(
    platform: str, cart: Cart | None, *, selected: Iterable[str] = (), error: str = ""
) -> CartSection:
    if cart is None:
        return CartSection(platform=platform, error=error or _("The cart could not be read."))
    selection = selection_of(platform, cart, selected)
    ticked = {line.cart_id for line in selection.lines}
    minimums: dict[str, int] = {}
    item_ids = {line.item_id for line in [*cart.items, *cart.disabled]}
    if cart_route(platform).offer_minimums and item_ids:
        minimums = dict(
            Product.objects.filter(platform=platform, item_id__in=item_ids)
            .filter(min_order_quantity__gt=1)
            .values_list("item_id", "min_order_quantity")
        )

    def line(item: CartItem) -> Line:
        return Line(item, minimums.get(item.item_id), item.cart_id in ticked)

    sellers = [
        SellerGroup(
            seller.seller_id,
            seller.seller_name or seller.seller_id,
            [line(item) for item in seller.items],
        )
        for seller in cart.sellers
        if seller.items
    ]
    return CartSection(
        platform=platform,
        sellers=sellers,
        disabled=[line(item) for item in cart.disabled],
        selection=selection,
        error=error,
    )
