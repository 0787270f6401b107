"""Every upstream operation in one table: provider, HTTP method, path, kind and required fields.

The client's methods and the sandbox's handlers both look operations up here, so a path fixed
against the real API is a one-line change. Paths marked ASSUMED are our contract where the docs
are silent (`shared/upstream-api.md`, section 6.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

PANDAPON = "pandapon"
DAJISAAS = "dajisaas"


class Kind(StrEnum):
    READ = "read"  # safe to repeat: the transport retries it on retryable errors
    WRITE = "write"  # changes state, not money: never retried by the transport
    CREATE = "create"  # creates an order or case upstream: never retried; look up by outer ref
    PAY = "pay"  # moves money: never retried; resolve uncertain outcomes by reading the order


@dataclass(frozen=True)
class Operation:
    name: str
    provider: str
    method: str
    path: str  # may hold {placeholders} filled from the parameters of the same name
    kind: Kind = Kind.READ
    required: tuple[str, ...] = ()
    # Any one of these groups must be present, e.g. (("imageBase64", "imageUrl"),)
    one_of: tuple[tuple[str, ...], ...] = ()
    outer_ref_field: str = ""  # the field that carries our idempotency reference, if any
    multipart: bool = False  # sent as multipart/form-data (file uploads)
    form: bool = False  # sent as application/x-www-form-urlencoded
    signed_query: bool = False  # PandaPon warehouse logistics: timestamp and sign in the query
    assumed: bool = False  # path not in the docs; our contract (section 6.3)
    path_params: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "path_params", tuple(re.findall(r"{(\w+)}", self.path)))

    @property
    def retryable(self) -> bool:
        return self.kind is Kind.READ


def _pp(name: str, method: str, path: str, **kwargs) -> Operation:
    return Operation(name, PANDAPON, method, path, **kwargs)


def _dj(name: str, method: str, path: str, **kwargs) -> Operation:
    return Operation(name, DAJISAAS, method, path, **kwargs)


GET, POST = "GET", "POST"
R, W, C, P = Kind.READ, Kind.WRITE, Kind.CREATE, Kind.PAY
IMAGE = (("imageBase64", "imageUrl"),)

OPERATIONS: tuple[Operation, ...] = (
    # --- PandaPon: Taobao goods -------------------------------------------------------------
    _pp("taobao_product_search", POST, "/open/product/search", one_of=(("keyword", "shopId"),), assumed=True),
    _pp("taobao_product_image_search", POST, "/open/product/image/search", one_of=IMAGE, assumed=True),
    _pp("taobao_product_batch_check", POST, "/open/product/batch/check", required=("params",)),
    _pp("taobao_product_get", GET, "/open/product/get", required=("itemId",)),
    _pp("taobao_product_source_get", POST, "/open/product/source/get", required=("itemId",)),
    # --- PandaPon: Taobao orders ------------------------------------------------------------
    _pp("taobao_order_create", POST, "/open/order", kind=C, required=("orderLineList", "receiver", "sellerOrderNumber"), outer_ref_field="sellerOrderNumber"),
    _pp("taobao_order_page", GET, "/open/order/page", assumed=True),
    _pp("taobao_order_voucher_upload", POST, "/open/order/voucher/upload", kind=W, required=("orderId",), multipart=True, assumed=True),
    _pp("taobao_order_cancel", POST, "/open/order/cancel", kind=W, required=("orderId",), assumed=True),
    _pp("taobao_order_update_warehouse", POST, "/open/order/updateWarehouse", kind=W, required=("orderId", "warehouseAddress", "warehouseName")),
    _pp("taobao_order_pay", POST, "/open/order/pay", kind=P, required=("orderId",), assumed=True),
    _pp("taobao_order_im_link", POST, "/open/order/page/link/get", required=("pageName", "pageParamMap")),
    _pp("taobao_order_get", GET, "/open/order/get", required=("orderId",), assumed=True),
    _pp("taobao_order_logistics", GET, "/v2/taobao/order/logistics/detail/get", required=("subPurchaseOrderId",)),
    # --- PandaPon: Taobao after-sales (reverse orders) --------------------------------------
    _pp("taobao_refund_page", POST, "/v2/taobao/order/refund/page", assumed=True),
    _pp("taobao_refund_render", POST, "/v2/taobao/order/refund/render", required=("subOrderId", "refundType", "goodsStatus")),
    _pp("taobao_refund_logistics_render", GET, "/v2/taobao/order/refund/logistics/render", required=("refundId",), assumed=True),
    _pp("taobao_refund_logistics_submit", POST, "/v2/taobao/order/refund/logistics/submit", kind=W, required=("refundId", "logisticsCompanyCode", "mailNo"), assumed=True),
    _pp("taobao_refund_cancel", GET, "/v2/taobao/order/refund/cancel/{refundId}", kind=W),
    _pp("taobao_refund_message_submit", POST, "/open/order/refund/submit/message", kind=W, required=("refundId", "refundMessage")),
    _pp("taobao_refund_submit", POST, "/v2/taobao/order/refund/submit", kind=C, required=("subOrderId", "refundType", "goodsStatus", "reasonId", "refundFee", "outerRefundId"), outer_ref_field="outerRefundId", assumed=True),
    _pp("taobao_refund_message_list", POST, "/v2/taobao/order/refund/message/list", required=("refundId",), assumed=True),
    _pp("taobao_refund_modify", POST, "/v2/taobao/order/refund/modify", kind=W, required=("refundId",), assumed=True),
    _pp("taobao_refund_query", GET, "/v2/taobao/order/refund/query", required=("refundId",)),
    # --- PandaPon: Taobao cart --------------------------------------------------------------
    _pp("taobao_cart_create_order", POST, "/v2/taobao/cart/create/order", kind=C, required=("ids", "orderAddress", "clientRequestId"), outer_ref_field="clientRequestId"),
    _pp("taobao_cart_preview", POST, "/v2/taobao/cart/preview/order", required=("ids", "orderAddress"), assumed=True),
    _pp("taobao_cart_list", GET, "/v2/taobao/cart/list", assumed=True),
    _pp("taobao_cart_delete", POST, "/v2/taobao/cart/delete", kind=W, required=("ids",), assumed=True),
    _pp("taobao_cart_add", POST, "/open/cart/add", kind=W, required=("itemId", "skuId", "mpId", "mpSkuId", "quantity")),
    _pp("taobao_cart_edit_quantity", POST, "/v2/taobao/cart/edit-quantity", kind=W, required=("id", "quantity"), assumed=True),
    # --- PandaPon: 1688 goods ---------------------------------------------------------------
    _pp("alibaba_product_detail", POST, "/alibaba/product/detail", required=("offerId",), assumed=True),
    _pp("alibaba_wangwang_url_decrypt", POST, "/alibaba/wangwang/url/decrypt", required=("url",), assumed=True),
    _pp("alibaba_product_keyword_query", POST, "/alibaba/product/keywords/query", required=("keyword",)),
    _pp("alibaba_product_image_query", POST, "/alibaba/product/image/query", one_of=IMAGE, assumed=True),
    _pp("alibaba_product_seller_offers", POST, "/alibaba/product/query/selleroffer", required=("sellerOpenId",)),
    _pp("alibaba_category_get", POST, "/alibaba/category/get", required=("categoryId",), assumed=True),
    _pp("alibaba_product_recommend", POST, "/alibaba/product/recommend/query", assumed=True),
    _pp("alibaba_product_related", POST, "/v2/alibaba/product/productRelatedRecommendQuery", required=("offerId",)),
    # --- PandaPon: 1688 orders --------------------------------------------------------------
    _pp("alibaba_order_batch_submit_to_pay", POST, "/alibaba/order/batch/submit/to/pay", kind=P, required=("orderIds",)),
    _pp("alibaba_order_batch_preview", POST, "/alibaba/order/batch/create/preview", required=("addressParam", "cargoParamList"), assumed=True),
    _pp("alibaba_order_batch_create", POST, "/alibaba/order/batch/create", kind=C, required=("flow", "addressParam", "cargoParamList", "outOrderId"), outer_ref_field="outOrderId"),
    _pp("alibaba_order_logistics_trace", GET, "/alibaba/order/logistics/trace", required=("orderId",), assumed=True),
    _pp("alibaba_order_page", POST, "/v2/alibaba/order/page"),
    _pp("alibaba_order_preview", POST, "/alibaba/order/create/preview", required=("addressParam", "cargoParamList")),
    _pp("alibaba_order_create", POST, "/alibaba/order/create", kind=C, required=("flow", "addressParam", "cargoParamList", "outOrderId"), outer_ref_field="outOrderId"),
    _pp("alibaba_order_detail", POST, "/alibaba/order/detail", required=("orderId",)),
    _pp("alibaba_order_cancel", POST, "/alibaba/order/cancel", kind=W, required=("orderId", "cancelReason")),
    _pp("alibaba_order_pay_url", GET, "/alibaba/order/pay/url", kind=P, required=("orderId",)),
    _pp("alibaba_order_receive_goods", POST, "/alibaba/order/receivegoods", kind=W, required=("orderId",)),
    # --- PandaPon: 1688 after-sales ---------------------------------------------------------
    _pp("alibaba_refund_detail", POST, "/alibaba/refund/detail", required=("refundId",), assumed=True),
    _pp("alibaba_refund_reasons", POST, "/alibaba/refund/reasons", required=("orderId", "goodsStatus"), assumed=True),
    _pp("alibaba_refund_voucher_upload", POST, "/alibaba/refund/voucher/upload", kind=W, multipart=True, assumed=True),
    _pp("alibaba_refund_create", POST, "/alibaba/refund/detail/create", kind=C, required=("orderId", "disputeRequest", "applyPayment", "applyCarriage", "applyReasonId", "description", "goodsStatus", "outerRefundId"), outer_ref_field="outerRefundId"),
    _pp("alibaba_refund_return_goods", POST, "/alibaba/refund/goods/return", kind=W, required=("refundId", "logisticsCompanyNo", "freightBill")),
    _pp("alibaba_logistics_companies", GET, "/alibaba/logistics/companies", assumed=True),
    # --- PandaPon: 1688 cart ----------------------------------------------------------------
    _pp("alibaba_cart_create_order", POST, "/alibaba/cart/create/order", kind=C, required=("flow", "cartIds", "clientRequestId"), outer_ref_field="clientRequestId"),
    _pp("alibaba_cart_delete", POST, "/alibaba/cart/delete", kind=W, required=("ids",), assumed=True),
    _pp("alibaba_cart_preview", POST, "/alibaba/cart/preview/order", required=("cartIds",)),
    _pp("alibaba_cart_edit_quantity", POST, "/alibaba/cart/edit-quantity", kind=W, required=("id", "quantity")),
    _pp("alibaba_cart_add", POST, "/alibaba/cart/add", kind=W, required=("offerId", "specId", "quantity"), assumed=True),
    _pp("alibaba_cart_list", GET, "/v2/alibaba/cart/list"),
    # --- PandaPon: 1688 marketing -----------------------------------------------------------
    _pp("alibaba_marketing_global_strict", POST, "/alibaba/marketing/global/strict/query", assumed=True),
    _pp("alibaba_marketing_strict", POST, "/alibaba/marketing/strict/query", assumed=True),
    _pp("alibaba_marketing_hot", POST, "/alibaba/marketing/hot/query", assumed=True),
    # --- PandaPon: foundations --------------------------------------------------------------
    _pp("address_get", POST, "/open/address/get", assumed=True),
    _pp("address_add_or_update", POST, "/open/address/addOrUpdate", kind=W, required=("name", "province", "city", "address", "phone")),
    # --- PandaPon: warehouse logistics ------------------------------------------------------
    _pp("logistics_item_price", POST, "/v2/open/pp/logistics/itemLogisticsPrice", required=("itemId", "receiverAddress", "quantity"), signed_query=True),
    _pp("logistics_order_render_freight", POST, "/open/pp/logistics/orderRenderFreight", required=("receiverAddress", "renderItems"), signed_query=True),
    _pp("logistics_update_domestic", POST, "/open/pp/logistics/updateLogisticInfo", kind=W, required=("orderId", "logisticInfos"), signed_query=True),
    _pp("logistics_order_booking", POST, "/open/pp/logistics/orderBookingFreight", kind=C, required=("renderId", "receiverAddress", "lineItems", "clientRequestId"), outer_ref_field="clientRequestId", signed_query=True),
    _pp("logistics_booking_query", GET, "/open/pp/logistics/orderBookingQuery", one_of=(("bookingId", "clientRequestId"),), signed_query=True, assumed=True),
    _pp("logistics_booking_track", GET, "/open/pp/logistics/orderBookingTrack", required=("bookingId",), signed_query=True, assumed=True),
    # --- Dajisaas: 1688 ---------------------------------------------------------------------
    _dj("dj_product_keyword_query", GET, "/alibaba/product/keywordQuery", required=("keyword",)),
    _dj("dj_upload_image", POST, "/alibaba/upload/image", kind=W, required=("image_base64",), form=True),
    _dj("dj_product_image_query", GET, "/alibaba/product/imageQuery", one_of=(("imageId", "imageAddress"),)),
    _dj("dj_product_detail", GET, "/alibaba/product/queryProductDetail", required=("offerId",)),
    _dj("dj_order_preview", POST, "/alibaba/createOrder/preview", required=("addressParam", "cargoParamList")),
    _dj("dj_create_cross_order", POST, "/alibaba/trade/createCrossOrder", kind=C, required=("thirdOrderId", "flow", "addressParam", "cargoParamList"), outer_ref_field="thirdOrderId"),
    _dj("dj_order_cancel", POST, "/alibaba/trade/cancel", kind=W, required=("orderId", "cancelReason")),
    _dj("dj_order_get", POST, "/alibaba/trade/get/buyerView", required=("orderId",)),
    _dj("dj_order_receive_goods", POST, "/alibaba/trade/receiveGoods/confirm", kind=W, required=("orderId",)),
    _dj("dj_order_list", POST, "/alibaba/trade/getBuyerOrderList", assumed=True),
    _dj("dj_alipay_url", GET, "/alibaba/alipay/url/get", required=("orderIdList",)),
    _dj("dj_protocol_pay", POST, "/alibaba/trade/pay/protocolPay/preparePay", kind=P, required=("orderId",)),
    # --- Dajisaas: Taobao -------------------------------------------------------------------
    _dj("dj_taobao_product_get", GET, "/taobao/product/get", required=("item_id",)),
    _dj("dj_taobao_order_cancel", POST, "/taobao/purchase/order/asyn/cancel", kind=W, required=("purchase_id",)),
    _dj("dj_taobao_order_batch_pay", POST, "/taobao/purchase/order/batch/pay", kind=P, required=("purchaseOrderIdList",)),
)  # fmt: skip

BY_NAME: dict[str, Operation] = {op.name: op for op in OPERATIONS}


def operation(name: str) -> Operation:
    """The operation called `name`; KeyError names it when it does not exist."""
    return BY_NAME[name]


def resolve(provider: str, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The operation served at `method path` for a provider, with its path parameters."""
    for op in OPERATIONS:
        if op.provider != provider or op.method != method:
            continue
        if not op.path_params:
            if op.path == path:
                return op, {}
            continue
        pattern = "^" + re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", op.path) + "$"
        match = re.match(pattern, path)
        if match:
            return op, match.groupdict()
    return None
