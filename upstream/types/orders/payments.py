"""Pay results: which orders a pay call paid and where a person pays the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upstream.types.base import Record, fen, id_str
from upstream.types.orders.common import _str


@dataclass(kw_only=True)
class PayResult(Record):
    """Which orders a pay call paid, which it could not, and where a person pays the rest."""

    paid_order_ids: list[str] = field(default_factory=list)
    failed_order_ids: list[str] = field(default_factory=list)
    pay_url: str = ""
    pay_ids: list[str] = field(default_factory=list)
    amount_fen: int = 0

    @property
    def paid(self) -> bool:
        return bool(self.paid_order_ids) and not self.failed_order_ids

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> PayResult:
        return cls(
            raw=data,
            paid_order_ids=[id_str(data.get("orderId"))],
            pay_ids=[id_str(data.get("payNo"))] if data.get("payNo") else [],
            amount_fen=fen(data.get("payAmount")),
        )

    @classmethod
    def from_taobao_batch(cls, data: dict[str, Any]) -> PayResult:
        """Taobao Global's batch pay, as Dajisaas documents it and PandaPon is assumed to
        answer: `{paySuccessPurchaseOrderIds[], payFailurePurchaseOrderList[{purchaseOrderId,
        errorCode, errorMsg}], payAmount (fen)}`. An order in neither list is not called paid:
        the pay service reads it before anything else."""
        data = data if isinstance(data, dict) else {}
        failed = data.get("payFailurePurchaseOrderList") or []
        return cls(
            raw=data,
            paid_order_ids=[id_str(i) for i in data.get("paySuccessPurchaseOrderIds") or []],
            failed_order_ids=[
                id_str(item.get("purchaseOrderId")) for item in failed if isinstance(item, dict)
            ],
            amount_fen=fen(data.get("payAmount")),
        )

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> PayResult:
        """`/alibaba/order/pay/url` and batch submit-to-pay: `{orderId | orderIds,
        protocolPaySuccess, payUrl, cantPayOrderList}`."""
        cant = [id_str(item) for item in data.get("cantPayOrderList") or []]
        ids = [id_str(i) for i in data.get("orderIds") or []] or (
            [id_str(data.get("orderId"))] if data.get("orderId") else []
        )
        paid = [i for i in ids if i not in cant] if data.get("protocolPaySuccess") else []
        return cls(
            raw=data,
            paid_order_ids=paid,
            failed_order_ids=cant,
            pay_url=_str(data.get("payUrl")),
            pay_ids=[id_str(i) for i in data.get("payIds") or []],
            amount_fen=fen(data.get("payAmount")),
        )
