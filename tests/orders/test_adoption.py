"""Never adopt what is not provably ours, and unknown is unknown: the look-up after a lost or
unreadable create answer, against the sandbox over real HTTP, with an upstream that ignores our
reference and whose account holds other people's orders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import translation

from purchasing.glossary import attention
from purchasing.models import PurchaseOrder
from purchasing.rules import can_pay, order_actions
from purchasing.services.orders.adoption import (
    order_adopt_candidate,
    order_confirm_match,
    order_declare_none_ours,
)
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.submit import order_submit_upstream
from purchasing.statuses import OrderStatus
from tests.concurrency import at_once
from tests.orders.conftest import submitted_order
from tests.orders.factories import (
    documented,
    foreign_order,
    leases_run_out,
    looked_up_after_its_lease,
    stopped_for_a_person,
)
from tests.upstream.factories import pick
from upstream.sandbox import control
from upstream.sandbox.models import Fault, LedgerEntry, Payment
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.router import _answer


@pytest.fixture
def references_ignored(early_look_alikes):
    """The upstream neither keeps our reference nor filters lists by it: the documented profile
    always, the rich one through its own switch. Look-alikes stay out of the attempt window,
    so each test's own orders are the only candidates."""
    if not documented():
        Fault.objects.create(path="*", mode="ignore_references")


@pytest.fixture
def lists_unfiltered(live):
    """List endpoints ignore the reference filter (rich creates still keep the reference)."""
    if not documented():
        Fault.objects.create(path="*_order_page", mode="ignore_references")


def answer_once(monkeypatch, operation: str, *, code: int = 200, data=None, before=False):
    """The next call of `operation` is answered with this envelope: before the handler (nothing
    done) or after it committed (done, the answer says otherwise)."""
    left = [1]
    name = "before_call" if before else "after_call"
    original = getattr(control, name)

    def answering(call, *args):
        if call.op.name == operation and left[0]:
            if not before:
                original(call, *args)
            left[0] = 0
            return _answer(call.provider, code, "sandbox says so", data, call.request_id)
        return original(call, *args)

    monkeypatch.setattr(control, name, answering)


def sandbox_creates() -> int:
    return LedgerEntry.objects.filter(kind="create").count()


# -- never adopt what is not provably ours ------------------------------------------------------
def test_foreign_orders_without_our_reference_on_an_unfiltered_list_are_not_adopted(
    live, people, lists_unfiltered
):
    ours = pick("taobao")
    other = pick("taobao", other_than=(ours,))
    foreign = [foreign_order(other), foreign_order(other), foreign_order(ours, age=timedelta(1))]
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = submitted_order(people)

    assert len(live.creates(order.reference)) == 1
    if documented():
        # No echo to go by, and a look-alike of ours a minute before it: a person chooses.
        stopped_for_a_person(order)
        listed = {candidate["order_id"] for candidate in order.adoption["candidates"]}
        assert not set(foreign) & listed
        return
    landed = SandboxOrder.objects.get(outer_ref=order.reference)
    assert order.status == OrderStatus.AWAITING_PAYMENT, order.attention_reason
    assert order.upstream_ids == [landed.order_id]  # by its echoed reference, and only it
    assert not set(foreign) & set(order.upstream_ids)
    assert not order.needs_attention and order.adoption == {}


def test_an_order_carrying_our_reference_is_adopted_without_a_question(
    live, people, lists_unfiltered
):
    foreign = foreign_order(pick("taobao"))  # same goods, no reference: the echo decides
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = submitted_order(people)

    if documented():
        # Nothing carries our reference: the goods alone never adopt an order.
        stopped_for_a_person(order, also=frozenset({foreign}))
        assert {c["evidence"] for c in order.adoption["candidates"]} <= {"match", "doubtful"}
        assert not can_pay(order)
        return
    assert order.upstream_ids == [SandboxOrder.objects.get(outer_ref=order.reference).order_id]
    assert not order.needs_attention and can_pay(order)


def test_one_exact_match_is_adopted_by_match_and_waits_for_a_person(
    live, people, references_ignored
):
    foreign_order(pick("taobao", other_than=(pick("taobao"),)))  # other goods: no candidate
    foreign_order(pick("taobao"), age=timedelta(hours=2))  # before our attempt: no candidate
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = submitted_order(people)
    order = looked_up_after_its_lease(order)

    landed = SandboxOrder.objects.get(outer_ref=order.reference)
    assert order.status == OrderStatus.AWAITING_PAYMENT, (order.attention_reason, order.adoption)
    assert order.upstream_ids == [landed.order_id]
    assert order.needs_attention and "found by match" in order.attention_reason
    assert order.adoption["state"] == "matched" and len(order.adoption["candidates"]) == 1
    assert not can_pay(order)
    actions = order_actions(order, people.approver)
    assert actions["confirm_match"] and not actions["clear_attention"] and not actions["cancel"]
    assert sandbox_creates() == 3  # two foreign, one ours: never a second create of ours

    order_confirm_match(order=order, actor=people.approver)
    with pytest.raises(OrderError):
        order_confirm_match(order=order, actor=people.approver)

    order.refresh_from_db()
    assert not order.needs_attention and can_pay(order)
    assert order.adoption["state"] == "confirmed"


def test_a_reference_dropped_by_the_create_is_no_proof_of_absence(live, people, early_look_alikes):
    # The create drops our reference while the list still filters by it: the filtered list is
    # empty, and only the account's whole list shows the order our create made.
    if not documented():
        Fault.objects.create(path="taobao_order_create", mode="ignore_references")
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = submitted_order(people)
    order = looked_up_after_its_lease(order)

    landed = SandboxOrder.objects.get(outer_ref=order.reference).order_id
    assert sandbox_creates() == 1 and order.upstream_ids == [landed]
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.adoption["state"] == "matched"


def test_two_matches_stop_the_order_with_both_listed_and_nothing_created_again(
    live, people, references_ignored
):
    foreign = foreign_order(pick("taobao"))  # the very same goods, minutes before ours
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = submitted_order(people)
    order = looked_up_after_its_lease(order)

    landed = SandboxOrder.objects.get(outer_ref=order.reference).order_id
    assert order.status == OrderStatus.SUBMITTING and not order.upstream_ids
    assert order.needs_attention and order.adoption["state"] == "ask"
    listed = {c["order_id"] for c in order.adoption["candidates"]}
    assert listed == {foreign, landed}
    assert foreign in order.attention_reason and landed in order.attention_reason
    # The task running again (sweeper, retry) neither adopts nor creates.
    from purchasing.tasks import submit_order

    submit_order.delay(order_id=order.pk)
    assert sandbox_creates() == 2

    order_adopt_candidate(order=order, upstream_order_id=landed, actor=people.approver)
    with pytest.raises(OrderError):
        order_adopt_candidate(order=order, upstream_order_id=foreign, actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.upstream_ids == [landed]
    assert not order.needs_attention and order.adoption["state"] == "chosen"


def test_declaring_none_ours_creates_again_once_and_leaves_the_candidates_out(
    live, people, references_ignored
):
    foreign = foreign_order(pick("taobao"))
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)
    order = submitted_order(people)
    order = looked_up_after_its_lease(order)
    assert order.adoption["state"] == "ask"

    order_declare_none_ours(order=order, actor=people.approver)
    with pytest.raises(OrderError):
        order_declare_none_ours(order=order, actor=people.approver)
    # Asked only once the first create could no longer land: created again at once, and only
    # once (the task running again changes nothing).
    order_submit_upstream(order_id=order.pk)

    order.refresh_from_db()
    assert sandbox_creates() == 3
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert foreign not in order.upstream_ids and len(order.upstream_ids) == 1
    assert set(order.adoption["rejected"]) >= {foreign}


def test_the_order_page_lists_the_candidates_in_words_with_the_actions(
    live, people, references_ignored, client
):
    foreign_order(pick("taobao"))
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)
    order = submitted_order(people)
    order = looked_up_after_its_lease(order)
    client.force_login(people.approver)

    html = client.get(f"/orders/{order.pk}/").content.decode()

    for candidate in order.adoption["candidates"]:
        assert candidate["order_id"] in html
    assert html.count('data-testid="candidate"') == 2 and "¥" in html
    assert "This one is ours" in html and "None of them is ours" in html
    assert "Clear attention</button>" not in html
    response = client.post(f"/orders/{order.pk}/lookup/adopt/", {"upstream_order_id": "nope"})
    assert response.status_code == 302
    assert PurchaseOrder.objects.get(pk=order.pk).adoption["state"] == "ask"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a double click needs PostgreSQL's row locks (set DATABASE_URL)",
)
@pytest.mark.parametrize("answer", ["adopt", "none_ours"])
def test_a_double_click_adopts_once_and_creates_once(live, people, references_ignored, answer):
    foreign_order(pick("taobao"))
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)
    order = submitted_order(people)
    order = looked_up_after_its_lease(order)
    landed = SandboxOrder.objects.get(outer_ref=order.reference).order_id
    if answer == "adopt":
        work = lambda: order_adopt_candidate(  # noqa: E731
            order=order, upstream_order_id=landed, actor=people.approver
        )
    else:
        work = lambda: order_declare_none_ours(order=order, actor=people.approver)  # noqa: E731
    leases_run_out(order)  # the answer comes once the first create can no longer land

    assert at_once(work) == ["done", "refused"]

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and len(order.upstream_ids) == 1
    assert sandbox_creates() == (2 if answer == "adopt" else 3)
    assert order.events.filter(kind="attention_cleared").count() == 1


# -- unknown is unknown --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("platform", "operation"), [("taobao", "taobao_order_create"), ("1688", "alibaba_order_create")]
)
def test_an_unreadable_create_answer_is_unknown_and_looked_up(
    live, people, monkeypatch, platform, operation
):
    answer_once(monkeypatch, operation, data={})  # seed 000's answer: created, says nothing

    order = submitted_order(people, platform=platform)

    kinds = list(order.events.values_list("kind", flat=True))
    assert "create_unknown" in kinds and not order.failure_reason
    assert len(live.creates(order.reference)) == 1
    if documented():
        stopped_for_a_person(order)  # no echo, and a look-alike beside ours
        return
    assert order.status == OrderStatus.AWAITING_PAYMENT, order.failure_reason
    assert order.upstream_ids == [
        o.order_id for o in SandboxOrder.objects.filter(outer_ref=order.reference)
    ]


def test_an_unknown_error_code_on_create_is_unknown_not_failed(live, people, monkeypatch):
    answer_once(monkeypatch, "taobao_order_create", code=7301, before=True)  # nothing made

    order = submitted_order(people)
    assert order.status == OrderStatus.SUBMITTING and order.create_in_doubt
    leases_run_out(order)
    order_submit_upstream(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not order.failure_reason
    assert "create_unknown" in order.events.values_list("kind", flat=True)
    assert len(live.creates(order.reference)) == 1


def test_a_known_refusal_goes_back_to_a_person(live, people, monkeypatch):
    answer_once(monkeypatch, "taobao_order_create", code=1001, before=True)  # out of stock

    order = submitted_order(people)

    assert order.status == OrderStatus.PREVIEWED and order.needs_attention
    assert not SandboxOrder.objects.filter(outer_ref=order.reference).exists()
    # the refusal in Caigou's words, each reader's language, then the upstream's own
    assert attention(order).endswith("not enough stock (the upstream said: sandbox says so)")
    with translation.override("zh-hans"):
        assert attention(order).endswith("库存不足（上游原话：sandbox says so）")


def test_an_unknown_error_code_on_pay_is_unknown_and_never_pays_twice(live, people, monkeypatch):
    order = submitted_order(people)
    answer_once(monkeypatch, "taobao_order_pay", code=7302)  # paid; the answer says otherwise

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and not order.needs_attention
    assert "pay_unknown" in order.events.values_list("kind", flat=True)
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1
    assert LedgerEntry.objects.filter(kind="pay").count() == 1


# -- the order page: every call about the order --------------------------------------------------
def test_the_order_page_lists_every_upstream_call_about_the_order(live, paid, people, client):
    client.force_login(people.finance)

    response = client.get(f"/orders/{paid.pk}/")

    what = [call.what for call in response.context["journal"]]
    assert "create the order" in what and "pay" in what and "read the order" in what
    table = response.content.decode().split('data-testid="journal"', 1)[1].split("</table>")[0]
    assert "taobao_order_pay" not in table and "answered" in table
