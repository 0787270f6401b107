"""After-sales over real HTTP: Taobao reverse orders and 1688 refunds against the live sandbox,
with the simulated seller's tick steps and the refund callbacks they emit."""

from __future__ import annotations

import inspect

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from upstream import errors
from upstream.sandbox import callbacks, control
from upstream.sandbox.handlers.aftersales import advance_refunds
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import (
    Order,
    OrderLine,
    Platform,
    Product,
    Refund,
    RefundMessage,
    Shop,
    Sku,
    Voucher,
)
from upstream.types.aftersales import (
    GOODS_NOT_RECEIVED,
    GOODS_RECEIVED,
    REFUND_ONLY,
    RETURN_AND_REFUND,
    RefundStatus,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PAID = {Platform.TAOBAO: "WAIT_SELLER_SEND_GOODS", Platform.ALIBABA: "waitsellersend"}
SHIPPED = {Platform.TAOBAO: "WAIT_BUYER_CONFIRM_GOODS", Platform.ALIBABA: "waitbuyerreceive"}
UNPAID = {Platform.TAOBAO: "WAIT_BUYER_P", Platform.ALIBABA: "waitbuyerpay"}


def make_order(platform: str, status: str, *, lines=((2, 1990),), freight_fen: int = 800) -> Order:
    """An order of the test account with its lines (quantity, unit price in fen), made directly."""
    shop = Shop.objects.create(
        platform=platform, shop_id=new_id(), name="杭州优选服饰", province="浙江省", city="杭州市"
    )
    now = timezone.now()
    paid = status not in UNPAID.values()
    order = Order.objects.create(
        provider="pandapon",
        platform=platform,
        user_id=settings.PANDAPON_USER_ID,
        order_id=new_id(),
        outer_ref=f"SO-{new_id()[:8]}",
        created_by="test",
        status=status,
        shop=shop,
        address={"name": "张三", "phone": "13800000000"},
        goods_fen=sum(q * p for q, p in lines),
        freight_fen=freight_fen,
        total_fen=sum(q * p for q, p in lines) + freight_fen,
        paid_at=now if paid else None,
        shipped_at=now if status in SHIPPED.values() else None,
    )
    for quantity, price in lines:
        product = Product.objects.create(
            platform=platform,
            item_id=new_id()[:12],
            shop=shop,
            title="纯棉短袖T恤",
            price_fen=price,
        )
        sku = Sku.objects.create(product=product, sku_id=new_id()[:12], price_fen=price, stock=99)
        OrderLine.objects.create(
            order=order,
            sub_order_id=new_id(),
            product=product,
            sku=sku,
            quantity=quantity,
            unit_price_fen=price,
            amount_fen=quantity * price,
            status=status,
        )
    return order


def tick() -> int:
    with transaction.atomic():
        return advance_refunds()


@pytest.fixture(autouse=True)
def pushed(monkeypatch):
    """The refund callbacks the sandbox emitted, in order (checked against emit's signature,
    but not delivered: delivery is tested with the callbacks themselves)."""
    seen: list[dict] = []
    signature = inspect.signature(callbacks.emit)

    def record(**kwargs):
        signature.bind(**kwargs)
        seen.append(kwargs)

    monkeypatch.setattr(callbacks, "emit", record)
    return seen


def refund_row(refund_id: str) -> Refund:
    return Refund.objects.get(refund_id=refund_id)


# -- Taobao ----------------------------------------------------------------------------------
@pytest.mark.covers("taobao_refund_render")
def test_render_offers_what_the_order_state_allows(sandbox):
    shipped = make_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
    unshipped = make_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales

    received = api.render(sub_order_id=shipped.sub_order_id, refund_type=2, goods_status=2)
    not_received = api.render(sub_order_id=shipped.sub_order_id, refund_type=1, goods_status=1)
    before_shipping = api.render(sub_order_id=unshipped.sub_order_id, refund_type=1, goods_status=1)

    assert received.refund_types == [REFUND_ONLY, RETURN_AND_REFUND]
    assert received.goods_statuses == [GOODS_NOT_RECEIVED, GOODS_RECEIVED]
    assert received.max_refund_fen == 3980 and received.can_edit_fee
    assert "质量问题" in [reason.description for reason in received.reasons]
    assert all(reason.tips for reason in received.reasons)
    assert {r.reason_id for r in received.reasons}.isdisjoint(
        {r.reason_id for r in not_received.reasons}
    )
    assert before_shipping.refund_types == [REFUND_ONLY]
    assert before_shipping.goods_statuses == [GOODS_NOT_RECEIVED]
    assert not before_shipping.can_edit_fee
    assert before_shipping.min_refund_fen == before_shipping.max_refund_fen == 3980
    assert before_shipping.raw["refundOrderTemplate"]["maxRefundFee"]["feeTips"]
    assert received.raw["saleFlag"] is True and received.currency == "CNY"
    assert not Refund.objects.exists()  # rendering opens nothing


@pytest.mark.covers(
    "taobao_refund_render",
    "taobao_refund_submit",
    "taobao_refund_query",
    "taobao_refund_page",
    "taobao_refund_message_list",
)
def test_refund_only_is_agreed_on_the_next_tick(sandbox, pushed):
    line = make_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales
    render = api.render(sub_order_id=line.sub_order_id, refund_type=1, goods_status=1)

    refund_id = api.submit(
        sub_order_id=line.sub_order_id,
        refund_type=REFUND_ONLY,
        goods_status=GOODS_NOT_RECEIVED,
        reason_id=render.reasons[0].reason_id,
        refund_fen=render.max_refund_fen,
        outer_refund_id="RF-1001",
        description="不想要了",
    )

    opened = api.get(refund_id=refund_id)
    assert opened.status == RefundStatus.WAIT_SELLER_AGREE
    assert opened.apply_fen == 3980 and opened.agreed_fen is None
    assert opened.sub_order_ids == [line.sub_order_id] and opened.outer_ref == "RF-1001"
    line.refresh_from_db()
    assert line.refund_status == "1"
    assert pushed[-1]["message_type"] == "TAOBAO_ORDER_REFUND"
    assert pushed[-1]["body"]["refundAction"] == "BUYER_APPLY_REFUND"

    assert tick() == 1

    done = api.get(refund_id=refund_id)
    assert done.status == RefundStatus.SUCCESS and done.is_final
    assert done.agreed_fen == 3980
    assert refund_row(refund_id).agreed_fen == 3980
    line.refresh_from_db()
    assert line.refund_status == "5"
    assert pushed[-1]["body"]["refundStatus"] == 5
    assert pushed[-1]["body"]["refundAction"] == "SELLER_AGREE_REFUND"
    page = api.list_refunds(outer_refund_id="RF-1001")
    assert page.total == 1 and page.refunds[0].refund_id == refund_id
    assert api.list_refunds(status=RefundStatus.SUCCESS).total == 1
    senders = [message.sender for message in api.messages(refund_id=refund_id)]
    assert senders == ["system", "seller"]
    assert tick() == 0


@pytest.mark.covers(
    "taobao_refund_submit",
    "taobao_refund_modify",
    "taobao_refund_message_submit",
    "taobao_refund_message_list",
    "taobao_refund_query",
)
def test_seller_refuses_then_agrees_to_the_modified_claim(sandbox, pushed):
    line = make_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales
    refund_id = api.submit(
        sub_order_id=line.sub_order_id,
        refund_type=REFUND_ONLY,
        goods_status=GOODS_RECEIVED,
        reason_id="201",
        refund_fen=1500,
        outer_refund_id="RF-2001",
        description="线头太多 refuse-me",
    )

    tick()

    refused = api.get(refund_id=refund_id)
    assert refused.status == RefundStatus.WAIT_BUYER_MODIFY
    assert "refuse-me" in refused.seller_refuse_reason
    assert pushed[-1]["body"]["refundAction"] == "SELLER_REJECT_REFUND"
    assert pushed[-1]["body"]["operator"] == "seller"

    assert api.send_message(
        refund_id=refund_id, text="已补充照片", pictures=["https://img.example.com/a.jpg"]
    )
    assert api.modify(refund_id=refund_id, description="线头太多，见照片", refund_fen=1200)

    modified = api.get(refund_id=refund_id)
    assert modified.status == RefundStatus.WAIT_SELLER_AGREE
    assert modified.apply_fen == 1200 and modified.seller_refuse_reason == ""
    tick()
    assert api.get(refund_id=refund_id).agreed_fen == 1200
    messages = api.messages(refund_id=refund_id)
    buyer = next(message for message in messages if message.sender == "buyer")
    assert buyer.text == "已补充照片" and buyer.pictures == ["https://img.example.com/a.jpg"]
    assert RefundMessage.objects.filter(refund__refund_id=refund_id).count() == len(messages)

    with pytest.raises(errors.StateForbids):
        api.modify(refund_id=refund_id, refund_fen=1000)
    with pytest.raises(errors.StateForbids):
        api.send_message(refund_id=refund_id, text="还在吗")


@pytest.mark.covers(
    "taobao_refund_submit",
    "taobao_refund_logistics_render",
    "taobao_refund_logistics_submit",
    "taobao_refund_query",
)
def test_return_travels_back_before_the_money(sandbox, pushed):
    line = make_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales
    refund_id = api.submit(
        sub_order_id=line.sub_order_id,
        refund_type=RETURN_AND_REFUND,
        goods_status=GOODS_RECEIVED,
        reason_id="206",
        refund_fen=3980,
        outer_refund_id="RF-3001",
    )
    with pytest.raises(errors.StateForbids):
        api.return_logistics(refund_id=refund_id)  # the seller has not agreed yet

    tick()

    agreed = api.get(refund_id=refund_id)
    assert agreed.status == RefundStatus.WAIT_BUYER_SEND and agreed.agreed_fen is None
    where = api.return_logistics(refund_id=refund_id)
    assert where.address["province"] == "浙江省" and where.address["name"].endswith("售后部")
    assert "SF" in {company.code for company in where.companies}
    with pytest.raises(errors.BadRequest, match="logisticsCompanyCode"):
        api.submit_return_logistics(refund_id=refund_id, company_code="NOPE", mail_no="SF12345678")

    assert api.submit_return_logistics(
        refund_id=refund_id, company_code="SF", mail_no="SF1234567890"
    )

    sent = api.get(refund_id=refund_id)
    assert sent.status == RefundStatus.WAIT_SELLER_RECEIVE
    assert (sent.return_company_code, sent.return_company_name) == ("SF", "顺丰速运")
    assert sent.return_mail_no == "SF1234567890"
    assert pushed[-1]["body"]["refundAction"] == "BUYER_SEND_GOODS"
    tick()
    assert api.get(refund_id=refund_id).status == RefundStatus.SUCCESS
    assert refund_row(refund_id).completed_at is not None


@pytest.mark.covers("taobao_refund_submit", "taobao_refund_cancel", "taobao_refund_page")
def test_cancel_closes_an_open_refund_once(sandbox, pushed):
    line = make_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales
    refund_id = api.submit(
        sub_order_id=line.sub_order_id,
        refund_type=REFUND_ONLY,
        goods_status=GOODS_NOT_RECEIVED,
        reason_id="101",
        refund_fen=3980,
        outer_refund_id="RF-4001",
    )

    assert api.cancel(refund_id=refund_id)

    assert refund_row(refund_id).status == RefundStatus.CLOSED
    assert pushed[-1]["body"]["refundAction"] == "BUYER_CANCEL_REFUND_CLOSE"
    assert api.list_refunds(status=RefundStatus.CLOSED).refunds[0].refund_id == refund_id
    with pytest.raises(errors.StateForbids):
        api.cancel(refund_id=refund_id)
    assert tick() == 0


@pytest.mark.covers("taobao_refund_submit", "taobao_refund_page")
def test_submitting_twice_with_one_outer_ref_opens_two_refunds(sandbox):
    line = make_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales
    terms = {
        "sub_order_id": line.sub_order_id,
        "refund_type": REFUND_ONLY,
        "goods_status": GOODS_NOT_RECEIVED,
        "reason_id": "102",
        "refund_fen": 3980,
        "outer_refund_id": "RF-5001",
    }

    first, second = api.submit(**terms), api.submit(**terms)

    assert first != second
    assert Refund.objects.filter(outer_ref="RF-5001").count() == 2
    assert control.ledger(outer_ref="RF-5001").count() == 2
    found = api.list_refunds(outer_refund_id="RF-5001")
    assert {refund.refund_id for refund in found.refunds} == {first, second}


@pytest.mark.covers("taobao_refund_render", "taobao_refund_submit")
def test_taobao_refusals(sandbox):
    api = sandbox.pandapon.taobao_aftersales
    unpaid = make_order(Platform.TAOBAO, UNPAID[Platform.TAOBAO]).lines.get()
    paid = make_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
    shipped = make_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
    terms = {"refund_type": REFUND_ONLY, "goods_status": GOODS_NOT_RECEIVED, "reason_id": "101"}

    with pytest.raises(errors.StateForbids, match="paid"):
        api.render(sub_order_id=unpaid.sub_order_id, refund_type=1, goods_status=1)
    with pytest.raises(errors.StateForbids):
        api.submit(sub_order_id=unpaid.sub_order_id, refund_fen=100, outer_refund_id="x", **terms)
    with pytest.raises(errors.BadRequest, match="maximum refundable 3980"):
        api.submit(sub_order_id=shipped.sub_order_id, refund_fen=3981, outer_refund_id="x", **terms)
    with pytest.raises(errors.BadRequest, match="refunded in full"):
        api.submit(sub_order_id=paid.sub_order_id, refund_fen=100, outer_refund_id="x", **terms)
    with pytest.raises(errors.BadRequest, match="refundType"):
        api.render(sub_order_id=paid.sub_order_id, refund_type=2, goods_status=1)
    with pytest.raises(errors.BadRequest, match="reasonId"):
        api.submit(
            sub_order_id=shipped.sub_order_id,
            refund_type=REFUND_ONLY,
            goods_status=GOODS_RECEIVED,
            reason_id="101",
            refund_fen=100,
            outer_refund_id="x",
        )
    with pytest.raises(errors.NotFound):
        api.render(sub_order_id="1000000000000000001", refund_type=1, goods_status=1)
    assert not Refund.objects.exists()


@pytest.mark.covers("taobao_refund_submit", "taobao_refund_render")
def test_the_maximum_shrinks_by_what_was_refunded(sandbox):
    line = make_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales
    api.submit(
        sub_order_id=line.sub_order_id,
        refund_type=REFUND_ONLY,
        goods_status=GOODS_RECEIVED,
        reason_id="204",
        refund_fen=1000,
        outer_refund_id="RF-6001",
    )
    tick()

    render = api.render(sub_order_id=line.sub_order_id, refund_type=1, goods_status=2)

    assert render.max_refund_fen == 2980


# -- 1688 ------------------------------------------------------------------------------------
@pytest.mark.covers("alibaba_refund_reasons")
def test_reasons_follow_the_goods_status(sandbox):
    order = make_order(Platform.ALIBABA, SHIPPED[Platform.ALIBABA])
    api = sandbox.pandapon.alibaba_aftersales

    in_transit = api.reasons(order_id=order.order_id, goods_status="refundWaitBuyerReceive")
    received = api.reasons(order_id=order.order_id, goods_status="refundBuyerReceived")

    assert "不想要了" in [reason.description for reason in in_transit]
    quality = next(reason for reason in received if reason.description == "质量问题")
    assert quality.need_voucher and not quality.no_refund_carriage and quality.tips
    with pytest.raises(errors.BadRequest, match="refundWaitBuyerReceive"):
        api.reasons(order_id=order.order_id, goods_status="refundWaitSellerSend")
    assert not Refund.objects.exists()


@pytest.mark.covers("alibaba_refund_voucher_upload")
def test_vouchers_must_be_small_images_or_pdfs(sandbox):
    api = sandbox.pandapon.alibaba_aftersales

    voucher = api.upload_voucher(content=PNG, file_name="broken.png", content_type="image/png")
    pdf = api.upload_voucher(content=b"%PDF-1.7\n...", file_name="waybill.pdf")

    assert voucher.url.startswith("https://cbu01.alicdn.com/img/ibank/refund/")
    assert voucher.url.endswith(".png") and voucher.content_type == "image/png"
    assert voucher.size == len(PNG) and voucher.name == "broken.png"
    assert pdf.content_type == "application/pdf"
    assert Voucher.objects.count() == 2
    with pytest.raises(errors.BadRequest, match="image"):
        api.upload_voucher(content=b"hello, not a picture", file_name="a.png")
    with pytest.raises(errors.BadRequest, match="5 MB"):
        api.upload_voucher(content=PNG + b"\x00" * (5 * 1024 * 1024), file_name="big.png")
    assert Voucher.objects.count() == 2


@pytest.mark.covers("alibaba_refund_create", "alibaba_refund_detail")
def test_1688_refund_only_is_agreed_and_pushed(sandbox, pushed):
    order = make_order(Platform.ALIBABA, PAID[Platform.ALIBABA], lines=((2, 1990), (1, 500)))
    first, second = order.lines.order_by("id")
    api = sandbox.pandapon.alibaba_aftersales

    refund_id = api.create(
        order_id=order.order_id,
        refund_type=REFUND_ONLY,
        goods_status="refundWaitSellerSend",
        reason_id="20008",
        apply_fen=4480,
        apply_carriage_fen=800,
        description="卖家迟迟不发货",
        outer_refund_id="RF-7001",
    )

    assert refund_id.startswith("TQ")
    opened = api.get(refund_id=refund_id)
    assert opened.status == RefundStatus.WAIT_SELLER_AGREE
    assert opened.sub_order_ids == [first.sub_order_id, second.sub_order_id]
    assert (opened.apply_fen, opened.apply_carriage_fen) == (4480, 800)
    assert pushed[-1]["message_type"] == "ORDER_BUYER_VIEW_ORDER_BUYER_REFUND"
    assert pushed[-1]["platform"] == "1688"
    body = pushed[-1]["body"]
    assert (body["refundId"], body["orderId"]) == (refund_id, order.order_id)
    assert (body["refundAction"], body["operator"]) == ("BUYER_APPLY_REFUND", "buyer")
    assert (body["refundStatus"], body["applyPayment"]) == ("waitselleragree", 4480)

    tick()

    done = api.get(refund_id=refund_id)
    assert done.status == RefundStatus.SUCCESS and done.agreed_fen == 4480
    assert pushed[-1]["body"]["refundAction"] == "SELLER_AGREE_REFUND"
    assert set(order.lines.values_list("refund_status", flat=True)) == {"refundsuccess"}


@pytest.mark.covers(
    "alibaba_refund_voucher_upload",
    "alibaba_refund_create",
    "alibaba_logistics_companies",
    "alibaba_refund_return_goods",
    "alibaba_refund_detail",
)
def test_1688_return_with_vouchers_and_return_logistics(sandbox, pushed):
    order = make_order(Platform.ALIBABA, SHIPPED[Platform.ALIBABA], lines=((3, 1000),))
    line = order.lines.get()
    api = sandbox.pandapon.alibaba_aftersales
    photo = api.upload_voucher(content=PNG, file_name="stain.png", content_type="image/png")
    terms = {
        "order_id": order.order_id,
        "refund_type": RETURN_AND_REFUND,
        "goods_status": "refundBuyerReceived",
        "reason_id": "20101",
        "apply_fen": 2000,
        "description": "两件有污渍",
        "outer_refund_id": "RF-8001",
        "entry_counts": {line.sub_order_id: 2},
    }
    with pytest.raises(errors.BadRequest, match="voucher"):
        api.create(**terms)

    refund_id = api.create(**terms, vouchers=[photo.url])
    with pytest.raises(errors.StateForbids):
        api.return_goods(refund_id=refund_id, company_no="ZTO", freight_bill="ZT1234567890")
    tick()

    agreed = api.get(refund_id=refund_id)
    assert agreed.status == RefundStatus.WAIT_BUYER_SEND and agreed.vouchers == [photo.url]
    assert agreed.return_address["city"] == "杭州市"
    assert agreed.raw["orderEntryCountList"] == [{"id": line.sub_order_id, "count": 2}]
    companies = api.logistics_companies()
    zto = next(company for company in companies if company.code == "ZTO")
    assert zto.name == "中通快递" and zto.company_id

    assert api.return_goods(
        refund_id=refund_id, company_no=zto.code, freight_bill="ZT1234567890", vouchers=[photo.url]
    )

    assert refund_row(refund_id).status == RefundStatus.WAIT_SELLER_RECEIVE
    assert api.get(refund_id=refund_id).return_mail_no == "ZT1234567890"
    tick()
    done = api.get(refund_id=refund_id)
    assert done.status == RefundStatus.SUCCESS and done.agreed_fen == 2000
    assert [push["body"]["refundStatus"] for push in pushed] == [
        "waitselleragree",
        "waitbuyersend",
        "waitsellerreceive",
        "refundsuccess",
    ]


@pytest.mark.covers("alibaba_refund_create", "alibaba_refund_detail")
def test_1688_refusals(sandbox, pushed):
    api = sandbox.pandapon.alibaba_aftersales
    unpaid = make_order(Platform.ALIBABA, UNPAID[Platform.ALIBABA])
    paid = make_order(Platform.ALIBABA, PAID[Platform.ALIBABA])
    terms = {
        "refund_type": REFUND_ONLY,
        "goods_status": "refundWaitSellerSend",
        "reason_id": "20008",
        "description": "卖家迟迟不发货",
        "outer_refund_id": "RF-9001",
    }

    with pytest.raises(errors.StateForbids):
        api.create(order_id=unpaid.order_id, apply_fen=100, **terms)
    with pytest.raises(errors.BadRequest, match="maximum refundable 3980"):
        api.create(order_id=paid.order_id, apply_fen=3981, **terms)
    with pytest.raises(errors.BadRequest, match="applyCarriage"):
        api.create(order_id=paid.order_id, apply_fen=100, apply_carriage_fen=801, **terms)
    with pytest.raises(errors.BadRequest, match="returnRefund"):
        api.create(order_id=paid.order_id, apply_fen=100, **{**terms, "refund_type": 2})
    with pytest.raises(errors.NotFound):
        api.get(refund_id="TQ1")

    refused = api.create(order_id=paid.order_id, apply_fen=1013, **terms)
    tick()

    detail = api.get(refund_id=refused)
    assert detail.status == RefundStatus.WAIT_BUYER_MODIFY
    assert "13" in detail.seller_refuse_reason
    assert pushed[-1]["body"]["refundAction"] == "SELLER_REJECT_REFUND"
