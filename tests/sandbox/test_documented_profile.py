"""The documented profile: the seeds' own request bodies are accepted as they are, signed, over
HTTP; undocumented request fields are ignored; answers carry only documented fields; and the
account holds orders placed by someone else."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.upstream.factories import pick
from upstream.operations import operation
from upstream.sandbox import control, documented, profile, router
from upstream.sandbox.models import CartItem, Order, Sku
from upstream.sandbox.models.orders import FOREIGN_PREFIX
from upstream.sandbox.router import SandboxError

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed_example(name: str, marker: str) -> dict:
    """The first JSON example after `marker` in a seed page, as the page prints it."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    start = text.index("{", text.index(marker))
    return json.JSONDecoder().raw_decode(text[start:])[0]


# The seed pages live beside the repository; their examples are copied here so the tests run
# without them, and checked against them when they are there.
SEED_000_BODY = {
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
    "cargoParamList": [{"offerId": 0, "specId": "string", "quantity": 0, "sellerOpenId": "string"}],
}
SEED_001_BODY = {
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
SEED_001_SUB_ORDER_FIELDS = documented.ANSWER_FIELDS["taobao_cart_create_order"]["subOrderVOS"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed pages are not beside the repository")
def test_the_copied_seed_bodies_are_the_pages_own():
    assert seed_example("000_a1f6f0c68462d16c.txt", "Body 参数application/json") == SEED_000_BODY
    assert seed_example("001_6840c5f714573a67.txt", "示例\n{") == SEED_001_BODY


def test_seed_000_batch_create_body_is_accepted_as_it_is(documented):
    offer = pick("1688")
    body = copy.deepcopy(SEED_000_BODY)
    # Only the page's placeholders change, for goods the sandbox sells; no field is added.
    body.update(flow="general", tradeType="assureTrade", shopPromotionId="")
    body["cargoParamList"][0].update(
        offerId=int(offer.product.item_id),
        specId=offer.sku.spec_id,
        quantity=offer.quantity,
        sellerOpenId=offer.product.shop.shop_id,
    )

    reply = documented.pandapon.transport.call("alibaba_order_batch_create", body)

    assert reply.code == 200
    assert set(reply.data) <= documented_fields("alibaba_order_batch_create")
    assert "outOrderId" not in json.dumps(reply.data)
    created = Order.objects.get(order_id=reply.data["orderId"])
    assert created.shop == offer.product.shop and created.ref_ignored


def test_seed_001_cart_create_body_is_accepted_and_answers_sub_orders_by_item_map_id(documented):
    offer = pick("taobao")
    cart_id = documented.pandapon.taobao_cart.add(
        item_id=offer.product.item_id,
        sku_id=offer.sku.sku_id,
        mp_id=offer.product.mp_id,
        mp_sku_id=offer.sku.mp_sku_id,
        quantity=1,
    )
    body = copy.deepcopy(SEED_001_BODY)
    body["ids"] = [int(cart_id)]

    reply = documented.pandapon.transport.call("taobao_cart_create_order", body)

    assert reply.code == 200
    assert set(reply.data) == {"id", "orderNo", "createTime", "subOrderVOS"}
    (sub,) = reply.data["subOrderVOS"]
    assert set(sub) == SEED_001_SUB_ORDER_FIELDS
    assert "itemId" not in sub and sub["itemMapId"]
    assert sub["skuId"] == offer.sku.sku_id and sub["status"] == "WAIT_BUYER_P"
    assert not CartItem.objects.filter(cart_id=cart_id).exists()


def documented_fields(operation: str) -> frozenset[str]:
    return documented.ANSWER_FIELDS[operation][""]


def test_our_reference_is_ignored_not_echoed_and_not_a_list_filter(documented):
    offer = pick("1688")
    body = {
        "flow": "general",
        "addressParam": {"fullName": "张三", "mobile": "18888888888", "address": "网商路699号"},
        "cargoParamList": [
            {
                "offerId": offer.product.item_id,
                "specId": offer.sku.spec_id,
                "quantity": offer.quantity,
            }
        ],
        "outOrderId": "CG-IGNORED-1",
    }

    reply = documented.pandapon.transport.call("alibaba_order_create", body)
    listed = documented.pandapon.transport.call(
        "alibaba_order_page", {"outOrderId": "CG-IGNORED-1", "pageSize": 50}
    )

    assert "CG-IGNORED-1" not in json.dumps(reply.envelope, ensure_ascii=False)
    rows = listed.data["data"]
    # The filter does nothing: someone else's orders come back beside ours, none named ours.
    assert {row["baseInfo"]["id"] for row in rows} >= {reply.data["orderId"]}
    assert len(rows) == Order.objects.filter(platform="1688").count() >= 2
    assert not any("outOrderId" in row["baseInfo"] for row in rows)
    # The sandbox's own books still know whose reference it was (ledger, tests).
    assert Order.objects.get(order_id=reply.data["orderId"]).outer_ref == "CG-IGNORED-1"
    assert control.ledger(outer_ref="CG-IGNORED-1").count() == 1


def test_the_account_holds_similar_orders_placed_by_someone_else(documented):
    offer = pick("taobao", quantity=2)
    lines = [
        {
            "itemId": offer.product.item_id,
            "skuId": offer.sku.sku_id,
            "orderLineNo": "1",
            "quantity": str(offer.quantity),
            "price": str(offer.sku.price_fen),
            "currency": "CNY",
        }
    ]
    receiver = {"name": "张三", "mobile_phone": "15068763421", "address": "测试地址"}
    body = {
        "orderLineList": json.dumps(lines),
        "receiver": json.dumps(receiver, ensure_ascii=False),
        "sellerOrderNumber": "CG-OURS-1",
    }

    reply = documented.pandapon.transport.call("taobao_order_create", body)

    ours = Order.objects.get(order_id=reply.data["id"])
    (theirs,) = Order.objects.filter(created_by__startswith=FOREIGN_PREFIX)
    assert theirs.user_id == ours.user_id and theirs.address == ours.address
    assert theirs.shop == ours.shop and theirs.outer_ref == ""
    (line,) = theirs.lines.all()
    assert line.sku == offer.sku and line.quantity > offer.quantity
    assert timedelta(0) < ours.created_at - theirs.created_at <= timedelta(hours=1)
    listed = documented.pandapon.transport.call(
        "taobao_order_page", {"sellerOrderNumber": "CG-OURS-1"}
    )
    assert {row["id"] for row in listed.data["data"]} == {ours.order_id, theirs.order_id}
    assert not any("payStatus" in row or "sellerOrderNumber" in row for row in listed.data["data"])
    # A tick moves our orders only: nobody on our side acts for someone else.
    before = theirs.status
    assert documented.control("tick").ok
    theirs.refresh_from_db()
    assert theirs.status == before


def test_a_taobao_order_read_carries_no_undocumented_pay_fields(documented):
    theirs_and_ours = Order.objects.count()
    offer = pick("taobao")
    line = {"itemId": offer.product.item_id, "skuId": offer.sku.sku_id, "quantity": "1"}
    body = {
        "orderLineList": json.dumps([line]),
        "receiver": json.dumps({"name": "a"}),
    }
    created = documented.pandapon.transport.call("taobao_order_create", body)

    read = documented.pandapon.transport.call("taobao_order_get", {"orderId": created.data["id"]})

    assert Order.objects.count() == theirs_and_ours + 2
    assert "payStatus" not in read.data and "payTime" not in read.data
    assert read.data["status"] == "WAIT_BUYER_P"


def test_an_unknown_profile_stops_the_sandbox_naming_the_setting(settings):
    settings.SANDBOX_PROFILE = "generous"
    with pytest.raises(ImproperlyConfigured, match="SANDBOX_PROFILE"):
        profile.current()


def test_the_control_api_names_the_profile(documented):
    assert documented.control("profile", method="get").json() == {"profile": "documented"}


def test_only_the_undocumented_fields_are_cut_from_a_documented_answer():
    answer = {
        "orderId": "1",
        "success": True,
        "outOrderId": "CG1",
        "sandboxOnly": 1,
        "orderList": [{"orderId": "1", "outOrderId": "CG1"}],
    }
    assert documented.answer("alibaba_order_create", answer) == {
        "orderId": "1",
        "success": True,
        "orderList": [{"orderId": "1"}],
    }
    body = {"orderId": "1", "outOrderId": "CG1", "payStatus": 2, "sellerOrderNumber": "CG1"}
    assert documented.push_body(body, platform="taobao") == {"orderId": "1"}
    assert documented.push_body(body, platform="1688") == {"orderId": "1", "payStatus": 2}


def test_sku_stock_is_not_taken_by_someone_elses_orders(documented):
    offer = pick("1688")
    stock = Sku.objects.get(pk=offer.sku.pk).stock
    body = {
        "flow": "general",
        "addressParam": {"fullName": "张三", "address": "网商路699号"},
        "cargoParamList": [
            {
                "offerId": offer.product.item_id,
                "specId": offer.sku.spec_id,
                "quantity": offer.quantity,
            }
        ],
    }
    documented.pandapon.transport.call("alibaba_order_create", body)
    assert Sku.objects.get(pk=offer.sku.pk).stock == stock - offer.quantity


def test_a_list_whose_filter_is_ignored_answers_instead_of_refusing():
    op = operation("logistics_booking_query")
    router._check_required(op, {}, documented.not_required(op.name))
    with pytest.raises(SandboxError, match="bookingId, clientRequestId"):
        router._check_required(op, {}, frozenset())
