"""1688 order previews: what each seller's order would cost, line by line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upstream.types.base import Record, fen, id_str, yuan_to_fen
from upstream.types.orders.common import _int, _str


@dataclass(kw_only=True)
class PreviewLine(Record):
    item_id: str
    spec_id: str = ""
    sku_id: str = ""
    quantity: int = 0
    unit_price_fen: int = 0
    amount_fen: int = 0
    available: bool = True
    reason: str = ""
    promotions: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_cargo(cls, data: dict[str, Any]) -> PreviewLine:
        """A 1688 preview `cargoList[]` entry: `amount` and `finalUnitPrice` are yuan."""
        return cls(
            raw=data,
            item_id=id_str(data.get("offerId")),
            spec_id=_str(data.get("specId")),
            sku_id=id_str(data.get("skuId")),
            quantity=_int(data.get("quantity")),
            unit_price_fen=yuan_to_fen(data.get("finalUnitPrice")),
            amount_fen=yuan_to_fen(data.get("amount")),
            available=data.get("available") is not False,
            reason=_str(data.get("unavailableReason")),
            promotions=list(data.get("cargoPromotionList") or []),
        )


@dataclass(kw_only=True)
class Preview(Record):
    """What one seller's order would cost (one `orderPreviewResuslt[]` entry)."""

    seller_id: str = ""
    success: bool = True
    error_code: str = ""
    error_message: str = ""
    flow: str = ""
    lines: list[PreviewLine] = field(default_factory=list)
    goods_fen: int = 0
    freight_fen: int = 0
    discount_fen: int = 0
    total_fen: int = 0
    promotions: list[dict[str, Any]] = field(default_factory=list)
    trade_modes: list[str] = field(default_factory=list)

    @property
    def unavailable(self) -> list[PreviewLine]:
        return [line for line in self.lines if not line.available]

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> Preview:
        total = fen(data.get("sumPayment"))
        freight = fen(data.get("sumCarriage"))
        discount = fen(data.get("discountFee"))
        # sumPaymentNoCarriage is after the discount: goods = it + the discount.
        goods = fen(data.get("sumPaymentNoCarriage"), default=total - freight) + discount
        return cls(
            raw=data,
            seller_id=_str(data.get("sellerOpenId")),
            success=data.get("success") is not False,
            error_code=_str(data.get("errorCode")),
            error_message=_str(data.get("errorMsg")),
            flow=_str(data.get("flowFlag")),
            lines=[PreviewLine.from_cargo(cargo) for cargo in data.get("cargoList") or []],
            goods_fen=goods,
            freight_fen=freight,
            discount_fen=discount,
            total_fen=total,
            promotions=list(data.get("shopPromotionList") or []),
            trade_modes=[_str(mode) for mode in data.get("tradeModeNameList") or []],
        )

    @classmethod
    def list_from_alibaba(cls, data: dict[str, Any] | None) -> list[Preview]:
        """`data.orderPreviewResuslt[]` (the upstream's spelling)."""
        results = (data or {}).get("orderPreviewResuslt") or []
        return [cls.from_alibaba(result) for result in results]
