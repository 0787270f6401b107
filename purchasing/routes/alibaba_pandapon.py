"""1688 through PandaPon: an upstream order per seller (and per 50 SKUs), batch calls for
several sellers, and one pay call for several orders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from purchasing.models import Platform
from purchasing.models.orders import Provider, Source
from purchasing.routes.base import (
    LOOK_UP_PAGE_SIZE,
    Capability,
    Created,
    GoodsQuery,
    Route,
    by_seller,
    cargo_of,
    looked_up,
)
from purchasing.services.orders.common import alibaba_address
from upstream import accounts, errors
from upstream.types.orders import LogisticsTrace, PayResult, Preview
from upstream.types.orders import Order as UpstreamOrder

if TYPE_CHECKING:
    from purchasing.models import Product, PurchaseOrder, PurchaseOrderLine, Sku
    from upstream.types.carts import Cart
    from upstream.types.goods import Category, SearchPage
    from upstream.types.goods import Product as UpstreamProduct

# A marketing list's key -> the PandaPon Marketing method that reads it.
MARKETING_METHODS = {"global": "global_strict", "strict": "strict", "hot": "hot"}


class AlibabaOffers:
    """What only PandaPon tells of 1688 goods, whatever provider buys them: the marketing
    lists, related and recommended offers (and a seller's offers, `seller_offers`), and the
    category tree (Dajisaas lists its own). Both 1688 routes read them here."""

    offer_minimums = True  # a 1688 offer's minimum counts over all of its lines in one order
    on_sale_status = "published"

    def categories(self) -> list[Category]:
        root = accounts.pandapon().alibaba_goods.category_get(category_id="0", language="en")
        return list(root.children)

    def marketing(self, kind: str, *, page: int, page_size: int) -> SearchPage:
        if kind not in MARKETING_METHODS:
            raise ValueError(f"unknown marketing list {kind!r}")
        read = getattr(accounts.pandapon().marketing, MARKETING_METHODS[kind])
        return read(page=page, page_size=page_size)

    def related(
        self, item_id: str, *, count: int
    ) -> tuple[list[UpstreamProduct], list[UpstreamProduct]]:
        goods = accounts.pandapon().alibaba_goods
        return (
            goods.related(offer_id=item_id, page_size=count),
            goods.recommend(offer_id=item_id, page_size=count),
        )


class AlibabaPandaPon(AlibabaOffers, Route):
    platform = Platform.ALIBABA
    provider = Provider.PANDAPON
    cannot = frozenset({Capability.WAREHOUSE, Capability.IM, Capability.VOUCHER})
    # The same 1688 protocol pay underneath as Dajisaas's: retry at most 3 times (2.4). Its
    # cashier link comes only with a pay answer (`alibaba_order_pay_url`'s payUrl).
    pay_tries = 3

    def search(self, query: GoodsQuery) -> tuple[SearchPage, str]:
        if query.shop_id:
            return seller_offers(query)
        found = accounts.pandapon().alibaba_goods.keyword_query(
            keyword=query.keyword,
            page=query.page,
            page_size=query.page_size,
            price_min_fen=query.price_min_fen,
            price_max_fen=query.price_max_fen,
            category_id=query.category_id,
            sort=query.sort,
        )
        return found, ""

    def search_by_image(self, image_base64: str, page_size: int, page: int = 1) -> SearchPage:
        return accounts.pandapon().alibaba_goods.image_query(
            image_base64=image_base64, page=page, page_size=page_size
        )

    def product(self, item_id: str) -> UpstreamProduct:
        return accounts.pandapon().alibaba_goods.product_detail(offer_id=item_id)

    def cart(self) -> Cart:
        return accounts.pandapon().alibaba_cart.get()

    def cart_add_refusal(self, product: Product, sku: Sku) -> str:
        # The 1688 cart takes the offer and its spec id, not our SKU id.
        if not sku.spec_id:
            return _("This offer cannot be added to the 1688 cart (no spec id).")
        return ""

    def cart_add(self, product: Product, sku: Sku, quantity: int) -> str:
        return accounts.pandapon().alibaba_cart.add(
            offer_id=product.item_id, spec_id=sku.spec_id, quantity=quantity
        )

    def cart_set_quantity(self, cart_id: str, quantity: int) -> None:
        accounts.pandapon().alibaba_cart.edit_quantity(cart_id=cart_id, quantity=quantity)

    def cart_remove(self, cart_ids: Sequence[str]) -> None:
        accounts.pandapon().alibaba_cart.delete(cart_ids=cart_ids)

    def preview(self, order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> list[Preview]:
        client, address = accounts.pandapon(), alibaba_address(order.address)
        if order.source == Source.CART:
            return client.alibaba_cart.preview(
                cart_ids=[line.cart_id for line in lines], address=address
            )
        if len(by_seller(lines)) > 1:
            return client.alibaba_orders.batch_preview(address=address, cargo=cargo_of(lines))
        return client.alibaba_orders.preview(address=address, cargo=cargo_of(lines))

    def create(
        self, order: PurchaseOrder, lines: list[PurchaseOrderLine], *, budget_fen: int
    ) -> Created:
        client, address, ref = accounts.pandapon(), alibaba_address(order.address), order.reference
        if order.source == Source.CART:
            made = client.alibaba_cart.create_order(
                cart_ids=[line.cart_id for line in lines], client_request_id=ref, address=address
            )
            return Created(ids=made.order_ids, total_fen=made.total_fen or None)
        if len(by_seller(lines)) > 1:
            made = client.alibaba_orders.batch_create(
                address=address, cargo=cargo_of(lines), outer_ref=ref
            )
        else:
            made = client.alibaba_orders.create(
                address=address, cargo=cargo_of(lines), outer_ref=ref
            )
        if not made.order_ids and made.failed_offers:
            # It says which offers failed: nothing was created. An answer with neither ids nor
            # failures says nothing, and the create checks for that (outcome unknown).
            raise errors.OfferUnavailable(f"the upstream created nothing: {made.failed_offers}")
        return Created(ids=made.order_ids, total_fen=made.total_fen or None)

    def find_by_reference(
        self, reference: str, *, since: datetime | None = None
    ) -> list[UpstreamOrder]:
        orders = accounts.pandapon().alibaba_orders
        return looked_up(
            lambda ref, n: orders.page(outer_ref=ref, page_no=n, page_size=LOOK_UP_PAGE_SIZE),
            reference,
            since,
        )

    def read(self, order_ids: Iterable[str]) -> list[UpstreamOrder]:
        orders = accounts.pandapon().alibaba_orders
        return [orders.detail(order_id=order_id) for order_id in order_ids]

    def pay(self, order_ids: list[str]) -> tuple[PayResult, str]:
        if len(order_ids) > 1:
            return self.pay_batch(order_ids)
        # One order: PandaPon answers with a cashier link when protocol payment is unavailable.
        result = accounts.pandapon().alibaba_orders.pay_url(order_id=order_ids[0])
        return result, "alibaba_order_pay_url"

    def pay_batch(self, order_ids: list[str]) -> tuple[PayResult, str]:
        result = accounts.pandapon().alibaba_orders.submit_to_pay(order_ids=order_ids)
        return result, "alibaba_order_batch_submit_to_pay"

    def cancel(self, order_id: str, reason: str) -> None:
        accounts.pandapon().alibaba_orders.cancel(order_id=order_id, remark=reason)

    def confirm_receipt(self, order_id: str) -> None:
        accounts.pandapon().alibaba_orders.receive_goods(order_id=order_id)

    def logistics(self, order: PurchaseOrder) -> list[LogisticsTrace]:
        orders = accounts.pandapon().alibaba_orders
        traces: list[LogisticsTrace] = []
        for order_id in order.upstream_ids:
            traces += orders.logistics_trace(order_id=order_id)
        return traces


def seller_offers(query: GoodsQuery) -> tuple[SearchPage, str]:
    """One 1688 seller's offers. Only PandaPon lists them, whatever provider buys 1688 goods;
    it filters by keyword and sorts."""
    found = accounts.pandapon().alibaba_goods.seller_offers(
        seller_open_id=query.shop_id,
        keyword=query.keyword,
        page=query.page,
        page_size=query.page_size,
        sort=query.sort,
    )
    note = _("A shop's goods cannot be filtered by price or category.") if query.filtered else ""
    return found, note
