"""The timeline entries the after-sales flows write are stored as words (purchasing/phrases.py),
so each reader reads them in their own language; references, ids and the person's own text
stay values, as written."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from aftersales.models import CaseKind, CaseStatus, RefundCase
from aftersales.routes import Operation, for_case
from aftersales.services import (
    case_attach_pack,
    case_cancel,
    case_refresh,
    case_send_message,
    case_submit,
    case_submit_return,
)
from aftersales.services.submit import case_submit_upstream
from purchasing.models import OrderEvent
from purchasing.money import format_cny
from tests.aftersales.conftest import PNG, paid_order, refused_case
from tests.aftersales.factories import in_doubt_1688, open_taobao
from tests.words import said_in_english
from upstream.types.aftersales import RefundStatus


def _all_in_words(case: RefundCase) -> list[str]:
    """Every entry of the case's timeline, each stored with words that say its English."""
    events = list(case.events.all())
    assert all(said_in_english(event) == event.message for event in events)
    return [event.message for event in events]


def test_an_opened_case_with_a_pack_submitted_writes_words(live, people, purchaser):
    order = paid_order(people, live, shipped=True)
    case = open_taobao(order, purchaser, description="颜色不对")
    opened = OrderEvent.objects.get(order=order, kind="aftersales")
    assert said_in_english(opened) == f"after-sales case {case.reference} opened"

    pack, _outcome = case_attach_pack(case=case, actor=purchaser)
    case_submit(case=case, actor=purchaser)  # the submit task runs (eager)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_SELLER and case.upstream_refund_id
    english = _all_in_words(case)
    assert (
        f"evidence pack attached: preview {format_cny(pack.preview['total_fen'])}, "
        f"{len(pack.traces)} parcel trace{'' if len(pack.traces) == 1 else 's'}, chat link"
    ) in english
    assert "evidence summary sent to the seller in the description" in english
    assert f"submitting as {case.reference}" in english
    assert "creating upstream (attempt 1)" in english
    created = case.events.get(
        to_status=CaseStatus.WAITING_SELLER, from_status=CaseStatus.SUBMITTING
    )
    assert created.message == f"created upstream: refund {case.upstream_refund_id}"
    assert created.words["values"]["how"]["msgid"] == "created upstream"


def test_a_refused_claim_a_message_with_a_picture_and_a_cancel_write_words(live, people, purchaser):
    case = refused_case(people, live, purchaser)

    case_send_message(case=case, text="请再看看", pictures=[("photo.png", PNG)], actor=purchaser)
    case = case_cancel(case=case, actor=purchaser)

    english = _all_in_words(case)
    # The seller's answer is the upstream's text: a value, not ours to translate.
    refused = case.events.get(to_status=CaseStatus.REFUSED, kind="status")
    assert refused.message == f"upstream: {RefundStatus.WAIT_BUYER_MODIFY} ({case.seller_answer})"
    message = case.events.get(kind="message")
    assert message.message == "message sent (+1 picture): 请再看看"
    assert message.words["plural"] == "message sent (+%(count)d pictures): %(text)s"
    assert "cancel sent upstream" in english


def test_a_return_sent_writes_words(live, people, purchaser):
    order = paid_order(people, live, shipped=True)
    case = open_taobao(order, purchaser, kind=CaseKind.RETURN_AND_REFUND, goods="2")
    case_submit(case=case, actor=purchaser)
    live.control("tick")
    case = case_refresh(case_id=case.pk)
    assert case.status == CaseStatus.RETURN_AGREED

    case = case_submit_return(
        case=case, company_code="SF", tracking_no="SF1234567890", actor=purchaser
    )

    assert case.status == CaseStatus.RETURNING
    assert "return sent with SF SF1234567890" in _all_in_words(case)


def test_a_1688_create_in_doubt_asks_a_person_in_words(live, people, purchaser):
    order = paid_order(people, live, platform="1688")
    case = in_doubt_1688(order)

    case_submit_upstream(case_id=case.pk)

    case.refresh_from_db()
    assert case.needs_attention
    # The route's refusal is the reason the timeline keeps, in words.
    attention = case.events.get(kind="attention")
    with translation.override("en"):
        assert said_in_english(attention) == for_case(case).refusal(Operation.LOOKUP) != ""
    # The flag on the case page too, in each reader's language.
    assert case.attention_words == attention.words
    client = Client()
    client.force_login(purchaser)
    url = reverse("aftersales:detail", args=[case.pk])
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    with translation.override("zh-hans"):
        assert for_case(case).refusal(Operation.LOOKUP) in chinese
    assert case.attention_reason not in chinese
