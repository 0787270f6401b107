"""Sandbox handlers of PandaPon Taobao orders (`/open/order...`)."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.utils import timezone

from upstream.sandbox import orders as svc
from upstream.sandbox import pricing
from upstream.sandbox import statuses as st
from upstream.sandbox.handlers.orders.common import (
    TAOBAO,
    _dict_param,
    _int_param,
    _lines,
    _list_param,
    _order,
    _orders,
    _page,
    _pay_each,
    _taobao_items,
    _v2_page,
)
from upstream.sandbox.handlers.orders.payloads import taobao_order
from upstream.sandbox.models.orders import Order, OrderLine
from upstream.sandbox.router import SandboxCall, SandboxError, handles

VOUCHER_TYPES = ("image/", "application/pdf")
VOUCHER_MAX_BYTES = 5 * 1024 * 1024


@handles("taobao_order_create")
def taobao_order_create(call: SandboxCall) -> dict:
    """POST /open/order. Refuses 1002 when the order costs more than `purchaseAmount` (fen)."""
    items = _taobao_items(call)
    receiver = _dict_param(call, "receiver")
    budget = call.param("purchaseAmount")
    previews = pricing.preview(platform=TAOBAO, items=items)
    total = sum(seller.total_fen for seller in previews)
    ready = all(seller.available for seller in previews)
    if ready and budget not in (None, "") and total > _int_param(call, "purchaseAmount", 0):
        raise SandboxError(1002, f"price changed: the order costs {total} fen, over {budget} fen")
    orders = svc.create_orders(
        call=call,
        platform=TAOBAO,
        items=items,
        address=receiver,
        outer_ref=call.reference,
        split_by_seller=False,
    )
    return taobao_order(orders[0])


@handles("taobao_order_page")
def taobao_order_page(call: SandboxCall) -> dict:
    """GET /open/order/page (ASSUMED): pageNo, pageSize, status, sellerOrderNumber -> v2 page
    `{totalRecords, totalPage, pageSize, currentPage, data[order]}`, newest first."""
    orders = _orders(call, TAOBAO)
    if call.param("status"):
        orders = orders.filter(status=call.param("status"))
    if call.param("sellerOrderNumber"):
        orders = orders.filter(outer_ref=call.param("sellerOrderNumber"), ref_ignored=False)
    page_no, page_size = _int_param(call, "pageNo", 1), _int_param(call, "pageSize", 20)
    found, total = _page(orders, page_no, page_size)
    return _v2_page([taobao_order(order) for order in found], total, page_no, page_size)


@handles("taobao_order_voucher_upload")
def taobao_order_voucher_upload(call: SandboxCall) -> dict:
    """POST /open/order/voucher/upload (ASSUMED; multipart orderId, file: an image or a PDF up
    to 5 MB) -> `{orderId, voucherUrl, fileName, contentType, size}`."""
    order = _order(call, TAOBAO, call.param("orderId"))
    upload = call.files.get("file") or next(iter(call.files.values()), None)
    if upload is None:
        raise SandboxError(400, "missing required field: file")
    content_type = upload.content_type or ""
    if not content_type.startswith(VOUCHER_TYPES):
        raise SandboxError(400, f"a voucher must be an image or a PDF, not {content_type}")
    if upload.size > VOUCHER_MAX_BYTES:
        raise SandboxError(400, "a voucher may be at most 5 MB")
    number = len(order.vouchers) + 1
    url = call.request.build_absolute_uri(f"/sandbox/pandapon/vouchers/{order.order_id}/{number}")
    order.vouchers = [
        *order.vouchers,
        {
            "name": upload.name,
            "contentType": content_type,
            "size": upload.size,
            "url": url,
            "uploadedAt": svc.china_time(timezone.now()),
        },
    ]
    order.save(update_fields=["vouchers", "updated_at"])
    return {
        "orderId": order.order_id,
        "voucherUrl": url,
        "fileName": upload.name,
        "contentType": content_type,
        "size": upload.size,
    }


@handles("taobao_order_cancel")
def taobao_order_cancel(call: SandboxCall) -> bool:
    """POST /open/order/cancel (ASSUMED; orderId, cancelReason) -> true; 1005 once paid."""
    order = _order(call, TAOBAO, call.param("orderId"))
    svc.cancel(order, reason=str(call.param("cancelReason", "") or "buyerCancel"))
    return True


@handles("taobao_order_update_warehouse")
def taobao_order_update_warehouse(call: SandboxCall) -> bool:
    """POST /open/order/updateWarehouse -> true; 1005 once shipped or closed."""
    order = _order(call, TAOBAO, call.param("orderId"))
    if st.is_shipped(TAOBAO, order.status) or st.is_closed(TAOBAO, order.status):
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: too late to reroute")
    order.warehouse_name = str(call.param("warehouseName"))[:100]
    order.warehouse_address = str(call.param("warehouseAddress"))[:300]
    order.save(update_fields=["warehouse_name", "warehouse_address", "updated_at"])
    return True


@handles("taobao_order_pay")
def taobao_order_pay(call: SandboxCall) -> dict:
    """POST /open/order/pay (ASSUMED; orderId) -> `{orderId, payNo, payAmount (fen string),
    status, payTime}`. Paying again charges again (no dedupe); 1005 when not payable."""
    payment = svc.pay(call=call, order=_order(call, TAOBAO, call.param("orderId")))
    order = payment.order
    return {
        "orderId": order.order_id,
        "payNo": payment.pay_id,
        "payAmount": str(payment.amount_fen),
        "status": order.status,
        "payTime": svc.china_time(payment.created_at),
    }


@handles("taobao_order_batch_pay")
def taobao_order_batch_pay(call: SandboxCall) -> dict:
    """POST /open/order/batch/pay (ASSUMED; orderIds[]) -> Taobao Global's batch answer, as
    Dajisaas documents it: `{paySuccessPurchaseOrderIds[], payFailurePurchaseOrderList[
    {purchaseOrderId, errorCode, errorMsg}], payAmount (fen)}`; 1005 when none was paid. No
    limit on the ids is enforced: none is documented (Caigou sends CAIGOU_BATCH_PAY_MAX)."""
    order_ids = [str(order_id) for order_id in _list_param(call, "orderIds")]
    if not order_ids:
        raise SandboxError(400, "orderIds names no order")
    answer = _pay_each(call, TAOBAO, order_ids)
    if not answer["paySuccessPurchaseOrderIds"]:
        raise SandboxError(1005, f"none of the orders could be paid: {', '.join(order_ids)}")
    return answer


@handles("taobao_order_im_link")
def taobao_order_im_link(call: SandboxCall) -> str:
    """POST /open/order/page/link/get -> a distributor.taobao.global IM URL (a string). An
    `order` source must name one of the caller's orders."""
    page_params = _dict_param(call, "pageParamMap")
    source, biz_id = str(page_params.get("sourceType", "")), str(page_params.get("bizId", ""))
    if source == "order":
        _order(call, TAOBAO, biz_id)
    seed = f"{call.user_id}:{call.param('pageName')}:{source}:{biz_id}"
    token = hashlib.sha256(seed.encode()).hexdigest()[:32]
    query = urlencode(
        {
            "loginToken": token,
            "pageName": call.param("pageName"),
            "sourceType": source,
            "bizId": biz_id,
        }
    )
    return f"https://distributor.taobao.global/apps/open/imchat?{query}"


@handles("taobao_order_get")
def taobao_order_get(call: SandboxCall) -> dict:
    """GET /open/order/get?orderId= (ASSUMED) -> the order, as create answers it."""
    return taobao_order(_order(call, TAOBAO, call.param("orderId")))


@handles("taobao_order_logistics")
def taobao_order_logistics(call: SandboxCall) -> dict:
    """GET /v2/taobao/order/logistics/detail/get?subPurchaseOrderId= (our subOrderId or the
    taobaoSubPurchaseId) -> `{purchaseOrderOuterId, pnmLogisticsDetails[]}`, one per parcel."""
    ref = str(call.param("subPurchaseOrderId"))
    lines = OrderLine.objects.filter(
        order__user_id=call.user_id, order__provider=call.provider, order__platform=TAOBAO
    ).select_related("order", "product__shop")
    line = lines.filter(sub_order_id=ref).first()
    if line is None and ref.startswith("2000") and len(ref) == 12:
        line = lines.filter(sub_order_id__endswith=ref[4:]).first()
    if line is None:
        raise SandboxError(404, f"sub-order {ref} does not exist")
    order = line.order
    details = []
    if line.tracking_no:
        details.append(_pnm_detail(order, line))
    # Our reference where the upstream kept it (our contract), else its own purchase id.
    outer_id = order.echoed_ref or order.order_id
    return {"purchaseOrderOuterId": outer_id, "pnmLogisticsDetails": details}


def _pnm_detail(order: Order, line: OrderLine) -> dict:
    address = order.address
    parcel = [other for other in _lines(order) if other.tracking_no == line.tracking_no]
    return {
        "mailNo": line.tracking_no,
        "logisticsTraces": [
            {
                "statusDesc": event["description"],
                "standerdDesc": event["description"],
                "province": "",
                "city": event["city"],
                "district": "",
                "action": event["status"],
                "facilityName": "",
                "time": svc.china_time(event["time"]),
                "status": event["status"],
                "nextCity": "",
                "nextNodeName": "",
            }
            for event in reversed(svc.trace_events(order))  # newest first, as carriers list
        ],
        "logisticsPartner": [
            {
                "company": line.logistics_company,
                "companyCode": svc.CARRIER_CODES.get(line.logistics_company, ""),
                "companyImageUrl": "",
                "companyContact": "95554",
            }
        ],
        "receiver": {
            "name": order.warehouse_name or address.get("name", ""),
            "phone": address.get("mobile_phone") or address.get("phone", ""),
            "zipCode": address.get("zip", ""),
            "province": address.get("state", ""),
            "city": address.get("city", ""),
            "district": address.get("district", ""),
            "address": order.warehouse_address or address.get("address", ""),
        },
        "logisticsGoods": [
            {
                "title": other.product.title,
                "quantity": other.quantity,
                "imageUrl": "",
                "property": " ".join(
                    p.get("valueName", "") for p in (other.sku.properties if other.sku else [])
                ),
            }
            for other in parcel
        ],
    }
