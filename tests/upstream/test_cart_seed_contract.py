"""Seed 001 (PandaPon v2 Taobao cart create order) as a contract between client and sandbox.

The seed's request example, with its `ids` pointed at real cart rows and its `orderAddress` kept
(the camelCase `mobilePhone` of the example, not the schema's `mobile_phone`), is signed and
accepted; the sandbox answers with every field of the seed's response example, each of the same
JSON type. And the client parses the seed's own response example. Our contract adds
`clientRequestId` (upstream-api.md 6.4), which the seed's example does not send.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from upstream import errors
from upstream.client import Account, Transport
from upstream.operations import PANDAPON
from upstream.pandapon import PandaPon
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import CartItem, Order, OrderLine, Sku

SEED_REQUEST = {
    "ids": [382],
    "orderAddress": {
        "address": "xxxxxxxxxxxx",
        "city": "杭州市",
        "country": "中国",
        "district": "西湖区",
        "mobilePhone": "123456789",
        "name": "张三",
        "phone": "123456789",
        "state": "浙江省",
        "zip": "100000",
    },
}

SUB_ORDER_RESULT = (
    '{"alipay_pay_order_no":"2025042422001191951402168132","quantity":1,"item_id":"NeZYO6vI'
    'HuENAqbW6iWQb7dqmzNNcIX-IQGrQ53mhv0","purchase_currency":"CNY","option_fields":{"SKU_I'
    'MG_URL":"https://img.alicdn.com/bao/uploaded/i1/2202282511/O1CN01f70KIV1UQ5HNQRt17_!!2'
    '202282511.jpg","supplierNick":"淘不出掌心86","serviceList":"[{\\"code\\":\\"7d\\",\\"d'
    'esc\\":\\"七天无理由退货\\",\\"imageUrl\\":\\"https://img.alicdn.com/imgextra/i4/O1CN0'
    '1gk3LQL1xZoiKiMXXc_!!6000000006458-2-tps-40-40.png\\",\\"name\\":\\"七天无理由退货\\"}'
    ',{\\"code\\":\\"byf\\",\\"desc\\":\\"退货宝,每个货源主单仅理赔一次\\",\\"imageUrl\\":'
    '\\"https://img.alicdn.com/imgextra/i4/O1CN01yEf3Jo1JCNoyT4cgz_!!6000000000992-2-tps-40'
    '-40.png\\",\\"name\\":\\"退货宝\\"}]","en":"{\\"颜色\\":\\"850浅灰\\",\\"尺码\\":\\"M8'
    '0-105斤\\"}","shopName":"小淘男装服饰","shopId":"115037976","zh":"{\\"颜色\\":\\"850浅'
    '灰\\",\\"尺码\\":\\"M80-105斤\\"}"},"sku_id":"7579055774996","title":"2025新款休闲短袖'
    '衬衫男士夏季薄款韩版潮流半袖衬衣帅气寸衫上衣","purchase_order_line_outer_id":"25417536'
    '27432451492","pay_currency":"CNY","purchase_amount":3990,"purchase_order_outer_id":"25'
    '41753627432451492","domestic_post_fee":0,"closed":false,"sub_purchase_order_id":"20006'
    '6160295","itemMapId":"NeZYO6vIHuENAqbW6iWQb7dqmzNNcIX-IQGrQ53mhv0","product_amount":"3'
    '990","status":"WAIT_BUYER_P"}'
)

SEED_RESPONSE = {
    "requestId": "f7dcdb50272943f0ab0c4be3ca71ca07",
    "code": 200,
    "developId": "1110890638347337996",
    "msg": "成功",
    "data": {
        "id": "1232730479761817723",
        "orderNo": "1232730473445196451",
        "subOrderVOS": [
            {
                "subOrderId": "1232730479996699501",
                "orderNo": "1232730473445196451",
                "quantity": 1,
                "title": "2025新款休闲短袖衬衫男士夏季薄款韩版潮流半袖衬衣帅气寸衫上衣",
                "purchaseCurrency": "CNY",
                "purchaseAmount": "3990",
                "itemMapId": "NeZYO6vIHuENAqbW6iWQb7dqmzNNcIX-IQGrQ53mhv0",
                "domesticPostFee": 0,
                "closeReason": None,
                "skuId": "7579055774996",
                "status": "WAIT_BUYER_P",
                "goodsStatus": None,
                "refundType": None,
                "taobaoPurchaseId": "200066160294",
                "taobaoSubPurchaseId": "200066160295",
                "subOrderResult": SUB_ORDER_RESULT,
                "errorCode": None,
                "errorMessage": None,
                "refundStatus": 0,
            }
        ],
        "createTime": "2025-04-24 16:30:49",
    },
}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def assert_shape(ours: Any, example: Any, path: str) -> None:
    """`ours` has every field of `example`, each of the same JSON type, all the way down (a
    list's entries against the example's first entry)."""
    assert json_type(ours) == json_type(example), (
        f"{path}: {json_type(ours)}, not {json_type(example)}"
    )
    if isinstance(example, dict):
        for key, value in example.items():
            assert key in ours, f"{path}.{key} is missing"
            assert_shape(ours[key], value, f"{path}.{key}")
    elif isinstance(example, list) and example:
        assert ours, f"{path} is empty"
        for index, entry in enumerate(ours):
            assert_shape(entry, example[0], f"{path}[{index}]")


def decoded(sub_order: dict[str, Any]) -> dict[str, Any]:
    """A sub-order's `subOrderResult`, with the service list inside it decoded too. `en`/`zh`
    stay JSON strings: their keys are property names (data), not fields."""
    result = json.loads(sub_order["subOrderResult"])
    fields = result["option_fields"]
    fields["serviceList"] = json.loads(fields["serviceList"])
    assert all(isinstance(json.loads(fields[key]), dict) for key in ("en", "zh"))
    return result


@pytest.mark.covers("taobao_cart_add", "taobao_cart_create_order")
def test_seed_request_is_accepted_and_answered_in_the_seed_shape(sandbox):
    seed_catalogue(products=60)
    sku = (
        Sku.objects.select_related("product")
        .filter(product__platform="taobao", product__available=True, available=True, stock__gte=5)
        .order_by("product__item_id", "pk")
        .first()
    )
    cart_id = sandbox.pandapon.taobao_cart.add(
        item_id=sku.product.item_id,
        sku_id=sku.sku_id,
        mp_id=sku.product.mp_id,
        mp_sku_id=sku.mp_sku_id,
        quantity=1,
    )
    request = copy.deepcopy(SEED_REQUEST)
    request["ids"] = [int(cart_id)]
    request["clientRequestId"] = "seed-001-contract"

    reply = sandbox.pandapon.transport.call(
        "taobao_cart_create_order", request, outer_ref="seed-001-contract"
    )

    assert reply.code == 200
    assert_shape(reply.envelope, SEED_RESPONSE, "envelope")
    sub = reply.data["subOrderVOS"][0]
    assert_shape(decoded(sub), decoded(SEED_RESPONSE["data"]["subOrderVOS"][0]), "subOrderResult")
    assert len(reply.data["id"]) == 19 and reply.data["id"].isdigit()
    assert sub["purchaseAmount"] == str(
        OrderLine.objects.get(sub_order_id=sub["subOrderId"]).amount_fen
    )
    assert sub["status"] == "WAIT_BUYER_P" and sub["refundStatus"] == 0

    order = Order.objects.get(order_id=reply.data["id"])
    assert order.outer_ref == "seed-001-contract"
    assert order.address["name"] == "张三"
    assert order.address["mobile_phone"] == order.address["mobilePhone"] == "123456789"
    assert not CartItem.objects.filter(cart_id=cart_id).exists()


@pytest.mark.covers("taobao_cart_create_order")
def test_seed_request_without_our_reference_is_refused_naming_it(sandbox):
    with pytest.raises(errors.BadRequest, match="clientRequestId"):
        sandbox.pandapon.transport.call("taobao_cart_create_order", copy.deepcopy(SEED_REQUEST))


class SeedSession(requests.Session):
    """Answers every request with the seed's response example, keeping what was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []

    def request(self, method, url, **kwargs):  # type: ignore[override]
        self.sent.append({"method": method, "url": url, **kwargs})
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(SEED_RESPONSE, ensure_ascii=False).encode()
        return response


def test_client_parses_the_seed_response_example():
    session = SeedSession()
    account = Account(
        provider=PANDAPON,
        base_url="https://api.pandapon.example",
        key="ak",
        secret="sk",
        user_id="u",
    )
    client = PandaPon(Transport(account, session=session))

    order = client.taobao_cart.create_order(
        cart_ids=["382"], address=SEED_REQUEST["orderAddress"], client_request_id="ours-1"
    )

    sent = session.sent[0]
    assert sent["method"] == "POST" and sent["url"].endswith("/v2/taobao/cart/create/order")
    assert sent["json"]["ids"] == [382]  # array[integer], as documented
    assert sent["json"]["clientRequestId"] == "ours-1"
    address = sent["json"]["orderAddress"]
    assert address["mobilePhone"] == address["mobile_phone"] == "123456789"

    assert (order.order_id, order.order_no) == ("1232730479761817723", "1232730473445196451")
    assert order.platform == "taobao" and order.status == "WAIT_BUYER_P"
    assert order.outer_ref == "ours-1"
    assert order.created_at == datetime(2025, 4, 24, 16, 30, 49, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert order.goods_fen == order.total_fen == 3990
    (line,) = order.lines
    assert line.sub_order_id == "1232730479996699501"
    assert line.amount_fen == 3990 and isinstance(line.amount_fen, int)
    assert (line.quantity, line.unit_price_fen) == (1, 3990)
    assert line.item_id == line.item_map_id == "NeZYO6vIHuENAqbW6iWQb7dqmzNNcIX-IQGrQ53mhv0"
    assert line.sku_id == "7579055774996"
    assert (line.purchase_id, line.sub_purchase_id) == ("200066160294", "200066160295")
    assert line.domestic_post_fee_fen == 0 and line.close_reason == ""
    assert line.refund_status == "0"
    assert line.result["alipay_pay_order_no"] == "2025042422001191951402168132"
    assert line.result["purchase_amount"] == 3990
    assert line.result["option_fields"]["shopId"] == "115037976"
    assert line.raw["subOrderResult"] == SUB_ORDER_RESULT
