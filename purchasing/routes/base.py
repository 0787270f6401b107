"""What every route offers: the operations an order needs upstream, the same for each route,
and what a route cannot do, as data that services, views and templates can ask.

A route is one platform bought through one provider (Taobao through PandaPon, 1688 through
PandaPon, 1688 through Dajisaas). Only the route classes know which upstream call serves which
operation; everything else asks `route_for(order)` or `route_for_platform(platform)`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.utils.translation import gettext as _

from purchasing.routes.recent import preview_key, recent_previews, recent_products
from purchasing.services.orders.common import OrderError
from upstream.types.orders import Cargo, LogisticsTrace, PayResult, Preview
from upstream.types.orders import Order as UpstreamOrder

if TYPE_CHECKING:
    from purchasing.models import Product, PurchaseOrder, PurchaseOrderLine, Sku
    from upstream.types.carts import Cart
    from upstream.types.goods import Category, SearchPage
    from upstream.types.goods import Product as UpstreamProduct


class Capability(StrEnum):
    """Something a route may be unable to do; each route lists the ones it cannot."""

    CART = "cart"  # order lines of the upstream account's cart
    SEVERAL_SELLERS = "several_sellers"  # one create for the goods of several sellers
    SPLIT = "split"  # several upstream orders under one reference (per seller, per 50 SKUs)
    BATCH_PAY = "batch_pay"  # one pay call for several of our orders
    RECEIPT = "receipt"  # confirm that the goods reached the warehouse
    TRACE = "trace"  # read the seller's logistics
    WAREHOUSE = "warehouse"  # change the warehouse an unshipped order goes to
    IM = "im"  # a link to chat with the seller
    VOUCHER = "voucher"  # attach a payment voucher
    AFTERSALES = "aftersales"  # refunds and returns
    CATEGORIES = "categories"  # the platform's category tree, to filter a search by
    MARKETING = "marketing"  # curated marketing lists (global strict selection, hot list...)
    RELATED = "related"  # goods related to an item and recommended beside it


class RouteRefused(OrderError):
    """The route cannot do this at all (see Route.cannot); nothing was sent upstream."""

    @property
    def sentence(self) -> str:
        """The refusal as a page shows it: capital first, full stop last."""
        text = str(self).strip()
        text = text[:1].upper() + text[1:]
        return text if text.endswith((".", "!", "?")) else f"{text}."


@dataclass(frozen=True)
class GoodsQuery:
    """What a goods search asks: a keyword, or one shop's goods (Taobao shopId, 1688 seller)."""

    keyword: str = ""
    shop_id: str = ""
    page: int = 1
    page_size: int = 20
    price_min_fen: int | None = None
    price_max_fen: int | None = None
    category_id: str = ""
    sort: str = ""

    @property
    def filtered(self) -> bool:
        """Filters beyond the keyword: price or category."""
        return (
            self.price_min_fen is not None
            or self.price_max_fen is not None
            or bool(self.category_id)
        )


@dataclass
class Created:
    """What we learnt of our upstream order(s): from a create answer or a look-up."""

    ids: list[str]
    order_no: str = ""
    status: str = ""
    total_fen: int | None = None
    orders: list[UpstreamOrder] = field(default_factory=list)

    @classmethod
    def from_orders(cls, found: list[UpstreamOrder]) -> Created:
        """Oldest first, so the order we adopt is the first one created under our reference."""
        found = sorted(found, key=lambda o: (o.created_at is None, o.created_at or 0, o.order_id))
        return cls(
            ids=[o.order_id for o in found],
            order_no=found[0].order_no,
            status=found[0].status,
            total_fen=sum(o.total_fen for o in found),
            orders=found,
        )


class Route(ABC):
    """One platform through one provider. Subclasses answer every operation; one they cannot
    do is named in `cannot` and raises RouteRefused here, before anything is sent."""

    platform: ClassVar[str]
    provider: ClassVar[str]
    cannot: ClassVar[frozenset[Capability]] = frozenset()
    # An offer's minimum order quantity holds, counted over all of the offer's lines in one
    # order (1688); where False, an item has no minimum beyond one piece.
    offer_minimums: ClassVar[bool] = False
    # No upstream status says the goods reached the warehouse: arrival is read from the
    # seller's parcels (`arrival_traces`). Where False, the order's status says it.
    arrival_from_trace: ClassVar[bool] = False
    # The product detail's `status` while the goods are on sale (an empty one counts as on sale).
    on_sale_status: ClassVar[str]
    # How many pay calls of one attempt may end with an unknown outcome while the order reads
    # unpaid before the attempt gives up for the cashier; None: read and pay again until the
    # upstream says (services/orders/cashier.py).
    pay_tries: ClassVar[int | None] = None

    def can(self, capability: Capability) -> bool:
        return capability not in self.cannot

    # -- goods -----------------------------------------------------------------------------------
    @abstractmethod
    def search(self, query: GoodsQuery) -> tuple[SearchPage, str]:
        """A page of goods for a keyword or of one shop's goods, and a note (for a person)
        naming the filters this route could not apply, or ""."""

    @abstractmethod
    def search_by_image(self, image_base64: str, page_size: int, page: int = 1) -> SearchPage:
        """A page of goods whose pictures look like the image, most similar first."""

    def delisted(self, raw: Mapping) -> bool:
        """The stored product detail says the goods are no longer on sale."""
        return str(raw.get("status") or "") not in ("", self.on_sale_status)

    def categories(self) -> list[Category]:
        """The top-level categories, with their English names."""
        raise RouteRefused(_("this platform has no category list to filter by"))

    def marketing(self, kind: str, *, page: int, page_size: int) -> SearchPage:
        """A page of a curated marketing list ("global", "strict" or "hot")."""
        raise RouteRefused(_("this platform has no marketing lists"))

    def related(
        self, item_id: str, *, count: int
    ) -> tuple[list[UpstreamProduct], list[UpstreamProduct]]:
        """Goods related to an item, and those recommended beside it."""
        raise RouteRefused(_("this platform suggests no related goods"))

    # -- the upstream cart (Capability.CART) ----------------------------------------------------
    def cart(self) -> Cart:
        """The upstream account's cart of this platform."""
        raise RouteRefused(_("this route has no upstream cart"))

    def cart_add_refusal(self, product: Product, sku: Sku) -> str:
        """Why our cached SKU cannot go into this cart (an id the cart needs is missing), or ""."""
        raise RouteRefused(_("this route has no upstream cart"))

    def cart_add(self, product: Product, sku: Sku, quantity: int) -> str:
        """Add a cached SKU to the cart (one already there gains the quantity); its cart id."""
        raise RouteRefused(_("this route has no upstream cart"))

    def cart_set_quantity(self, cart_id: str, quantity: int) -> None:
        """Set a cart line's quantity."""
        raise RouteRefused(_("this route has no upstream cart"))

    def cart_remove(self, cart_ids: Sequence[str]) -> None:
        """Remove lines from the cart."""
        raise RouteRefused(_("this route has no upstream cart"))

    # -- before the create ---------------------------------------------------------------------

    @abstractmethod
    def product(self, item_id: str) -> UpstreamProduct:
        """The item's current detail, with its SKUs."""

    def recent_product(self, item_id: str) -> UpstreamProduct:
        """The item's detail as this process read it within CAIGOU_PRODUCT_READ_FRESH_SECONDS,
        else read now. Only for what a preview checks again (an order's draft lines)."""
        key = (self.platform, self.provider, item_id)
        return recent_products.get(key, lambda: self.product(item_id))

    @abstractmethod
    def preview(self, order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> list[Preview]:
        """What the order would cost now: one preview per upstream order it would make."""

    def recent_preview(
        self, order: PurchaseOrder, lines: list[PurchaseOrderLine], *, reuse: bool = True
    ) -> list[Preview]:
        """What this process's preview of the same goods, quantities, source and address
        answered within CAIGOU_PREVIEW_REUSE_SECONDS, else a preview now, kept for the next
        order (routes/recent.py says why that is safe). `reuse=False` always asks."""
        key = (self.platform, self.provider, preview_key(order, lines))
        return recent_previews.get(key, lambda: self.preview(order, lines), reuse=reuse)

    # -- the create and reading it back --------------------------------------------------------
    @abstractmethod
    def create(
        self, order: PurchaseOrder, lines: list[PurchaseOrderLine], *, budget_fen: int
    ) -> Created:
        """The one create call, under `order.reference`. `budget_fen` caps what the upstream
        may charge where the route can say so."""

    @abstractmethod
    def find_by_reference(
        self, reference: str, *, since: datetime | None = None
    ) -> list[UpstreamOrder]:
        """The orders the upstream lists when asked for our reference (the look-up before any
        new create). The list may ignore the filter and hold other people's orders, so every
        row is a candidate to judge (services/orders/lookup.py), never ours by being listed.
        With `since`, pages are read until the orders listed are older than that; an empty
        `reference` lists the account's orders unfiltered."""

    @abstractmethod
    def read(self, order_ids: Iterable[str]) -> list[UpstreamOrder]:
        """The upstream orders, read by id (detail), in the order given."""

    # -- after the create ----------------------------------------------------------------------
    @abstractmethod
    def pay(self, order_ids: list[str]) -> tuple[PayResult, str]:
        """Pay one order's upstream orders: what was paid, and the operation that paid."""

    def pay_batch(self, order_ids: list[str]) -> tuple[PayResult, str]:
        """One pay call for the upstream orders of several of our orders."""
        raise RouteRefused(_("this route pays one order at a time"))

    def cashier_url(self, order_ids: list[str]) -> str:
        """Where a person pays these upstream orders by hand when password-free payment is
        refused, or "" where the route can only learn it from a pay answer (`PayResult`)."""
        return ""

    @abstractmethod
    def cancel(self, order_id: str, reason: str) -> None:
        """Cancel an unpaid upstream order."""

    def confirm_receipt(self, order_id: str) -> None:
        """Tell the upstream the goods reached the warehouse."""
        raise RouteRefused(_("this route has no receipt to confirm"))

    def logistics(self, order: PurchaseOrder) -> list[LogisticsTrace]:
        """The seller's parcels and their events."""
        raise RouteRefused(_("this route cannot read the seller's logistics"))

    def arrival_traces(self, order: PurchaseOrder) -> Iterator[list[LogisticsTrace]]:
        """The seller's parcels of each line sent upstream, one line at a time, for a route
        whose statuses do not say when the goods reached the warehouse (`arrival_from_trace`);
        read lazily, so a caller stops at the first line not arrived."""
        raise RouteRefused(_("this route says with a status when the goods reach the warehouse"))

    def upload_voucher(
        self, order_id: str, *, content: bytes, filename: str, content_type: str
    ) -> str:
        """Attach a payment voucher to an upstream order; the stored voucher's URL."""
        raise RouteRefused(_("this route takes no payment voucher"))

    def update_warehouse(self, order_id: str, *, name: str, address: str) -> None:
        """Change the warehouse an unshipped order goes to."""
        raise RouteRefused(_("this route cannot change the warehouse"))

    def im_link(self, item_id: str) -> str:
        """A link to chat with the seller of an item."""
        raise RouteRefused(_("this route has no chat with the seller"))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.platform} via {self.provider}>"


# -- what several routes share -----------------------------------------------------------------
LOOK_UP_PAGE_SIZE = 50
LOOK_UP_MAX_PAGES = 5  # a list that ignores the filter is the whole account: read its newest


class _Page(Protocol):
    orders: list[UpstreamOrder]


def looked_up(
    fetch: Callable[[str, int], _Page], reference: str, since: datetime | None
) -> list[UpstreamOrder]:
    """The look-up's list: `fetch(outer_ref, page_no)` for our reference and, unless a listed
    order carries it, every order created since `since` as well. An upstream may honour the
    filter and yet have dropped our reference on the create: that order is listed only
    unfiltered, and found by its goods (services/orders/lookup.py), never created again."""
    try:
        found = listed_since(lambda page_no: fetch(reference, page_no), since)
    except LookUpIncomplete as incomplete:
        if any(order.outer_ref == reference for order in incomplete.orders):
            return incomplete.orders  # ours, by proof: what else is listed does not matter
        raise
    if since is None or any(order.outer_ref == reference for order in found):
        return found
    seen = {order.order_id for order in found}
    try:
        everyone = listed_since(lambda page_no: fetch("", page_no), since)
    except LookUpIncomplete as incomplete:
        incomplete.orders = found + [o for o in incomplete.orders if o.order_id not in seen]
        raise
    return found + [order for order in everyone if order.order_id not in seen]


class LookUpIncomplete(Exception):
    """The upstream lists more orders since the first attempt than the look-up reads: one of
    ours may be among those unread, so nothing may be created again before a person looks."""

    def __init__(self, orders: list[UpstreamOrder]) -> None:
        super().__init__(f"{len(orders)} orders read, and the list goes on")
        self.orders = orders


def listed_since(fetch, since: datetime | None) -> list[UpstreamOrder]:
    """The orders of `fetch(page_no)` pages (newest first), read until a page is short or holds
    only orders created before `since`. Raises LookUpIncomplete, with what it read, when
    LOOK_UP_MAX_PAGES full pages still reach into the window."""
    found: list[UpstreamOrder] = []
    for page_no in range(1, LOOK_UP_MAX_PAGES + 1):
        page: _Page = fetch(page_no)
        found += page.orders
        older = since is not None and all(
            o.created_at is not None and o.created_at < since for o in page.orders
        )
        if len(page.orders) < LOOK_UP_PAGE_SIZE or older or since is None:
            return found
    raise LookUpIncomplete(found)


def by_seller(lines: Iterable[PurchaseOrderLine]) -> list[list[PurchaseOrderLine]]:
    """The lines grouped by seller, in the order the sellers first appear."""
    groups: dict[str, list[PurchaseOrderLine]] = {}
    for line in lines:
        groups.setdefault(line.seller_id, []).append(line)
    return list(groups.values())


def cargo_of(lines: Iterable[PurchaseOrderLine]) -> list[Cargo]:
    """1688 cargo: offer, spec, quantity and seller of each line."""
    return [
        Cargo(
            offer_id=line.item_id,
            spec_id=line.spec_id,
            quantity=line.quantity,
            seller_open_id=line.seller_id,
        )
        for line in lines
    ]


def merged(results: list[PayResult]) -> PayResult:
    """Several pay answers of one order read as one."""
    return PayResult(
        paid_order_ids=[i for r in results for i in r.paid_order_ids],
        failed_order_ids=[i for r in results for i in r.failed_order_ids],
        pay_url=next((r.pay_url for r in results if r.pay_url), ""),
        amount_fen=sum(r.amount_fen for r in results),
    )
