"""Refund apply, modify and cancel refused inside a `code 200` answer: the case stays as it was
(a create refused is failed with the upstream's words, never "waiting for the seller"). The
upstream is a stubbed HTTP edge."""

from __future__ import annotations

import pytest

from aftersales.models import CaseKind, CaseLine, CaseStatus, RefundCase
from aftersales.services.actions import case_cancel, case_modify
from aftersales.services.common import CaseError
from aftersales.services.submit import case_submit_upstream
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

pytestmark = pytest.mark.django_db


def taobao_case(status: str, refund_id: str = "RF-1") -> RefundCase:
    order = PurchaseOrderFactory(
        status=OrderStatus.PAID, upstream_order_id="T-1", upstream_order_ids=["T-1"]
    )
    line = PurchaseOrderLineFactory(order=order, upstream_sub_order_id="S-1")
    case = RefundCase.objects.create(
        order=order,
        platform="taobao",
        kind=CaseKind.REFUND_ONLY,
        goods_status="1",
        reason_id="R1",
        asked_fen=5_000,
        max_fen=10_000,
        status=status,
        upstream_refund_id=refund_id,
    )
    CaseLine.objects.create(case=case, line=line, quantity=1)
    return case


def test_a_refund_apply_refused_inside_the_envelope_fails_with_the_upstreams_words(edge):
    case = taobao_case(CaseStatus.SUBMITTING, refund_id="")
    refused = {"success": False, "errorCode": "REFUND_EXPIRED", "errorMsg": "已超过售后期"}
    edge.answer("taobao_refund_submit", refused)

    case = case_submit_upstream(case_id=case.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.FAILED and case.upstream_refund_id == ""
    assert "已超过售后期" in case.failure_reason


def test_a_modify_answered_false_changes_nothing(edge, purchaser):
    case = taobao_case(CaseStatus.WAITING_SELLER)
    edge.answer("taobao_refund_modify", False, msg="卖家已处理,不能修改")

    with pytest.raises(CaseError, match="卖家已处理,不能修改"):
        case_modify(case=case, actor=purchaser, amount_fen=4_000, description="少退一点")

    case.refresh_from_db()
    assert (case.asked_fen, case.description, case.status) == (
        5_000,
        "",
        CaseStatus.WAITING_SELLER,
    )
    assert not case.events.filter(kind="modify").exists()


def test_a_cancel_refused_inside_the_envelope_changes_nothing(edge, purchaser):
    case = taobao_case(CaseStatus.WAITING_SELLER)
    edge.answer("taobao_refund_cancel", {"success": False, "errorMsg": "退款已完成"})

    with pytest.raises(CaseError, match="退款已完成"):
        case_cancel(case=case, actor=purchaser)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_SELLER
    assert not case.events.filter(kind="cancel").exists()
    assert edge.calls("taobao_refund_query") == []
