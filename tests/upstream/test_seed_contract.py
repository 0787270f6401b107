"""The seed pages' order examples against the sandbox and the client.

For each seed page of an order operation (shared/seeds/000, 002, 003; 001 is the cart's): its
request example, with ids adapted to the seeded catalogue and every field and JSON type kept, is
signed by the transport and accepted by the sandbox; the answer's `data` has every field of the
seed's response example with the same JSON type (null in the example: any type); and the client
parses the seed's response example itself (amounts in fen, ids as strings).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.upstream.factories import pick
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Order, Platform
from upstream.types.orders import Order as OrderResult
from upstream.types.orders import OrderCreated

TAOBAO, ALIBABA = Platform.TAOBAO.value, Platform.ALIBABA.value

# -- 000: POST /alibaba/order/batch/create (PandaPon, 1688 across merchants) -------------------
SEED_000_REQUEST = {
    "flow": "string",
    "message": "string",
    "shopPromotionId": "string",
    "tradeType": "string",
    "addressParam": {
        "fullName": "string",
        "mobile": "string",
        "phone": "string",
        "postCode": "string",
        "cityText": "string",
        "provinceText": "string",
        "areaText": "string",
        "townText": "string",
        "address": "string",
    },
    "cargoParamList": [
        {
            "offerId": 0,
            "specId": "string",
            "quantity": 0,
            "sellerOpenId": "string",
        }
    ],
}
SEED_000_RESPONSE = {"requestId": "", "code": 0, "developId": 0, "msg": "", "data": {}}

# -- 002: POST /open/order (PandaPon, Taobao) ---------------------------------------------------
SEED_002_REQUEST = {
    "purchaseAmount": 400,
    "receiver": '{"zip":"11111","country":"中国","address":"测试地址","city":"杭州市","phone":"",'
    '"mobile_phone":"15068763421","district":"余杭区","name":"a测试aa","state":"浙江省"}',
    "orderLineList": '[{"itemId":"600126245031041190","orderLineNo":"1","quantity":"200",'
    '"price":"1","currency":"CNY","skuId":"5016042822039"},{"itemId":"600129202197070073",'
    '"orderLineNo":"1","quantity":"200","price":"1","currency":"CNY","skuId":"4860968496626"}]',
    "orderSource": "lazada",
    "sellerOrderNumber": "1",
}
SEED_002_RESPONSE = {
    "requestId": "1b69692da4b34920bcd594048c8bdcfc",
    "code": 200,
    "developId": "1028257583384757029",
    "msg": "成功",
    "data": {
        "id": "1031992847890383164",
        "orderNo": "1031992847781331418",
        "subOrderVOS": [
            {
                "subOrderId": "1031992851828834889",
                "orderNo": "1031992847781331418",
                "quantity": 1,
                "title": None,
                "purchaseCurrency": None,
                "purchaseAmount": None,
                "itemId": "600086815456800431",
                "domesticPostFee": None,
                "closeReason": None,
                "skuId": "4766078803304",
                "status": None,
                "taobaoPurchaseId": "200027842447",
                "taobaoSubPurchaseId": "200027842448",
                "errorCode": None,
                "errorMessage": None,
            }
        ],
        "createTime": "2023-10-18 18:11:08",
    },
}

# -- 003: POST /alibaba/trade/createCrossOrder (Dajisaas) ---------------------------------------
SEED_003_REQUEST = {
    "appKey": "",
    "appSecret": "",
    "thirdOrderId": "T20240708002",
    "flow": "general",
    "message": "备注信息测试",
    "isvBizType": "cross",
    "addressParam": {
        "provinceText": "浙江省",
        "cityText": "杭州市",
        "areaText": "滨江区",
        "townText": "长河镇",
        "address": "网商路699号",
        "postCode": "000000",
        "fullName": "张三",
        "mobile": "18888888888",
        "phone": "18888888888",
        "districtCode": "310107",
    },
    "cargoParamList": [
        {
            "offerId": 623686863670,
            "specId": "53a1eff0fa008b2b9f32a120b0a050f2",
            "quantity": 5,
        }
    ],
}
SEED_003_RESPONSE = {
    "code": 200,
    "message": "操作成功",
    "data": {
        "totalSuccessAmount": 1196,
        "orderId": "2257164624870311973",
        "success": True,
        "code": None,
        "message": None,
        "accountPeriod": None,
        "failedOfferList": None,
        "postFee": 300,
        "orderList": [],
    },
    "timestamp": 1723619438689,
    "traceId": "307c881d5e6e",
}


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "integer" if isinstance(value, int) else "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "null")


def assert_shape(actual: Any, example: Any, where: str = "data") -> None:
    """`actual` has every field of `example`, with the same JSON type (null: any type)."""
    if example is None:
        return
    assert json_type(actual) == json_type(example), f"{where}: {actual!r} is not like {example!r}"
    if isinstance(example, dict):
        for key, value in example.items():
            assert key in actual, f"{where}.{key} is missing"
            assert_shape(actual[key], value, f"{where}.{key}")
    elif isinstance(example, list) and example and actual:
        for index, item in enumerate(actual):
            assert_shape(item, example[0], f"{where}[{index}]")


@pytest.fixture
def live(sandbox):
    seed_catalogue(products=60)
    return sandbox


def test_seed_000_batch_create_across_merchants_is_accepted(live):
    offer = pick(ALIBABA)
    request = copy.deepcopy(SEED_000_REQUEST)
    request["flow"] = "general"  # "string" is the page's placeholder, not a flow
    request["tradeType"] = "assureTrade"
    request["cargoParamList"][0].update(
        offerId=int(offer.product.item_id),  # a number, as in the example
        specId=offer.sku.spec_id,
        quantity=offer.quantity,
        sellerOpenId=offer.product.shop.shop_id,
    )
    # Our contract's outer reference (upstream-api.md 6.4); the page shows no such field.
    request["outOrderId"] = "SEED-000"

    reply = live.pandapon.transport.call(
        "alibaba_order_batch_create", request, outer_ref="SEED-000"
    )

    assert reply.code == 200
    assert_shape(reply.data, SEED_000_RESPONSE["data"])
    assert isinstance(reply.envelope["developId"], str)
    assert Order.objects.get(outer_ref="SEED-000").shop.shop_id == offer.product.shop.shop_id
    # The client reads the documented (empty) answer without inventing an order.
    assert OrderCreated.from_alibaba(SEED_000_RESPONSE["data"]).order_ids == []


def test_seed_002_taobao_create_is_accepted_and_answers_the_documented_fields(live):
    a = pick(TAOBAO)
    b = pick(TAOBAO, other_than=(a,))
    request = copy.deepcopy(SEED_002_REQUEST)
    lines = json.loads(request["orderLineList"])
    for line, chosen in zip(lines, (a, b), strict=True):
        # Every value stays a string, as in the example; both lines keep orderLineNo "1".
        line.update(
            itemId=chosen.product.item_id,
            skuId=chosen.sku.sku_id,
            quantity="2",
            price=str(chosen.sku.price_fen),
        )
    request["orderLineList"] = json.dumps(lines, ensure_ascii=False, separators=(",", ":"))
    request["purchaseAmount"] = 10**7  # a budget in fen that covers the order (an integer)
    request["sellerOrderNumber"] = "SEED-002"

    reply = live.pandapon.transport.call("taobao_order_create", request, outer_ref="SEED-002")

    assert reply.code == 200
    assert_shape(reply.data, SEED_002_RESPONSE["data"])
    assert isinstance(reply.envelope["developId"], str)
    order = Order.objects.get(outer_ref="SEED-002")
    assert order.address == json.loads(SEED_002_REQUEST["receiver"])
    assert [line.order_line_no for line in order.lines.all()] == ["1", "1"]
    assert OrderResult.from_taobao(reply.data).total_fen == order.total_fen


def test_seed_002_response_parses_with_ids_as_strings():
    order = OrderResult.from_taobao(SEED_002_RESPONSE["data"])

    assert (order.order_id, order.order_no) == ("1031992847890383164", "1031992847781331418")
    [sub] = order.lines
    assert (sub.sub_order_id, sub.item_id, sub.sku_id) == (
        "1031992851828834889",
        "600086815456800431",
        "4766078803304",
    )
    assert (sub.purchase_id, sub.sub_purchase_id) == ("200027842447", "200027842448")
    assert (sub.quantity, sub.amount_fen, sub.status, sub.error_code) == (1, 0, "", "")
    assert order.created_at.isoformat() == "2023-10-18T18:11:08+08:00"


def test_seed_003_create_cross_order_is_accepted(live):
    offer = pick(ALIBABA, quantity=5)
    request = copy.deepcopy(SEED_003_REQUEST)
    # appKey/appSecret in the body are the docs' debug form: the transport adds appKey and
    # sign, and the secret is never sent (upstream-api.md 6.1).
    del request["appKey"], request["appSecret"]
    request["cargoParamList"][0].update(
        offerId=int(offer.product.item_id), specId=offer.sku.spec_id, quantity=offer.quantity
    )

    reply = live.dajisaas.transport.call(
        "dj_create_cross_order", request, outer_ref=request["thirdOrderId"]
    )

    assert reply.code == 200
    assert_shape(reply.data, SEED_003_RESPONSE["data"])
    order = Order.objects.get(outer_ref="T20240708002")
    assert reply.data["orderId"] == order.order_id
    assert (reply.data["totalSuccessAmount"], reply.data["postFee"]) == (
        order.total_fen,
        order.freight_fen,
    )
    assert order.address == SEED_003_REQUEST["addressParam"]


def test_seed_003_response_parses_in_fen():
    created = OrderCreated.from_alibaba(SEED_003_RESPONSE["data"], outer_ref="T20240708002")

    assert created.order_ids == ["2257164624870311973"]
    assert (created.total_fen, created.freight_fen) == (1196, 300)
    assert created.success and created.failed_offers == [] and created.orders == []
    assert created.outer_ref == "T20240708002"
