"""Refund rules both platforms share: paid states, couriers, parameter checks and lookups."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from upstream.sandbox.ids import new_id
from upstream.sandbox.models import Order, OrderLine, Platform, Refund, RefundLine, RefundMessage
from upstream.sandbox.router import SandboxCall, SandboxError
from upstream.types.aftersales import RefundStatus

STATE_FORBIDS = 1005

PAID = {
    Platform.TAOBAO: {"WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"},
    Platform.ALIBABA: {"waitsellersend", "waitbuyerreceive", "waitbuyersign", "success"},
}
SHIPPED = {
    Platform.TAOBAO: {"WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"},
    Platform.ALIBABA: {"waitbuyerreceive", "waitbuyersign", "success"},
}
CLOSED_LINE = {"TRADE_CLOSED", "cancel", "CLOSED"}

# (code, name, phone): the domestic couriers a return may travel with (both platforms).
COURIERS = [
    ("SF", "顺丰速运", "95338"),
    ("ZTO", "中通快递", "95311"),
    ("YTO", "圆通速递", "95554"),
    ("STO", "申通快递", "95543"),
    ("YUNDA", "韵达快递", "95546"),
    ("EMS", "中国邮政EMS", "11183"),
    ("JD", "京东物流", "950616"),
    ("JTSD", "极兔速递", "956025"),
    ("DBKD", "德邦快递", "95353"),
]
COURIER_NAMES = {code: name for code, name, _ in COURIERS}
MAIL_NO = re.compile(r"^[A-Za-z0-9]{8,30}$")


def _time(value: Any) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _int_param(call: SandboxCall, name: str, *, default: int | None = None) -> int:
    value = call.param(name)
    if value in (None, ""):
        if default is not None:
            return default
        raise SandboxError(400, f"missing required field: {name}")
    if isinstance(value, bool):
        raise SandboxError(400, f"{name} must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, f"{name} must be an integer, not {value!r}") from exc


def _list_param(call: SandboxCall, name: str, *, limit: int) -> list:
    value = call.json_param(name) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SandboxError(400, f"{name} must be a list")
    if len(value) > limit:
        raise SandboxError(400, f"{name} takes at most {limit} entries")
    return value


def _choice(name: str, value: Any, allowed: list) -> None:
    if value not in allowed:
        shown = ", ".join(str(item) for item in allowed)
        raise SandboxError(400, f"{name} {value} is not allowed here; allowed: {shown}")


def _require_paid(order: Order) -> None:
    if order.status not in PAID[order.platform]:
        raise SandboxError(
            STATE_FORBIDS,
            f"order {order.order_id} is {order.status}: only a paid order can be refunded",
        )


def _require_line_open(line: OrderLine) -> None:
    if line.status in CLOSED_LINE:
        raise SandboxError(STATE_FORBIDS, f"sub-order {line.sub_order_id} is {line.status}")


def _refundable_fen(lines: list[tuple[OrderLine, int]]) -> int:
    """What was paid for these counts of lines, less refunds already paid out on them."""
    paid = sum(line.amount_fen * count // max(1, line.quantity) for line, count in lines)
    refunded = (
        Refund.objects.filter(lines__in=[line for line, _ in lines], status=RefundStatus.SUCCESS)
        .distinct()
        .aggregate(total=Sum("agreed_fen"))["total"]
    )
    return max(0, paid - (refunded or 0))


def _check_amount(name: str, amount: int, maximum: int) -> None:
    if amount > maximum:
        raise SandboxError(
            400,
            f"{name} {amount} exceeds the maximum refundable {maximum} fen (¥{maximum / 100:.2f})",
        )


def _refund(call: SandboxCall, platform: str, *, lock: bool = True) -> Refund:
    refund_id = str(call.param("refundId", ""))
    rows = Refund.objects.select_related("order", "order__shop")
    if lock:
        rows = rows.select_for_update(of=("self",))
    refund = rows.filter(refund_id=refund_id, user_id=call.user_id, platform=platform).first()
    if refund is None:
        raise SandboxError(404, f"no refund {refund_id}")
    return refund


def _opened(refund: Refund, lines: list[tuple[OrderLine, int]], call: SandboxCall) -> None:
    """A new refund: its lines, a system note, the lines' refund status and the callback."""
    RefundLine.objects.bulk_create(
        [RefundLine(refund=refund, line=line, count=count) for line, count in lines]
    )
    _note(
        refund,
        RefundMessage.Sender.SYSTEM,
        f"买家发起了退款申请，金额 ¥{refund.apply_fen / 100:.2f}",
    )
    OrderLine.objects.filter(pk__in=[line.pk for line, _ in lines]).update(
        refund_status=refund.line_refund_status()
    )
    refund.emit(action="BUYER_APPLY_REFUND", operator="buyer")
    call.ledger_ids.append(refund.refund_id)


def _note(refund: Refund, sender: str, text: str, pictures: list | None = None) -> RefundMessage:
    return RefundMessage.objects.create(
        refund=refund, message_id=new_id(), sender=sender, text=text, pictures=pictures or []
    )


def _seller_address(order: Order) -> dict[str, str]:
    shop = order.shop
    return {
        "name": f"{shop.name}售后部" if shop else "售后部",
        "phone": f"0571-8{order.order_id[-7:]}",
        "mobilePhone": f"138{order.order_id[-8:]}",
        "province": (shop.province if shop else "") or "浙江省",
        "city": (shop.city if shop else "") or "杭州市",
        "district": "余杭区",
        "address": "仓前街道文一西路 998 号 退货仓",
        "zip": "311121",
    }


def _return_shipment(
    refund: Refund, company: str, mail_no: str, field_names: tuple[str, str]
) -> None:
    if refund.status != RefundStatus.WAIT_BUYER_SEND:
        raise SandboxError(
            STATE_FORBIDS,
            f"refund {refund.refund_id} is {refund.status}: the seller has not agreed a return",
        )
    if company not in COURIER_NAMES:
        raise SandboxError(400, f"{field_names[0]} {company!r} is not a known logistics company")
    if not MAIL_NO.match(mail_no):
        raise SandboxError(400, f"{field_names[1]} must be 8-30 letters or digits")
    refund.return_company_code, refund.return_company_name = company, COURIER_NAMES[company]
    refund.return_mail_no = mail_no
