"""Refunds never pass what was paid: a claim is counted against the other cases of its lines
under the order's lock, and a refund that would show more refunded than paid is not recorded."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from aftersales.models import CaseEvent, CaseLine, CaseStatus, RefundCase
from aftersales.services import CaseError, case_cancel, case_modify, case_submit
from aftersales.services.sync import apply_refund
from purchasing.models import OrderEvent
from purchasing.money import format_cny
from purchasing.statuses import OrderStatus
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import ask, first_reason, line_of, open_params, open_taobao, text
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory, client_for
from upstream.models import CallJournal
from upstream.sandbox.models import Refund as SandboxRefund
from upstream.types.aftersales import Refund, RefundStatus


def post_claim(client: Client, order, amount_fen: int):
    """The open-a-case form posted as a person would, asking `amount_fen`."""
    body = text(ask(client, order, goods="2"))
    data = {
        **open_params(order, goods="2"),
        "reason": first_reason(body),
        "amount": f"{amount_fen / 100:.2f}",
        "description": "质量问题",
    }
    return client.post(reverse("aftersales:open", args=[order.pk]), data)


def last_call() -> int:
    return CallJournal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def stored() -> list[int]:
    return [model.objects.count() for model in (RefundCase, CaseLine, CaseEvent, OrderEvent)]


def test_a_second_claim_past_what_is_left_is_refused_with_what_is_left(live, people):
    order = paid_order(people, live, shipped=True)  # shipped: the amount may be a part
    paid = line_of(order).amount_fen
    first = open_taobao(order, people.purchaser, goods="2", amount_fen=paid - 1230)
    client = client_for(people.purchaser)
    before, last = stored(), last_call()

    page = post_claim(client, order, paid)

    assert page.status_code == 400
    assert f"Only {format_cny(1230)} of this line can still be refunded" in text(page)
    assert first.reference in text(page) and "Nothing was saved." in text(page)
    assert stored() == before
    calls = set(CallJournal.objects.filter(pk__gt=last).values_list("operation", flat=True))
    assert calls == {"taobao_refund_render"}  # reads only: nothing was sent
    assert not SandboxRefund.objects.exists()

    # What is left can still be claimed, and then nothing more, refused before any upstream call.
    assert post_claim(client, order, 1230).status_code == 302
    last = last_call()
    with pytest.raises(CaseError, match="Nothing more of this line can be refunded"):
        open_taobao(order, people.purchaser, goods="2", amount_fen=1)
    assert last_call() == last
    assert RefundCase.objects.count() == 2


def test_a_withdrawn_case_gives_its_money_back(live, people):
    order = paid_order(people, live)
    first = open_taobao(order, people.purchaser)
    with pytest.raises(CaseError, match="Nothing more of this line"):
        open_taobao(order, people.purchaser)

    case_cancel(case=first, actor=people.purchaser)

    second = open_taobao(order, people.purchaser)
    assert second.asked_fen == line_of(order).amount_fen
    assert second.max_fen == line_of(order).amount_fen


def test_of_two_unsent_claims_on_the_same_money_only_the_first_is_sent(live, people):
    """Claims stored before they were counted (or past the count by any other way): the
    submit counts again, and the second is refused before anything is sent."""
    order = paid_order(people, live)
    line = line_of(order)
    first, second = (
        RefundCase.objects.create(
            order=order,
            platform="taobao",
            kind="refund_only",
            goods_status="1",
            reason_id="101",
            asked_fen=line.amount_fen,
            max_fen=line.amount_fen,
        )
        for _ in range(2)
    )
    for case in (first, second):
        CaseLine.objects.create(case=case, line=line, quantity=line.quantity)

    case_submit(case=first, actor=people.purchaser)
    with pytest.raises(CaseError, match="Nothing more of this line can be refunded"):
        case_submit(case=second, actor=people.purchaser)

    second.refresh_from_db()
    assert second.status == CaseStatus.OPEN and not second.events.exists()
    assert list(SandboxRefund.objects.values_list("outer_ref", flat=True)) == [first.reference]


def test_a_claim_raised_past_what_the_other_cases_leave_is_refused(live, people):
    order = paid_order(people, live, shipped=True)
    paid = line_of(order).amount_fen
    half = paid // 2
    first = open_taobao(order, people.purchaser, goods="2", amount_fen=half)
    case_submit(case=first, actor=people.purchaser)
    open_taobao(order, people.purchaser, goods="2", amount_fen=paid - half)
    first.refresh_from_db()
    last = last_call()

    with pytest.raises(CaseError, match=f"Only {re.escape(format_cny(half))} of this line"):
        case_modify(case=first, amount_fen=paid, actor=people.purchaser)

    first.refresh_from_db()
    assert first.asked_fen == half and last_call() == last
    assert SandboxRefund.objects.get(outer_ref=first.reference).apply_fen == half


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent claims need PostgreSQL's row locks (set DATABASE_URL)",
)
def test_concurrent_claims_on_one_line_create_one_refund_upstream(live, people):
    order = paid_order(people, live)
    paid = line_of(order).amount_fen
    clients = [client_for(people.purchaser) for _ in range(6)]
    forms = [text(ask(client, order)) for client in clients]
    data = {**open_params(order), "reason": first_reason(forms[0]), "amount": f"{paid / 100:.2f}"}
    start, answers = threading.Barrier(len(clients)), []

    def claim(client: Client) -> None:
        try:
            start.wait()
            answers.append(client.post(reverse("aftersales:open", args=[order.pk]), data))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [302] + [400] * 5, codes
    assert all("Nothing more of this line" in text(a) for a in answers if a.status_code == 400)
    case = RefundCase.objects.get()
    assert case.asked_fen == paid
    # Every stored case sent: one refund upstream, refunded once, never more than paid.
    for each in RefundCase.objects.all():
        case_submit(case=each, actor=people.purchaser)
    live.control("tick")
    apply_refund(case_id=case.pk, refund=_read(case))
    order.refresh_from_db()
    assert SandboxRefund.objects.count() == 1
    assert order.refunded_fen == paid <= order.actual_fen


def _read(case: RefundCase) -> Refund:
    from aftersales.services.sync import read_refund

    case.refresh_from_db()
    return read_refund(case)


# ------------------------------------------------------------- refunded never above paid


def _success(refund_id: str, fen: int) -> Refund:
    return Refund(
        refund_id=refund_id,
        platform="taobao",
        status=RefundStatus.SUCCESS,
        apply_fen=fen,
        agreed_fen=fen,
    )


@pytest.mark.django_db
def test_a_refund_past_what_was_paid_is_not_recorded_and_a_person_is_asked():
    """Two claims on the same money that both reached the upstream (opened before the count
    existed, or created there by hand): the first is recorded, the second only flagged."""
    order = PurchaseOrderFactory(status=OrderStatus.PAID, actual_fen=9290)
    line = PurchaseOrderLineFactory(order=order, amount_fen=9290, upstream_sub_order_id="S1")
    cases = []
    for n in (1, 2):
        case = RefundCase.objects.create(
            order=order,
            platform="taobao",
            kind="refund_only",
            goods_status="1",
            reason_id="101",
            asked_fen=9290,
            max_fen=9290,
            status=CaseStatus.WAITING_SELLER,
            upstream_refund_id=f"R{n}",
        )
        CaseLine.objects.create(case=case, line=line, quantity=1)
        cases.append(case)

    apply_refund(case_id=cases[0].pk, refund=_success("R1", 9290))
    apply_refund(case_id=cases[1].pk, refund=_success("R2", 9290))
    apply_refund(case_id=cases[1].pk, refund=_success("R2", 9290))  # again: still not recorded

    order.refresh_from_db()
    first, second = (RefundCase.objects.get(pk=case.pk) for case in cases)
    assert order.refunded_fen == 9290 and first.refund_recorded
    assert second.status == CaseStatus.REFUNDED and not second.refund_recorded
    assert second.needs_attention and order.needs_attention
    assert format_cny(9290) in second.attention_reason and "not recorded" in order.attention_reason
    assert second.events.filter(kind="attention").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_more_refunded_than_paid():
    """The last line of defence: a service that forgot to count cannot write such books."""
    order = PurchaseOrderFactory(status=OrderStatus.PAID, actual_fen=9290)
    order.refunded_fen = 9290
    order.save(update_fields=["refunded_fen"])

    for refunded in (9291, -1):
        with pytest.raises(IntegrityError), transaction.atomic():
            type(order).objects.filter(pk=order.pk).update(refunded_fen=refunded)
    order.refresh_from_db()
    assert order.refunded_fen == 9290
