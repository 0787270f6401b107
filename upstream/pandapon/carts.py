"""PandaPon carts: the upstream's Taobao and 1688 shopping carts (per user-id).

Cart ids are strings here; the upstream types them as integers, so they travel as JSON
integers. Creating an order from a cart never deduplicates: the ordered lines leave the cart,
so repeating a create whose answer was lost is refused ("cart items not found") rather than
ordering twice; a caller who lost the answer looks its order up by `client_request_id`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from upstream.api import Api
from upstream.types.carts import Cart, taobao_previews
from upstream.types.orders import Order, OrderCreated, Preview


def _cart_ids(cart_ids: Sequence[str]) -> list[int | str]:
    """Documented as `array[integer]`; anything not numeric is passed on for the upstream to
    refuse rather than guessed at here."""
    if isinstance(cart_ids, str):
        raise TypeError("cart_ids is a sequence of ids, not one string")
    return [int(cart_id) if str(cart_id).isdigit() else str(cart_id) for cart_id in cart_ids]


def _cart_id(cart_id: str) -> int | str:
    return _cart_ids([cart_id])[0]


def _order_address(address: Mapping[str, Any]) -> dict[str, Any]:
    """Taobao `orderAddress`: the schema names the mobile `mobile_phone`, the seed example
    `mobilePhone`; both are sent."""
    address = dict(address)
    mobile = address.get("mobile_phone") or address.get("mobilePhone")
    if mobile:
        address["mobile_phone"] = address["mobilePhone"] = mobile
    return address


class TaobaoCart(Api):
    """Taobao cart: list, add, edit, delete, preview and create an order."""

    def get(self) -> Cart:
        """The whole cart: orderable lines by shop, and the lines that cannot be ordered."""
        return Cart.from_taobao(self._call("taobao_cart_list").data)

    def add(
        self,
        *,
        item_id: str,
        sku_id: str,
        mp_id: str,
        mp_sku_id: str,
        quantity: int,
        title: str = "",
        picture: str = "",
        price_fen: int | None = None,
        properties: Sequence[Mapping[str, Any]] | None = None,
        shop_id: str = "",
        shop_name: str = "",
    ) -> str:
        """Add a SKU (adding one already in the cart raises its quantity); its cart id."""
        params: dict[str, Any] = {
            "itemId": item_id,
            "skuId": sku_id,
            "mpId": mp_id,
            "mpSkuId": mp_sku_id,
            "quantity": quantity,
        }
        optional = {
            "itemTitle": title,
            "itemPic": picture,
            "price": price_fen,  # ASSUMED fen, like every Taobao amount
            "shopId": shop_id,
            "shopName": shop_name,
        }
        params.update({key: value for key, value in optional.items() if value not in (None, "")})
        if properties is not None:
            # A JSON string, as documented for /open/cart/add.
            params["properties"] = json.dumps(
                list(properties), ensure_ascii=False, separators=(",", ":")
            )
        return str(self._call("taobao_cart_add", params).data)

    def edit_quantity(self, *, cart_id: str, quantity: int) -> bool:
        """Set a line's quantity."""
        data = self._call(
            "taobao_cart_edit_quantity", {"id": _cart_id(cart_id), "quantity": quantity}
        ).data
        return bool(data)

    def delete(self, *, cart_ids: Sequence[str]) -> bool:
        """Remove lines from the cart."""
        return bool(self._call("taobao_cart_delete", {"ids": _cart_ids(cart_ids)}).data)

    def preview(self, *, cart_ids: Sequence[str], address: Mapping[str, Any]) -> list[Preview]:
        """What ordering these lines would cost, per shop, with the lines that cannot be ordered.

        `address` is an `orderAddress`: name, mobile_phone, phone, country, state, city,
        district, address, zip."""
        params = {"ids": _cart_ids(cart_ids), "orderAddress": _order_address(address)}
        return taobao_previews(self._call("taobao_cart_preview", params).data)

    def create_order(
        self, *, cart_ids: Sequence[str], address: Mapping[str, Any], client_request_id: str
    ) -> Order:
        """Order these lines (one purchase order, a sub-order per line); they leave the cart.

        Never repeat this after an unknown outcome: look the order up by `client_request_id`."""
        params = {
            "ids": _cart_ids(cart_ids),
            "orderAddress": _order_address(address),
            "clientRequestId": client_request_id,
        }
        reply = self._call("taobao_cart_create_order", params, outer_ref=client_request_id)
        order = Order.from_taobao(reply.data or {})
        # The answer is to our request, whether or not it echoes the reference.
        order.outer_ref = order.outer_ref or client_request_id
        return order


class AlibabaCart(Api):
    """1688 cart: list, add, edit, delete, preview and create an order."""

    def get(self) -> Cart:
        """The whole cart: orderable lines by seller, and the lines that cannot be ordered."""
        return Cart.from_alibaba(self._call("alibaba_cart_list").data)

    def add(self, *, offer_id: str, spec_id: str, quantity: int) -> str:
        """Add a SKU (adding one already in the cart raises its quantity); its cart id.

        The offer's minimum order quantity applies to its SKUs in the cart together."""
        params = {"offerId": offer_id, "specId": spec_id, "quantity": quantity}
        return str(self._call("alibaba_cart_add", params).data)

    def edit_quantity(self, *, cart_id: str, quantity: int) -> bool:
        """Set a line's quantity."""
        data = self._call(
            "alibaba_cart_edit_quantity", {"id": _cart_id(cart_id), "quantity": quantity}
        ).data
        return bool(data)

    def delete(self, *, cart_ids: Sequence[str]) -> bool:
        """Remove lines from the cart."""
        return bool(self._call("alibaba_cart_delete", {"ids": _cart_ids(cart_ids)}).data)

    def preview(
        self,
        *,
        cart_ids: Sequence[str],
        address: Mapping[str, Any] | None = None,
        flow: str = "",
    ) -> list[Preview]:
        """What ordering these lines would cost, one Preview per seller (an `addressParam`;
        an empty flow lets 1688 choose)."""
        params: dict[str, Any] = {"cartIds": _cart_ids(cart_ids)}
        if address:
            params["addressParam"] = dict(address)
        if flow:
            params["flow"] = flow
        return Preview.list_from_alibaba(self._call("alibaba_cart_preview", params).data)

    def create_order(
        self,
        *,
        cart_ids: Sequence[str],
        client_request_id: str,
        flow: str = "general",
        address: Mapping[str, Any] | None = None,
        message: str = "",
        trade_type: str = "",
    ) -> OrderCreated:
        """Order these lines: one order per seller, all carrying `client_request_id`; the lines
        leave the cart. Never repeat this after an unknown outcome: look the orders up."""
        params: dict[str, Any] = {
            "flow": flow,
            "cartIds": _cart_ids(cart_ids),
            "clientRequestId": client_request_id,
        }
        optional = {
            "addressParam": dict(address) if address else None,
            "message": message,
            "tradeType": trade_type,
        }
        params.update({key: value for key, value in optional.items() if value})
        reply = self._call("alibaba_cart_create_order", params, outer_ref=client_request_id)
        return OrderCreated.from_alibaba(reply.data, outer_ref=client_request_id)
