"""Taobao reverse orders over real HTTP against the live sandbox, with the simulated seller's
tick steps and the refund callbacks they emit."""

from __future__ import annotations

import pytest

from tests.upstream.factories import PAID, SHIPPED, UNPAID, refund_row, sandbox_order, tick_refunds
from upstream import errors
from upstream.sandbox import control
from upstream.sandbox.models import (
    Platform,
    Refund,
    RefundMessage,
)
from upstream.types.aftersales import (
    GOODS_NOT_RECEIVED,
    GOODS_RECEIVED,
    REFUND_ONLY,
    RETURN_AND_REFUND,
    RefundStatus,
)

# Every test here records the refund callbacks instead of delivering them.
pytestmark = pytest.mark.usefixtures("pushed")


# -- Taobao ----------------------------------------------------------------------------------
@pytest.mark.covers("taobao_refund_render")
def test_render_offers_what_the_order_state_allows(sandbox):
    shipped = sandbox_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
    unshipped = sandbox_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
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
    line = sandbox_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
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

    assert tick_refunds() == 1

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
    assert tick_refunds() == 0


@pytest.mark.covers(
    "taobao_refund_submit",
    "taobao_refund_modify",
    "taobao_refund_message_submit",
    "taobao_refund_message_list",
    "taobao_refund_query",
)
def test_seller_refuses_then_agrees_to_the_modified_claim(sandbox, pushed):
    line = sandbox_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
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

    tick_refunds()

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
    tick_refunds()
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
    line = sandbox_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
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

    tick_refunds()

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
    tick_refunds()
    assert api.get(refund_id=refund_id).status == RefundStatus.SUCCESS
    assert refund_row(refund_id).completed_at is not None


@pytest.mark.covers("taobao_refund_submit", "taobao_refund_cancel", "taobao_refund_page")
def test_cancel_closes_an_open_refund_once(sandbox, pushed):
    line = sandbox_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
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
    assert tick_refunds() == 0


@pytest.mark.covers("taobao_refund_submit", "taobao_refund_page")
def test_submitting_twice_with_one_outer_ref_opens_two_refunds(sandbox):
    line = sandbox_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
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
    unpaid = sandbox_order(Platform.TAOBAO, UNPAID[Platform.TAOBAO]).lines.get()
    paid = sandbox_order(Platform.TAOBAO, PAID[Platform.TAOBAO]).lines.get()
    shipped = sandbox_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
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
    line = sandbox_order(Platform.TAOBAO, SHIPPED[Platform.TAOBAO]).lines.get()
    api = sandbox.pandapon.taobao_aftersales
    api.submit(
        sub_order_id=line.sub_order_id,
        refund_type=REFUND_ONLY,
        goods_status=GOODS_RECEIVED,
        reason_id="204",
        refund_fen=1000,
        outer_refund_id="RF-6001",
    )
    tick_refunds()

    render = api.render(sub_order_id=line.sub_order_id, refund_type=1, goods_status=2)

    assert render.max_refund_fen == 2980
