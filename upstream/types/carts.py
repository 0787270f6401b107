"""Typed upstream carts: a cart's lines grouped by seller, and the lines it cannot order.

The 1688 list is documented (`AlibabaCartV2VO`); the Taobao list and preview are our contract
(their paths are ASSUMED): see `upstream.sandbox.handlers.carts`. Previews and created orders
are the order types of `upstream.types.orders`; a preview line's cart id is `cart_id_of(line)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upstream.types.base import Record, fen, id_str
from upstream.types.orders import Preview, PreviewLine
from upstream.wire import loads_maybe

TAOBAO = "taobao"
ALIBABA = "1688"


@dataclass(kw_only=True)
class CartItem(Record):
    """One cart line. `cart_id` is what preview, create, edit and delete take."""

    cart_id: str
    platform: str  # "taobao" or "1688"
    item_id: str  # Taobao itemId (or itemMapId, when that is all the line names) or 1688 offerId
    sku_id: str
    item_map_id: str = ""  # v2 Taobao: the opaque item id the v2 cart and its orders name
    spec_id: str = ""  # 1688 only
    mp_id: str = ""  # Taobao only
    mp_sku_id: str = ""  # Taobao only
    title: str = ""
    picture: str = ""
    properties: list[dict[str, Any]] = field(default_factory=list)
    unit_price_fen: int = 0
    quantity: int = 0
    stock: int = 0
    seller_id: str = ""
    seller_name: str = ""
    available: bool = True
    reason: str = ""  # why it cannot be ordered, when it cannot

    @classmethod
    def from_taobao(cls, data: dict[str, Any], *, seller: dict[str, Any]) -> CartItem:
        reason = data.get("disableReason") or ""
        return cls(
            raw=data,
            cart_id=id_str(data.get("id")),
            platform=TAOBAO,
            # The v2 cart names its items by itemMapId (`/v2/taobao/cart/add`); the order made
            # from it names its sub-orders the same way (seed 001), so that is what links them.
            item_id=id_str(data.get("itemId") or data.get("itemMapId")),
            item_map_id=id_str(data.get("itemMapId")),
            sku_id=id_str(data.get("skuId")),
            mp_id=id_str(data.get("mpId")),
            mp_sku_id=id_str(data.get("mpSkuId")),
            title=data.get("itemTitle") or "",
            picture=data.get("itemPic") or "",
            properties=_properties(data.get("properties")),
            unit_price_fen=fen(data.get("price")),
            quantity=int(data.get("quantity") or 0),
            stock=int(data.get("skuQuantity") or 0),
            seller_id=id_str(seller.get("shopId")),
            seller_name=seller.get("shopName") or "",
            available=not reason,
            reason=reason,
        )

    @classmethod
    def from_alibaba(cls, data: dict[str, Any], *, seller: dict[str, Any]) -> CartItem:
        reason = data.get("disableReason") or ""
        return cls(
            raw=data,
            cart_id=id_str(data.get("id")),
            platform=ALIBABA,
            # offerMapId is the documented (possibly encrypted) offer id; the sandbox also sends
            # the plain offerId, which the order calls take.
            item_id=id_str(data.get("offerId") or data.get("offerMapId")),
            sku_id=id_str(data.get("skuId")),
            spec_id=data.get("specId") or "",
            title=data.get("itemTitle") or "",
            picture=data.get("itemPic") or "",
            properties=_properties(data.get("properties")),
            unit_price_fen=fen(data.get("price")),
            quantity=int(data.get("quantity") or 0),
            stock=int(data.get("amountOnSale") or 0),
            seller_id=id_str(seller.get("sellerOpenId")),
            seller_name=seller.get("sellerNickName") or "",
            available=not reason,
            reason=reason,
        )

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.quantity


@dataclass(kw_only=True)
class CartSeller(Record):
    """The orderable lines of one shop (Taobao) or seller (1688)."""

    seller_id: str
    seller_name: str
    items: list[CartItem] = field(default_factory=list)


@dataclass(kw_only=True)
class Cart(Record):
    """An account's cart on one platform: orderable lines by seller, and the rest with reasons."""

    platform: str
    sellers: list[CartSeller] = field(default_factory=list)
    disabled: list[CartItem] = field(default_factory=list)

    @property
    def items(self) -> list[CartItem]:
        """Every orderable line, seller by seller."""
        return [item for seller in self.sellers for item in seller.items]

    def find(self, cart_id: str) -> CartItem | None:
        """The line with this cart id, orderable or not."""
        for item in [*self.items, *self.disabled]:
            if item.cart_id == cart_id:
                return item
        return None

    @classmethod
    def from_taobao(cls, data: dict[str, Any] | None) -> Cart:
        return cls._parse(data or {}, TAOBAO, CartItem.from_taobao, "shopId", "shopName")

    @classmethod
    def from_alibaba(cls, data: dict[str, Any] | None) -> Cart:
        return cls._parse(
            data or {}, ALIBABA, CartItem.from_alibaba, "sellerOpenId", "sellerNickName"
        )

    @classmethod
    def _parse(cls, data: dict[str, Any], platform: str, parse, id_key: str, name_key: str):
        sellers = [
            CartSeller(
                raw=group,
                seller_id=id_str(group.get(id_key)),
                seller_name=group.get(name_key) or "",
                items=[parse(item, seller=group) for item in group.get("cartItemInfos") or []],
            )
            for group in data.get("enableList") or []
        ]
        disabled = [
            parse(item, seller=group)
            for group in data.get("disableList") or []
            for item in group.get("cartItemInfos") or []
        ]
        for item in disabled:
            # A disabled line always says why, even if the upstream forgot to.
            item.available = False
            item.reason = item.reason or "unavailable"
        return cls(raw=data, platform=platform, sellers=sellers, disabled=disabled)


def _properties(value: Any) -> list[dict[str, Any]]:
    """Cart `properties` arrive as a JSON string of `[{propName, valueName, ...}]`."""
    value = loads_maybe(value)
    return [prop for prop in value if isinstance(prop, dict)] if isinstance(value, list) else []


def cart_id_of(line: PreviewLine) -> str:
    """The cart line a preview line prices (`cartId`, which cart previews add to each line)."""
    return id_str(line.raw.get("cartId"))


def taobao_previews(data: dict[str, Any] | None) -> list[Preview]:
    """The Taobao cart preview (`shopPreviewList[]`, fen throughout), one Preview per shop."""
    previews = []
    for group in (data or {}).get("shopPreviewList") or []:
        lines = [
            PreviewLine(
                raw=item,
                item_id=id_str(item.get("itemId")),
                sku_id=id_str(item.get("skuId")),
                quantity=int(item.get("quantity") or 0),
                unit_price_fen=fen(item.get("unitPrice")),
                amount_fen=fen(item.get("purchaseAmount")),
                available=item.get("available") is not False,
                reason=item.get("unavailableReason") or "",
            )
            for item in group.get("itemList") or []
        ]
        previews.append(
            Preview(
                raw=group,
                seller_id=id_str(group.get("shopId")),
                success=group.get("success") is not False,
                error_code=id_str(group.get("errorCode")),
                error_message=group.get("errorMsg") or "",
                lines=lines,
                goods_fen=fen(group.get("productAmount")),
                freight_fen=fen(group.get("domesticPostFee")),
                discount_fen=fen(group.get("discountAmount")),
                total_fen=fen(group.get("purchaseAmount")),
                promotions=list(group.get("promotionList") or []),
            )
        )
    return previews
