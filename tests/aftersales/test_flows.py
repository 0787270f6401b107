"""Refund and return cases end to end against the live sandbox over HTTP."""

from __future__ import annotations

import pytest
from django.utils import translation

from aftersales.models import CaseEvent, CaseKind, CaseStatus, RefundCase, WaitingOn
from aftersales.services import (
    CaseError,
    apply_refund_message,
    case_cancel,
    case_messages,
    case_modify,
    case_open,
    case_options,
    case_refresh,
    case_return_options,
    case_send_message,
    case_submit,
    case_submit_return,
)
from aftersales.services.submit import case_submit_upstream
from aftersales.tasks import submit_case
from purchasing.money import format_cny
from purchasing.phrases import said
from tests.aftersales.conftest import PDF, PNG, paid_order, refused_case
from tests.aftersales.factories import (
    in_doubt_1688,
    line_of,
    looked_up_after_its_lease,
    open_1688,
    open_taobao,
)
from tests.orders.factories import documented
from upstream.sandbox.callbacks import wait_for_deliveries
from upstream.sandbox.models import Fault
from upstream.sandbox.models import Refund as SandboxRefund


def upstream_refunds(case) -> int:
    return SandboxRefund.objects.filter(outer_ref=case.reference).count()


def test_refund_only_to_success_records_the_refund_once(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser, evidence=[("photo.png", PNG), ("bill.pdf", PDF)])
    assert case.status == CaseStatus.OPEN and upstream_refunds(case) == 0

    case_submit(case=case, actor=purchaser)  # eager: the task ran

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_SELLER and case.upstream_refund_id
    assert case.waiting_on == WaitingOn.SELLER
    assert all(e.voucher_url for e in case.evidence.all())
    live.control("tick")
    body = {"refundId": case.upstream_refund_id, "refundStatus": 5}

    case_refresh(case_id=case.pk)
    case_refresh(case_id=case.pk)
    apply_refund_message(body=body, platform="taobao")
    apply_refund_message(body=body, platform="taobao")

    case.refresh_from_db()
    order.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED and case.refund_recorded
    assert case.agreed_fen == case.asked_fen
    assert order.refunded_fen == case.agreed_fen
    assert order.events.filter(kind="refund", message__contains=case.reference).count() == 1
    assert case.events.filter(kind="refund_recorded").count() == 1
    senders = [m.sender for m in case_messages(case=case)]
    assert "seller" in senders


def test_duplicate_refund_message_changes_nothing(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    case_submit(case=case, actor=purchaser)
    case.refresh_from_db()
    body = {"refundId": case.upstream_refund_id, "refundStatus": 1}
    apply_refund_message(body=body, platform="taobao")
    before = (
        CaseEvent.objects.filter(case=case).count(),
        RefundCase.objects.get(pk=case.pk).status,
    )

    apply_refund_message(body=body, platform="taobao")
    apply_refund_message(body=body, platform="taobao")

    after = (CaseEvent.objects.filter(case=case).count(), RefundCase.objects.get(pk=case.pk).status)
    assert before == after == (before[0], CaseStatus.WAITING_SELLER)
    assert apply_refund_message(body={"refundId": "nope"}, platform="taobao") is None


def test_return_with_logistics_to_success(live, people, purchaser):
    order = paid_order(people, live, shipped=True)
    case = open_taobao(order, purchaser, kind=CaseKind.RETURN_AND_REFUND, goods="2")
    case_submit(case=case, actor=purchaser)
    live.control("tick")
    case = case_refresh(case_id=case.pk)
    assert case.status == CaseStatus.RETURN_AGREED and case.waiting_on == WaitingOn.US
    assert case.return_address

    options = case_return_options(case=case)
    assert "SF" in {c.code for c in options.companies} and options.address
    with pytest.raises(CaseError, match="refused"):
        case_submit_return(
            case=case, company_code="NOPE", tracking_no="SF1234567890", actor=purchaser
        )
    case = case_submit_return(
        case=case, company_code="SF", tracking_no="SF1234567890", actor=purchaser
    )
    assert case.status == CaseStatus.RETURNING and case.return_tracking_no == "SF1234567890"
    assert (
        case_submit_return(
            case=case, company_code="SF", tracking_no="SF1234567890", actor=purchaser
        ).status
        == CaseStatus.RETURNING
    )  # the same waybill again: nothing sent
    live.control("tick")
    case = case_refresh(case_id=case.pk)

    order.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED
    assert order.refunded_fen == case.agreed_fen > 0


def test_seller_refusal_then_message_and_cancel(live, people, purchaser):
    case = refused_case(people, live, purchaser)
    order = case.order
    assert "refuse-me" in case.seller_answer
    assert case.waiting_on == WaitingOn.US

    case_send_message(case=case, text="请再看看", pictures=[], actor=purchaser)
    assert any(m.text == "请再看看" for m in case_messages(case=case))
    case = case_cancel(case=case, actor=purchaser)

    order.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and order.refunded_fen == 0
    with pytest.raises(CaseError):
        case_cancel(case=case, actor=purchaser)


def test_submit_task_run_twice_creates_one_upstream_refund(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    case_submit(case=case, actor=purchaser)
    case_submit(case=case, actor=purchaser)

    submit_case.delay(case_id=case.pk)
    case_submit_upstream(case_id=case.pk)

    case.refresh_from_db()
    assert upstream_refunds(case) == 1
    assert case.submit_attempts == 1


def test_an_in_doubt_taobao_create_is_found_by_reference(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    case_submit(case=case, actor=purchaser)
    case.refresh_from_db()
    refund_id = case.upstream_refund_id
    # As if the answer was lost: the refund exists upstream, we hold no id.
    RefundCase.objects.filter(pk=case.pk).update(
        upstream_refund_id="", status=CaseStatus.SUBMITTING, submit_in_doubt=True
    )

    case_submit_upstream(case_id=case.pk)

    case.refresh_from_db()
    assert case.upstream_refund_id == refund_id and upstream_refunds(case) == 1
    # The documented upstream echoes no reference: the refund asking exactly what we asked, on
    # our line, while our create was under way, is the evidence.
    how = "found upstream by match" if documented() else "found upstream by our reference"
    assert case.events.filter(message__contains=how).exists()


def test_an_in_doubt_1688_create_waits_for_a_person(live, people, purchaser):
    order = paid_order(people, live, platform="1688")
    case = in_doubt_1688(order)

    case_submit_upstream(case_id=case.pk)
    case_submit_upstream(case_id=case.pk)

    case.refresh_from_db()
    assert case.needs_attention and not case.upstream_refund_id
    assert upstream_refunds(case) == 0


def test_1688_refund_only_to_success(live, people, purchaser):
    order = paid_order(people, live, platform="1688")
    line = line_of(order)
    lines = {line.pk: line.quantity}
    goods = "refundWaitSellerSend"
    options = case_options(order=order, lines=lines, kind=CaseKind.REFUND_ONLY, goods_status=goods)
    reason = next(r for r in options.reasons if not r.need_voucher)
    case = case_open(
        order=order,
        lines=lines,
        kind=CaseKind.REFUND_ONLY,
        goods_status=goods,
        reason_id=reason.reason_id,
        amount_fen=options.max_fen,
        description="卖家缺货",
        evidence=[("photo.png", PNG)],
        actor=purchaser,
    )
    case_submit(case=case, actor=purchaser)
    case.refresh_from_db()
    assert case.upstream_refund_id.startswith("TQ")
    live.control("tick")
    apply_refund_message(body={"refundId": case.upstream_refund_id}, platform="1688")
    apply_refund_message(body={"refundId": case.upstream_refund_id}, platform="1688")

    case.refresh_from_db()
    order.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED
    assert order.refunded_fen == options.max_fen


def test_a_refused_claim_is_modified_and_then_agreed(live, people, purchaser):
    case = refused_case(people, live, purchaser)
    order = case.order
    with pytest.raises(CaseError, match="amount"):
        case_modify(case=case, amount_fen=case.max_fen + 1, actor=purchaser)

    case = case_modify(
        case=case, amount_fen=case.max_fen - 1, description="见照片", actor=purchaser
    )

    assert case.status == CaseStatus.WAITING_SELLER and case.asked_fen == case.max_fen - 1
    modified = case.events.get(kind="modify")
    assert modified.message == (
        f"claim modified: amount {format_cny(case.max_fen - 1)}, description: 见照片"
    )
    with translation.override("zh-hans"):
        assert said(modified.words) == (
            f"申请已修改：金额 {format_cny(case.max_fen - 1)}、说明：见照片"
        )
    live.control("tick")
    case = case_refresh(case_id=case.pk)
    order.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED and order.refunded_fen == case.max_fen - 1


def test_a_dropped_taobao_create_answer_is_recovered_by_look_up(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    Fault.objects.create(path="/v2/taobao/order/refund/submit", mode="drop_response", count=1)

    case_submit(case=case, actor=purchaser)
    case = looked_up_after_its_lease(case)  # no reference echoed: matched once none can land

    assert case.status == CaseStatus.WAITING_SELLER and case.upstream_refund_id
    assert upstream_refunds(case) == 1
    kinds = list(case.events.values_list("kind", flat=True))
    assert "create_unknown" in kinds and kinds.count("create") == 1
    how = "found upstream by match" if documented() else "found upstream by our reference"
    assert case.events.filter(message__contains=how).exists() and not case.needs_attention


def test_a_dropped_1688_create_answer_waits_for_a_person_and_never_creates_twice(
    live, people, purchaser
):
    order = paid_order(people, live, platform="1688")
    case = open_1688(order, purchaser, kind=CaseKind.REFUND_ONLY, goods="refundWaitSellerSend")
    Fault.objects.create(path="/alibaba/refund/detail/create", mode="drop_response", count=1)

    case_submit(case=case, actor=purchaser)
    submit_case.delay(case_id=case.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTING and case.needs_attention
    assert upstream_refunds(case) == 1
    # The refund callback tells us the id: the case adopts it and moves on.
    refund = SandboxRefund.objects.get(outer_ref=case.reference)
    apply_refund_message(
        body={"refundId": refund.refund_id, "outerRefundId": case.reference}, platform="1688"
    )
    case.refresh_from_db()
    assert case.upstream_refund_id == refund.refund_id and case.status == CaseStatus.WAITING_SELLER
    assert not case.needs_attention


def test_1688_return_with_logistics_to_success(live, people, purchaser):
    order = paid_order(people, live, platform="1688", shipped=True)
    case = open_1688(order, purchaser, kind=CaseKind.RETURN_AND_REFUND, goods="refundBuyerReceived")
    case_submit(case=case, actor=purchaser)
    live.control("tick")
    case = case_refresh(case_id=case.pk)
    assert case.status == CaseStatus.RETURN_AGREED

    options = case_return_options(case=case)
    assert "SF" in {c.code for c in options.companies}
    case = case_submit_return(
        case=case, company_code="SF", tracking_no="SF99887766", actor=purchaser
    )
    assert case.status == CaseStatus.RETURNING
    live.control("tick")
    apply_refund_message(body={"refundId": case.upstream_refund_id}, platform="1688")

    case.refresh_from_db()
    order.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED and order.refunded_fen == case.agreed_fen > 0


def test_the_upstreams_refund_callback_moves_the_case(live, people, purchaser, settings):
    """The sandbox's own signed callback, over HTTP to /callbacks/pandapon/, reaches the case
    through purchasing's refund_moved signal: no refresh by hand."""
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    case_submit(case=case, actor=purchaser)
    settings.SANDBOX_CALLBACKS_ENABLED = True
    settings.SANDBOX_CALLBACK_URL = f"{live.url}/callbacks/"

    live.control("tick")  # the seller agrees; the sandbox sends TAOBAO_ORDER_REFUND

    assert wait_for_deliveries(15)
    case.refresh_from_db()
    order.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED
    assert order.refunded_fen == case.agreed_fen > 0
