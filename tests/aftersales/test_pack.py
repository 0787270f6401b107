"""The evidence pack against the live sandbox: what it holds, attaching twice, and the summary
that reaches the seller once, in the description or the next message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from aftersales.models import CaseEvent, CaseKind, CaseStatus, EvidencePack
from aftersales.services import (
    CaseError,
    case_attach_pack,
    case_cancel,
    case_refresh,
    case_send_message,
    case_submit,
    case_submit_return,
)
from aftersales.services.common import NotAllowed
from purchasing.money import format_cny
from purchasing.phrases import said
from tests.aftersales.conftest import PNG, paid_order
from tests.aftersales.factories import open_1688, open_taobao
from upstream.sandbox.models import Fault, RefundMessage
from upstream.sandbox.models import OrderLine as SandboxLine
from upstream.sandbox.models import Refund as SandboxRefund


def pack_events(case) -> int:
    return CaseEvent.objects.filter(case=case, kind="evidence_pack").count()


def buyer_messages(case) -> list[RefundMessage]:
    return list(
        RefundMessage.objects.filter(
            refund__refund_id=case.upstream_refund_id, sender=RefundMessage.Sender.BUYER
        ).order_by("pk")
    )


def test_the_pack_holds_the_preview_the_trace_and_the_chat_link(live, people, purchaser):
    order = paid_order(people, live, shipped=True)
    case = open_taobao(order, purchaser)
    accepted = order.previews.get(accepted_at__isnull=False)

    pack, outcome = case_attach_pack(case=case, actor=purchaser)

    assert outcome == "attached" and pack.attached_by == purchaser
    assert pack.preview["total_fen"] == accepted.total_fen
    assert pack.preview["goods_fen"] == accepted.goods_fen
    assert len(pack.preview["sellers"]) == len(accepted.sellers) >= 1
    shipped = SandboxLine.objects.filter(order__outer_ref=order.reference).exclude(tracking_no="")
    assert {t["tracking_no"] for t in pack.traces} == {line.tracking_no for line in shipped}
    assert pack.traces
    assert all(t["events"] for t in pack.traces)
    assert pack.im_link.startswith("https://") and pack.problems == []
    # For the seller, in the sellers' language (CAIGOU_SELLER_LANGUAGE, Chinese by default).
    assert (
        pack.summary.startswith(f"订单按 {format_cny(accepted.total_fen)} 批准")
        and "包裹" in pack.summary
    )
    assert len(pack.summary) <= 150 and pack.summary_pending
    assert pack_events(case) == 1


def test_attaching_twice_keeps_one_pack_and_notes_only_changes(live, people, purchaser):
    order = paid_order(people, live, shipped=True)
    case = open_taobao(order, purchaser)
    first, _ = case_attach_pack(case=case, actor=purchaser)

    again, outcome = case_attach_pack(case=case, actor=purchaser)
    assert outcome == "unchanged" and again.pk == first.pk and pack_events(case) == 1

    live.control("tick")  # the parcel moves on: the trace has news
    updated, outcome = case_attach_pack(case=case, actor=purchaser)

    assert outcome == "updated" and updated.pk == first.pk
    assert EvidencePack.objects.filter(case=case).count() == 1 and pack_events(case) == 2
    assert sum(len(t["events"]) for t in updated.traces) > sum(
        len(t["events"]) for t in first.traces
    )


def test_the_summary_goes_in_the_description_of_a_claim_not_sent_yet(live, people, purchaser):
    order = paid_order(people, live, shipped=True)
    case = open_taobao(order, purchaser, description="颜色不对")
    pack, _ = case_attach_pack(case=case, actor=purchaser)

    case_submit(case=case, actor=purchaser)

    case.refresh_from_db()
    pack.refresh_from_db()
    upstream = SandboxRefund.objects.get(outer_ref=case.reference)
    assert upstream.description == f"颜色不对\n{pack.summary}"
    assert case.description == "颜色不对"  # ours stays as the person wrote it
    assert pack.summary_sent_in == "description" and pack.summary_sent_at
    case_send_message(case=case, text="请尽快处理", actor=purchaser)
    assert buyer_messages(case)[-1].text == "请尽快处理"  # sent once, not again


def test_the_summary_and_a_picture_go_with_the_next_message(live, people, purchaser):
    order = paid_order(people, live, shipped=True)
    case = open_taobao(order, purchaser)
    case_submit(case=case, actor=purchaser)
    case.refresh_from_db()
    pack, _ = case_attach_pack(case=case, actor=purchaser)

    case_send_message(case=case, text="请看照片", pictures=[("broken.png", PNG)], actor=purchaser)
    case_send_message(case=case, text="谢谢", actor=purchaser)

    first, second = buyer_messages(case)[-2:]
    assert first.text == f"请看照片\n{pack.summary}" and len(first.pictures) == 1
    assert first.pictures[0].startswith("https://")
    assert second.text == "谢谢" and second.pictures == []
    pack.refresh_from_db()
    assert pack.summary_sent_in == "message"


def test_a_1688_pack_has_no_chat_link_and_its_summary_fits_the_description(live, people, purchaser):
    order = paid_order(people, live, platform="1688")
    case = open_1688(order, purchaser, kind=CaseKind.REFUND_ONLY, goods="refundWaitSellerSend")
    pack, _ = case_attach_pack(case=case, actor=purchaser)
    assert pack.im_link == "" and pack.traces == [] and pack.problems == []
    assert "卖家未发出任何包裹。" in pack.summary

    case_submit(case=case, actor=purchaser)

    upstream = SandboxRefund.objects.get(outer_ref=case.reference)
    assert pack.summary in upstream.description and len(upstream.description) <= 150


def test_a_read_that_fails_is_a_problem_in_the_pack(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    Fault.objects.create(path="taobao_order_im_link", mode="error", rate=1, count=10)

    pack, outcome = case_attach_pack(case=case, actor=purchaser)

    assert outcome == "attached" and pack.im_link == "" and pack.preview
    assert [said(p).split(":")[0] for p in pack.problems] == ["Chat link not read"]
    # Kept as words, the problem is read in each reader's language on the case page.
    client = Client()
    client.force_login(purchaser)
    url = reverse("aftersales:detail", args=[case.pk])
    assert "未能读取聊天链接" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Chat link not read" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_sellers_summary_takes_the_configured_language(live, people, purchaser, settings):
    settings.CAIGOU_SELLER_LANGUAGE = "en"
    order = paid_order(people, live, platform="1688")
    case = open_1688(order, purchaser, kind=CaseKind.REFUND_ONLY, goods="refundWaitSellerSend")

    with translation.override("zh-hans"):  # whoever attaches it
        pack, _ = case_attach_pack(case=case, actor=purchaser)

    assert pack.summary.startswith("Order approved at ¥")
    assert pack.summary.endswith("No parcel shipped by the seller.")


def test_a_finished_case_or_a_finance_user_attaches_nothing(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    with pytest.raises(NotAllowed):
        case_attach_pack(case=case, actor=people.finance)
    case = case_cancel(case=case, actor=purchaser)
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(CaseError, match="finished case"):
        case_attach_pack(case=case, actor=purchaser)
    assert not EvidencePack.objects.exists()


def test_on_a_live_1688_return_the_summary_goes_with_the_tracking_number(live, people, purchaser):
    order = paid_order(people, live, platform="1688", shipped=True)
    case = open_1688(order, purchaser, kind=CaseKind.RETURN_AND_REFUND, goods="refundBuyerReceived")
    case_submit(case=case, actor=purchaser)
    pack, _ = case_attach_pack(case=case, actor=purchaser)
    live.control("tick")
    case = case_refresh(case_id=case.pk)
    assert case.status == CaseStatus.RETURN_AGREED and pack.summary

    case_submit_return(case=case, company_code="SF", tracking_no="SF10101010", actor=purchaser)

    pack.refresh_from_db()
    upstream = SandboxRefund.objects.get(outer_ref=case.reference)
    assert upstream.return_description == pack.summary and pack.summary_sent_in == "return"
