"""What every route offers: the operations an order needs upstream, the same for each route,
and what a route cannot do, as data that services, views and templates can ask.

A route is one platform bought through one provider (Taobao through PandaPon, 1688 through
PandaPon, 1688 through Dajisaas). Only the route classes know which upstream call serves which
operation; everything else asks `route_for(order)` or `route_for_platform(platform)`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext as _

from purchasing.services.orders.common import OrderError
from upstream.types.orders import Cargo, LogisticsTrace, PayResult, Preview
from upstream.types.orders import Order as UpstreamOrder

if TYPE_CHECKING:
    from purchasing.models import PurchaseOrder, PurchaseOrderLine
    from upstream.types.carts import Cart
    from upstream.types.goods import Product as UpstreamProduct
    from upstream.types.goods import SearchPage


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


class RouteRefused(OrderError):
    """The route cannot do this at all (see Route.cannot); nothing was sent upstream."""


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

    def can(self, capability: Capability) -> bool:
        return capability not in self.cannot

    # -- goods -----------------------------------------------------------------------------------
    @abstractmethod
    def search(self, query: GoodsQuery) -> tuple[SearchPage, str]:
        """A page of goods for a keyword or of one shop's goods, and a note (for a person)
        naming the filters this route could not apply, or ""."""

    @abstractmethod
    def search_by_image(self, image_base64: str, page_size: int) -> SearchPage:
        """Goods whose pictures look like the image, most similar first."""

    # -- before the create ---------------------------------------------------------------------
    def cart(self) -> Cart:
        """The upstream account's cart of this platform."""
        raise RouteRefused(_("this route has no upstream cart"))

    @abstractmethod
    def product(self, item_id: str) -> UpstreamProduct:
        """The item's current detail, with its SKUs."""

    @abstractmethod
    def preview(self, order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> list[Preview]:
        """What the order would cost now: one preview per upstream order it would make."""

    # -- the create and reading it back --------------------------------------------------------
    @abstractmethod
    def create(
        self, order: PurchaseOrder, lines: list[PurchaseOrderLine], *, budget_fen: int
    ) -> Created:
        """The one create call, under `order.reference`. `budget_fen` caps what the upstream
        may charge where the route can say so."""

    @abstractmethod
    def find_by_reference(self, reference: str) -> list[UpstreamOrder]:
        """Every upstream order carrying our reference (the look-up before any new create)."""

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

    @abstractmethod
    def cancel(self, order_id: str, reason: str) -> None:
        """Cancel an unpaid upstream order."""

    def confirm_receipt(self, order_id: str) -> None:
        """Tell the upstream the goods reached the warehouse."""
        raise RouteRefused(_("this route has no receipt to confirm"))

    def logistics(self, order: PurchaseOrder) -> list[LogisticsTrace]:
        """The seller's parcels and their events."""
        raise RouteRefused(_("this route cannot read the seller's logistics"))

    def update_warehouse(self, order_id: str, *, name: str, address: str) -> None:
        """Change the warehouse an unshipped order goes to."""
        raise RouteRefused(_("this route cannot change the warehouse"))

    def im_link(self, item_id: str) -> str:
        """A link to chat with the seller of an item."""
        raise RouteRefused(_("this route has no chat with the seller"))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.platform} via {self.provider}>"


# -- what several routes share -----------------------------------------------------------------
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
