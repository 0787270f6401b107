"""Paid is read from the documented statuses (upstream-api.md 1.6 and 3.2, both platforms), with
`payStatus`/`payTime` only as extra evidence: one table, walked against every documented value
and through every parse of an order."""

from __future__ import annotations

import copy

import pytest

from tests.upstream.factories import UPSTREAM_API, documented_order_statuses
from upstream.types.orders import ALIBABA, PAYMENT_BY_STATUS, TAOBAO, Order, Payment, payment_of

PAID, UNPAID, UNKNOWN = Payment.PAID, Payment.UNPAID, Payment.UNKNOWN

# What each documented status says of the payment: the specification the table must meet.
EXPECTED = {
    TAOBAO: {
        "BULIDING": UNPAID,
        "WAIT_BUYER_P": UNPAID,
        "WAIT_SELLER_SEND_GOODS": PAID,
        "WAIT_BUYER_CONFIRM_GOODS": PAID,
        "TRADE_CLOSED": UNKNOWN,
        "WAITING_FOR_PAYMENT": UNPAID,
        "WAITING_FOR_SENT": PAID,
        "CANCEL": UNKNOWN,
    },
    ALIBABA: {
        "waitbuyerpay": UNPAID,
        "waitsellersend": PAID,
        "waitbuyerreceive": PAID,
        "success": PAID,
        "cancel": UNKNOWN,
        "WAITING_FOR_PAYMENT": UNPAID,
        "WAITING_FOR_SENT": PAID,
        "CANCEL": UNKNOWN,
    },
}
CASES = sorted((platform, status) for platform, table in EXPECTED.items() for status in table)


@pytest.mark.skipif(not UPSTREAM_API.exists(), reason="upstream-api.md sits beside the repository")
@pytest.mark.parametrize("platform", [TAOBAO, ALIBABA])
def test_the_table_holds_every_status_the_reference_documents_and_no_other(platform):
    documented = documented_order_statuses()[platform]
    assert {"WAIT_BUYER_P", "waitbuyerpay"} & documented  # the parse found the tables
    assert sorted(documented - set(PAYMENT_BY_STATUS[platform])) == []
    assert sorted(set(PAYMENT_BY_STATUS[platform]) - documented) == []


def test_the_table_says_what_each_status_means():
    assert PAYMENT_BY_STATUS == EXPECTED


def taobao(status: str, **extra) -> Order:
    """A Taobao order as the detail answers it, without the undocumented payStatus."""
    return Order.from_taobao({"id": "1", "status": status, "subOrderVOS": [], **extra})


def alibaba(status: str, **base) -> Order:
    """A 1688 TradeInfo, without payTime."""
    return Order.from_trade_info({"baseInfo": {"idOfStr": "2", "status": status, **base}})


@pytest.mark.parametrize(("platform", "status"), CASES)
def test_every_parse_of_an_order_reads_the_table(platform, status):
    order = taobao(status) if platform == TAOBAO else alibaba(status)
    assert order.payment is EXPECTED[platform][status]
    assert order.paid is (order.payment is PAID)
    assert order.unpaid is (order.payment is UNPAID)


def test_a_taobao_order_waiting_for_the_seller_is_paid_without_pay_status():
    # The case: without payStatus it parsed as unpaid, inviting a second payment.
    assert taobao("WAIT_SELLER_SEND_GOODS").paid
    assert taobao("WAIT_SELLER_SEND_GOODS", payStatus=1).paid  # evidence never says unpaid


@pytest.mark.parametrize(("platform", "status"), CASES)
def test_pay_status_and_pay_time_never_say_unpaid(platform, status):
    said = EXPECTED[platform][status]
    for evidence in ({"pay_status": 1}, {"pay_status": "1"}, {"pay_time": None}, {}):
        assert payment_of(platform, status, **evidence) is said


def test_evidence_of_payment_makes_an_unpaid_status_doubtful():
    assert taobao("WAIT_BUYER_P", payTime="2025-04-24 16:31:00").payment is UNKNOWN
    assert taobao("WAIT_BUYER_P", payStatus=2).payment is UNKNOWN
    assert alibaba("waitbuyerpay", payTime="20250424163100000+0800").payment is UNKNOWN


def test_evidence_of_payment_settles_a_status_that_cannot_tell():
    assert taobao("TRADE_CLOSED", payStatus=2).payment is PAID
    assert alibaba("cancel", payTime="20250424163100000+0800").payment is PAID
    assert taobao("SOMETHING_NEW").payment is UNKNOWN
    assert taobao("SOMETHING_NEW", payStatus="2").payment is PAID
    terms = [{"payStatus": "2"}]
    paid = Order.from_trade_info({"baseInfo": {"idOfStr": "2", "status": "?"}, "tradeTerms": terms})
    assert paid.payment is PAID


def test_an_order_without_any_status_is_unknown():
    assert Order.from_taobao({"id": "1"}).payment is UNKNOWN
    assert Order.from_trade_info({"baseInfo": {"idOfStr": "2"}}).payment is UNKNOWN


SEED_LINE = {"subOrderId": "1", "purchaseAmount": "3990", "quantity": 1, "status": "WAIT_BUYER_P"}


def lines(*statuses: str) -> Order:
    """A Taobao create answer (seed 001's shape): statuses only on the sub-orders."""
    subs = [
        dict(copy.deepcopy(SEED_LINE), subOrderId=str(i), status=s) for i, s in enumerate(statuses)
    ]
    return Order.from_taobao({"id": "1", "subOrderVOS": subs})


def test_a_create_answer_is_read_from_its_lines():
    assert lines("WAIT_BUYER_P").payment is UNPAID
    assert lines("WAIT_BUYER_P", "WAIT_BUYER_P").payment is UNPAID
    # One purchase order is paid at once: a line waiting for the seller means it was paid.
    assert lines("WAIT_BUYER_P", "WAIT_SELLER_SEND_GOODS").payment is PAID
    assert lines("WAIT_SELLER_SEND_GOODS", "TRADE_CLOSED").payment is PAID
    assert lines("WAIT_BUYER_P", "TRADE_CLOSED").payment is UNKNOWN
