"""Order lines as we send them: Taobao `orderLineList` entries and 1688 cargo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TaobaoLine:
    """One line of a Taobao `/open/order` create (`orderLineList`)."""

    item_id: str
    sku_id: str
    quantity: int
    price_fen: int = 0  # the unit price we expect to pay
    line_no: str = ""
    currency: str = "CNY"

    def as_param(self, index: int) -> dict[str, str]:
        # The documented example sends every value as a string.
        return {
            "itemId": self.item_id,
            "orderLineNo": self.line_no or str(index + 1),
            "quantity": str(self.quantity),
            "price": str(self.price_fen),
            "currency": self.currency,
            "skuId": self.sku_id,
        }


@dataclass(frozen=True)
class Cargo:
    """One 1688 line (`cargoParamList`): offer, spec and quantity; the seller for batch calls."""

    offer_id: str
    spec_id: str
    quantity: int
    seller_open_id: str = ""

    def as_param(self, *, with_seller: bool = False) -> dict[str, Any]:
        # offerId is a number in every documented example; ids beyond 2**53 stay strings.
        offer: int | str = int(self.offer_id) if self.offer_id.isdigit() else self.offer_id
        param: dict[str, Any] = {
            "offerId": offer,
            "specId": self.spec_id,
            "quantity": self.quantity,
        }
        if with_seller:
            param["sellerOpenId"] = self.seller_open_id
        return param
