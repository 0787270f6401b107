"""Taobao/Tmall through PandaPon: one upstream order per create, a sub-order per line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
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
    looked_up,
    merged,
)
from purchasing.services.orders.common import taobao_receiver
from purchasing.services.orders.outcomes import unreadable
from upstream import accounts
from upstream.types.orders import LogisticsTrace, PayResult, Preview, PreviewLine, TaobaoLine
from upstream.types.orders import Order as UpstreamOrder

if TYPE_CHECKING:
    from purchasing.models import Product, PurchaseOrder, PurchaseOrderLine, Sku
    from upstream.types.carts import Cart
    from upstream.types.goods import Product as UpstreamProduct
    from upstream.types.goods import SearchPage


class TaobaoPandaPon(Route):
    platform = Platform.TAOBAO
    provider = Provider.PANDAPON
    cannot = frozenset(
        {
            Capability.SPLIT,
            Capability.RECEIPT,
            Capability.CATEGORIES,
            Capability.MARKETING,
            Capability.RELATED,
        }
    )
    # Taobao has no status after WAIT_BUYER_CONFIRM_GOODS ("shipped"): the domestic parcel's
    # trace, signed for at the warehouse, is what says the goods arrived.
    arrival_from_trace = True
    on_sale_status = "ON_SALE"

    def can(self, capability: Capability) -> bool:
        # Batch pay is an assumed path (no page gives it): an account without it pays one by one.
        if capability == Capability.BATCH_PAY:
            return settings.CAIGOU_TAOBAO_BATCH_PAY
        return super().can(capability)

    def search(self, query: GoodsQuery) -> tuple[SearchPage, str]:
        found = accounts.pandapon().taobao_goods.search(
            keyword=query.keyword,
            shop_id=query.shop_id,
            page=query.page,
            page_size=query.page_size,
            price_min_fen=query.price_min_fen,
            price_max_fen=query.price_max_fen,
            category_id=query.category_id,
            sort=query.sort,
        )
        return found, ""

    def search_by_image(self, image_base64: str, page_size: int, page: int = 1) -> SearchPage:
        return accounts.pandapon().taobao_goods.search_by_image(
            image_base64=image_base64, page=page, page_size=page_size
        )

    def product(self, item_id: str) -> UpstreamProduct:
        return accounts.pandapon().taobao_goods.product_get(item_id=item_id)

    def cart(self) -> Cart:
        return accounts.pandapon().taobao_cart.get()

    def cart_add_refusal(self, product: Product, sku: Sku) -> str:
        # The Taobao cart takes the distribution ids (mpId, mpSkuId), not only item and SKU.
        if not (product.mp_id and sku.mp_sku_id):
            return _("This item cannot be added to the Taobao cart (no distribution id).")
        return ""

    def cart_add(self, product: Product, sku: Sku, quantity: int) -> str:
        return accounts.pandapon().taobao_cart.add(
            item_id=product.item_id,
            sku_id=sku.sku_id,
            mp_id=product.mp_id,
            mp_sku_id=sku.mp_sku_id,
            quantity=quantity,
            title=product.title,
            picture=(product.pictures or [""])[0],
            price_fen=sku.price_fen,
            properties=[
                {"propName": prop.get("name", ""), "valueName": prop.get("value", "")}
                for prop in sku.properties
            ],
            shop_id=product.shop_id,
            shop_name=product.shop_name,
        )

    def cart_set_quantity(self, cart_id: str, quantity: int) -> None:
        accounts.pandapon().taobao_cart.edit_quantity(cart_id=cart_id, quantity=quantity)

    def cart_remove(self, cart_ids: Sequence[str]) -> None:
        accounts.pandapon().taobao_cart.delete(cart_ids=cart_ids)

    def preview(self, order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> list[Preview]:
        if order.source == Source.CART:
            return accounts.pandapon().taobao_cart.preview(
                cart_ids=[line.cart_id for line in lines], address=taobao_receiver(order.address)
            )
        return self._item_previews(lines)

    def _item_previews(self, lines: list[PurchaseOrderLine]) -> list[Preview]:
        """Taobao has no preview for orders outside the cart: price each line from the item's
        current detail, with the seller's domestic post fee as the freight. `/open/order` then
        carries the accepted total as its budget, so the upstream refuses anything dearer."""
        previews = []
        for seller in by_seller(lines):
            preview_lines, post_fee = [], 0
            for line in seller:
                product = self.product(line.item_id)
                sku = next((s for s in product.skus if s.sku_id == line.sku_id), None)
                unit = sku.price_fen if sku else product.price_fen
                reason = ""
                if not product.available or (sku is not None and not sku.available):
                    reason = "unavailable"
                elif sku is not None and sku.stock < line.quantity:
                    reason = "out of stock"
                post_fee = max(post_fee, product.domestic_post_fee_fen or 0)
                preview_lines.append(
                    PreviewLine(
                        raw={"itemId": line.item_id, "skuId": line.sku_id, "price": unit},
                        item_id=line.item_id,
                        sku_id=line.sku_id,
                        quantity=line.quantity,
                        unit_price_fen=unit,
                        amount_fen=unit * line.quantity,
                        available=not reason,
                        reason=reason,
                    )
                )
            goods = sum(pl.amount_fen for pl in preview_lines if pl.available)
            previews.append(
                Preview(
                    raw={"sellerId": seller[0].seller_id, "estimated": True},
                    seller_id=seller[0].seller_id,
                    success=all(pl.available for pl in preview_lines),
                    lines=preview_lines,
                    goods_fen=goods,
                    freight_fen=post_fee,
                    total_fen=goods + post_fee,
                )
            )
        return previews

    def create(
        self, order: PurchaseOrder, lines: list[PurchaseOrderLine], *, budget_fen: int
    ) -> Created:
        client = accounts.pandapon()
        if order.source == Source.CART:
            result = client.taobao_cart.create_order(
                cart_ids=[line.cart_id for line in lines],
                address=taobao_receiver(order.address),
                client_request_id=order.reference,
            )
            return Created.from_orders([result])
        # purchaseAmount caps what the upstream may charge: anything dearer than the budget is
        # refused (PriceChanged) and comes back to a person.
        result = client.taobao_orders.create(
            lines=[
                TaobaoLine(
                    item_id=line.item_id,
                    sku_id=line.sku_id,
                    quantity=line.quantity,
                    price_fen=line.unit_price_fen,
                    line_no=str(line.line_no),
                )
                for line in lines
            ],
            receiver=taobao_receiver(order.address),
            outer_ref=order.reference,
            budget_fen=budget_fen,
        )
        return Created.from_orders([result])

    def find_by_reference(
        self, reference: str, *, since: datetime | None = None
    ) -> list[UpstreamOrder]:
        orders = accounts.pandapon().taobao_orders
        return looked_up(
            lambda ref, n: orders.page(outer_ref=ref, page_no=n, page_size=LOOK_UP_PAGE_SIZE),
            reference,
            since,
        )

    def read(self, order_ids: Iterable[str]) -> list[UpstreamOrder]:
        orders = accounts.pandapon().taobao_orders
        return [orders.get(order_id=order_id) for order_id in order_ids]

    def pay(self, order_ids: list[str]) -> tuple[PayResult, str]:
        orders = accounts.pandapon().taobao_orders
        result = merged([orders.pay(order_id=i) for i in order_ids])
        return said_of_each(result, order_ids, "taobao_order_pay"), "taobao_order_pay"

    def pay_batch(self, order_ids: list[str]) -> tuple[PayResult, str]:
        result = accounts.pandapon().taobao_orders.batch_pay(order_ids=order_ids)
        operation = "taobao_order_batch_pay"
        return said_of_each(result, order_ids, operation), operation

    def cancel(self, order_id: str, reason: str) -> None:
        accounts.pandapon().taobao_orders.cancel(order_id=order_id, reason=reason)

    def logistics(self, order: PurchaseOrder) -> list[LogisticsTrace]:
        orders = accounts.pandapon().taobao_orders
        traces: list[LogisticsTrace] = []
        for line in order.lines.exclude(upstream_sub_order_id=""):
            traces += orders.logistics(sub_order_id=line.upstream_sub_order_id)
        return traces

    def arrival_traces(self, order: PurchaseOrder) -> Iterator[list[LogisticsTrace]]:
        orders = accounts.pandapon().taobao_orders
        for line in order.lines.exclude(upstream_sub_order_id=""):
            yield orders.logistics(sub_order_id=line.upstream_sub_order_id)

    def upload_voucher(
        self, order_id: str, *, content: bytes, filename: str, content_type: str
    ) -> str:
        return accounts.pandapon().taobao_orders.upload_voucher(
            order_id=order_id, content=content, filename=filename, content_type=content_type
        )

    def update_warehouse(self, order_id: str, *, name: str, address: str) -> None:
        accounts.pandapon().taobao_orders.update_warehouse(
            order_id=order_id, warehouse_name=name, warehouse_address=address
        )

    def im_link(self, item_id: str) -> str:
        return accounts.pandapon().taobao_orders.im_link(
            page_name="item", page_params={"sourceType": "item", "bizId": item_id}
        )


def said_of_each(result: PayResult, order_ids: list[str], operation: str) -> PayResult:
    """The answer, if it says of every order sent whether it was paid. Both Taobao pay answers
    are assumed shapes: one that names an order neither paid nor refused may hide a payment, so
    it is an unknown outcome (the orders are read before anything else), never "not paid"."""
    said = {*result.paid_order_ids, *result.failed_order_ids}
    if not set(order_ids) <= said:
        raise unreadable(operation, "which of the orders it paid")
    return result
