"""1688 through Dajisaas (UPSTREAM_PROVIDER_1688=dajisaas): one seller per create, protocol
payment order by order, no cart, no logistics trace, no voucher and no after-sales yet. The
category filter lists Dajisaas's own categories (its category query); what only PandaPon tells
of 1688 goods (marketing lists, related offers, a seller's offers) is read there, as before
Dajisaas bought the order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from purchasing.models import Platform
from purchasing.models.orders import Provider, Source
from purchasing.routes.alibaba_pandapon import AlibabaOffers, seller_offers
from purchasing.routes.base import (
    LOOK_UP_PAGE_SIZE,
    Capability,
    Created,
    GoodsQuery,
    Route,
    RouteRefused,
    by_seller,
    cargo_of,
    looked_up,
    merged,
)
from purchasing.services.orders.common import alibaba_address
from upstream import accounts, errors
from upstream.dajisaas.orders import ALIPAY_URL_MAX_ORDERS
from upstream.types.orders import Order as UpstreamOrder
from upstream.types.orders import PayResult, Preview

if TYPE_CHECKING:
    from purchasing.models import PurchaseOrder, PurchaseOrderLine
    from upstream.types.goods import Category, SearchPage
    from upstream.types.goods import Product as UpstreamProduct


class AlibabaDajisaas(AlibabaOffers, Route):
    platform = Platform.ALIBABA
    provider = Provider.DAJISAAS
    cannot = frozenset(
        {
            Capability.CART,
            Capability.SEVERAL_SELLERS,
            Capability.BATCH_PAY,
            Capability.TRACE,
            Capability.WAREHOUSE,
            Capability.IM,
            Capability.VOUCHER,
            Capability.AFTERSALES,
        }
    )
    # 1688's protocol pay returns undocumented error codes: retry at most 3 times
    # (upstream-api.md 2.4).
    pay_tries = 3

    def search(self, query: GoodsQuery) -> tuple[SearchPage, str]:
        if query.shop_id:
            return seller_offers(query)
        found = accounts.dajisaas().goods.keyword_query(
            keyword=query.keyword, page=query.page, page_size=query.page_size
        )
        note = (
            _(
                "The 1688 provider (Dajisaas) searches by keyword only: price, category and sort "
                "were not applied."
            )
            if query.filtered or query.sort
            else ""
        )
        return found, note

    def search_by_image(self, image_base64: str, page_size: int, page: int = 1) -> SearchPage:
        goods = accounts.dajisaas().goods
        uploaded = goods.upload_image(image_base64=image_base64)
        return goods.image_query(image_id=uploaded.image_id, page=page, page_size=page_size)

    def product(self, item_id: str) -> UpstreamProduct:
        return accounts.dajisaas().goods.product_detail(offer_id=item_id)

    def categories(self) -> list[Category]:
        # Dajisaas's own tree (Chinese names only), not PandaPon's: the ids are the ones its
        # goods carry.
        return list(accounts.dajisaas().goods.category(category_id="0").children)

    def preview(self, order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> list[Preview]:
        _refuse_cart(order)
        # Dajisaas previews one seller at a time: the order's preview is one per seller.
        client, address = accounts.dajisaas(), alibaba_address(order.address)
        previews: list[Preview] = []
        for seller in by_seller(lines):
            previews += client.orders.preview(address=address, cargo=cargo_of(seller))
        return previews

    def create(
        self, order: PurchaseOrder, lines: list[PurchaseOrderLine], *, budget_fen: int
    ) -> Created:
        _refuse_cart(order)
        if len(by_seller(lines)) > 1:
            raise RouteRefused(_("Dajisaas orders are one seller each"))
        made = accounts.dajisaas().orders.create_cross_order(
            address=alibaba_address(order.address), cargo=cargo_of(lines), outer_ref=order.reference
        )
        if not made.order_ids and made.failed_offers:
            # It says which offers failed: nothing was created. An answer with neither ids nor
            # failures says nothing, and the create checks for that (outcome unknown).
            raise errors.OfferUnavailable(f"the upstream created nothing: {made.failed_offers}")
        return Created(ids=made.order_ids, total_fen=made.total_fen or None)

    def find_by_reference(
        self, reference: str, *, since: datetime | None = None
    ) -> list[UpstreamOrder]:
        orders = accounts.dajisaas().orders
        return looked_up(
            lambda ref, n: orders.list(outer_ref=ref, page_no=n, page_size=LOOK_UP_PAGE_SIZE),
            reference,
            since,
        )

    def read(self, order_ids: Iterable[str]) -> list[UpstreamOrder]:
        orders = accounts.dajisaas().orders
        return [orders.get(order_id=order_id) for order_id in order_ids]

    def pay(self, order_ids: list[str]) -> tuple[PayResult, str]:
        orders = accounts.dajisaas().orders
        return merged([orders.protocol_pay(order_id=i) for i in order_ids]), "dj_protocol_pay"

    def cashier_url(self, order_ids: list[str]) -> str:
        # The payment link: the 1688 cashier for one order, Alipay's for several (at most 30).
        return accounts.dajisaas().orders.alipay_url(order_ids=order_ids[:ALIPAY_URL_MAX_ORDERS])

    def cancel(self, order_id: str, reason: str) -> None:
        accounts.dajisaas().orders.cancel(order_id=order_id, remark=reason)

    def confirm_receipt(self, order_id: str) -> None:
        accounts.dajisaas().orders.receive_goods(order_id=order_id)


def _refuse_cart(order: PurchaseOrder) -> None:
    # Cart orders are bought through PandaPon, whose account holds the carts (routes.cart_route).
    if order.source == Source.CART:
        raise RouteRefused(_("Dajisaas has no upstream cart"))
