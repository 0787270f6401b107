"""1688 refunds over real HTTP against the live sandbox, with the simulated seller's tick steps
and the refund callbacks they emit."""

from __future__ import annotations

import pytest

from tests.upstream.factories import PAID, SHIPPED, UNPAID, refund_row, sandbox_order, tick_refunds
from upstream import errors
from upstream.sandbox.models import (
    Platform,
    Refund,
    Voucher,
)
from upstream.types.aftersales import (
    REFUND_ONLY,
    RETURN_AND_REFUND,
    RefundStatus,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Every test here records the refund callbacks instead of delivering them.
pytestmark = pytest.mark.usefixtures("pushed")


# -- 1688 ------------------------------------------------------------------------------------
@pytest.mark.covers("alibaba_refund_reasons")
def test_reasons_follow_the_goods_status(sandbox):
    order = sandbox_order(Platform.ALIBABA, SHIPPED[Platform.ALIBABA])
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
    order = sandbox_order(Platform.ALIBABA, PAID[Platform.ALIBABA], lines=((2, 1990), (1, 500)))
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

    tick_refunds()

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
    order = sandbox_order(Platform.ALIBABA, SHIPPED[Platform.ALIBABA], lines=((3, 1000),))
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
    tick_refunds()

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
    tick_refunds()
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
    unpaid = sandbox_order(Platform.ALIBABA, UNPAID[Platform.ALIBABA])
    paid = sandbox_order(Platform.ALIBABA, PAID[Platform.ALIBABA])
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
    tick_refunds()

    detail = api.get(refund_id=refused)
    assert detail.status == RefundStatus.WAIT_BUYER_MODIFY
    assert "13" in detail.seller_refuse_reason
    assert pushed[-1]["body"]["refundAction"] == "SELLER_REJECT_REFUND"
