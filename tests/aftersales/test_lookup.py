"""A refund whose create answer was lost is looked up by evidence, never by an echo the upstream
does not promise: against the live sandbox, under either profile (the rich one with its own
switch that ignores our reference, as the documented upstream always does)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.models import CaseStatus, RefundCase
from aftersales.routes import clients
from aftersales.services import (
    CaseError,
    case_adopt_candidate,
    case_declare_none_ours,
    case_submit,
)
from aftersales.services.submit import case_submit_upstream
from aftersales.tasks import submit_case
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import line_of, looked_up_after_its_lease, open_taobao
from tests.orders.factories import documented
from tests.waiting import wait_until
from upstream.sandbox.models import Fault
from upstream.sandbox.models import Refund as SandboxRefund

SUBMIT = "/v2/taobao/order/refund/submit"


@pytest.fixture
def references_ignored(live):
    """Refund creates keep no reference of ours and the refund list ignores the filter."""
    if not documented():
        Fault.objects.create(path="taobao_refund_*", mode="ignore_references")


def someone_elses_refund(case: RefundCase, *, same_reason: bool = False) -> str:
    """A refund on the case's line for another reason (or the same), opened by someone else on
    the account (it carries no reference)."""
    sub_order = line_of(case.order).upstream_sub_order_id
    terms = {"refund_type": case.refund_type, "goods_status": int(case.goods_status)}
    reasons = clients.taobao().render(sub_order_id=sub_order, **terms).reasons
    other = next(r.reason_id for r in reasons if r.reason_id != case.reason_id)
    refund_id = clients.taobao().submit(
        sub_order_id=sub_order,
        reason_id=case.reason_id if same_reason else other,
        refund_fen=case.asked_fen,
        outer_refund_id="SOMEONE-ELSE",
        **terms,
    )
    SandboxRefund.objects.filter(refund_id=refund_id).update(outer_ref="")
    return refund_id


def ours(case: RefundCase) -> str:
    """The refund our create made (the sandbox's books keep our reference)."""
    return SandboxRefund.objects.get(outer_ref=case.reference).refund_id


def listed(case: RefundCase) -> set[str]:
    return {candidate["refund_id"] for candidate in case.lookup["candidates"]}


def test_a_lost_answer_is_found_by_match_without_our_reference(
    live, people, purchaser, references_ignored
):
    case = open_taobao(paid_order(people, live), purchaser)
    Fault.objects.create(path=SUBMIT, mode="drop_response", count=1)

    case_submit(case=case, actor=purchaser)
    case = looked_up_after_its_lease(case)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_SELLER and case.upstream_refund_id == ours(case)
    assert not case.needs_attention and case.lookup == {}
    assert case.events.filter(message__contains="found upstream by match").exists()
    assert SandboxRefund.objects.filter(order__order_id=case.order.upstream_order_id).count() == 1


def test_a_refund_that_differs_stops_the_case_with_every_candidate_listed(
    live, people, purchaser, references_ignored
):
    case = open_taobao(paid_order(people, live), purchaser)
    theirs = someone_elses_refund(case)
    Fault.objects.create(path=SUBMIT, mode="drop_response", count=1)

    case_submit(case=case, actor=purchaser)
    case = looked_up_after_its_lease(case)

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTING and not case.upstream_refund_id
    assert case.needs_attention and case.lookup["state"] == "ask"
    assert listed(case) == {ours(case), theirs}
    evidence = {c["refund_id"]: c["evidence"] for c in case.lookup["candidates"]}
    assert evidence == {ours(case): "match", theirs: "doubtful"}
    assert ours(case) in case.attention_reason and theirs in case.attention_reason
    assert "¥" in case.attention_reason and "different reason" in case.attention_reason
    # The task running again (sweeper, retry) neither adopts nor creates.
    submit_case.delay(case_id=case.pk)
    assert SandboxRefund.objects.filter(outer_ref=case.reference).count() == 1

    case_adopt_candidate(case=case, refund_id=ours(case), actor=purchaser)
    with pytest.raises(CaseError):
        case_adopt_candidate(case=case, refund_id=theirs, actor=purchaser)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_SELLER and case.upstream_refund_id == ours(case)
    assert not case.needs_attention and case.lookup["state"] == "chosen"


def test_declaring_none_ours_creates_once_and_leaves_the_candidates_out(
    live, people, purchaser, references_ignored
):
    case = open_taobao(paid_order(people, live), purchaser)
    theirs = someone_elses_refund(case)
    # As if our create was sent and its outcome lost before it reached the upstream.
    RefundCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.SUBMITTING, submit_in_doubt=True, submit_attempts=1
    )
    case.note("creating upstream (attempt 1)", kind="create")

    case_submit_upstream(case_id=case.pk)
    case.refresh_from_db()
    assert case.lookup["state"] == "ask" and listed(case) == {theirs}
    assert not SandboxRefund.objects.filter(outer_ref=case.reference).exists()

    case_declare_none_ours(case=case, actor=purchaser)  # eager: the submit task ran
    with pytest.raises(CaseError):
        case_declare_none_ours(case=case, actor=purchaser)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_SELLER and case.upstream_refund_id == ours(case)
    assert case.upstream_refund_id != theirs and case.lookup["rejected"] == [theirs]
    assert SandboxRefund.objects.filter(outer_ref=case.reference).count() == 1


def test_a_person_cannot_adopt_what_was_not_a_candidate(live, people, purchaser):
    case = open_taobao(paid_order(people, live), purchaser)
    with pytest.raises(CaseError, match="no open question"):
        case_adopt_candidate(case=case, refund_id="123", actor=purchaser)


def test_the_case_page_lists_the_candidates_and_takes_the_answer(
    live, people, purchaser, references_ignored, client
):
    case = open_taobao(paid_order(people, live), purchaser)
    theirs = someone_elses_refund(case)
    Fault.objects.create(path=SUBMIT, mode="drop_response", count=1)
    case_submit(case=case, actor=purchaser)
    case = looked_up_after_its_lease(case)
    client.force_login(purchaser)

    html = client.get(f"/aftersales/{case.pk}/").content.decode()

    assert html.count('data-testid="candidate"') == 2 and theirs in html and "¥" in html
    assert "This one is ours" in html and "None of them is ours" in html
    refused = client.post(f"/aftersales/{case.pk}/lookup/", {"refund_id": "nope"}, follow=True)
    assert "not one of the candidates" in refused.content.decode()
    client.post(f"/aftersales/{case.pk}/lookup/", {"refund_id": ours(case)})
    case.refresh_from_db()
    assert case.upstream_refund_id == ours(case) and case.status == CaseStatus.WAITING_SELLER
    assert "This one is ours" not in client.get(f"/aftersales/{case.pk}/").content.decode()


def test_a_refund_create_that_lands_after_its_timeout_is_created_once(
    live, people, purchaser, settings
):
    """The look-up right after the timeout finds nothing: no second create while the first
    may still land; once it cannot, the one that landed is found."""
    case = open_taobao(paid_order(people, live), purchaser)
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    Fault.objects.create(path=SUBMIT, mode="latency", count=1, ms=1500)

    case_submit(case=case, actor=purchaser)

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTING and case.submit_in_doubt
    refunds = SandboxRefund.objects.filter(order__order_id=case.order.upstream_order_id)
    wait_until(refunds.exists, timeout=10, what="the late refund create to land")
    past = timezone.now() - timedelta(seconds=1)
    RefundCase.objects.filter(pk=case.pk).update(submit_lease_until=past)
    case_submit_upstream(case_id=case.pk)

    case.refresh_from_db()
    assert refunds.count() == 1 and case.upstream_refund_id == refunds.get().refund_id
    assert case.status == CaseStatus.WAITING_SELLER


def test_a_look_alike_seen_before_a_late_refund_create_lands_is_not_taken_for_ours(
    live, people, purchaser, references_ignored, settings, client
):
    """Someone else asked the very same refund, and ours lands after the look-up that follows
    the timeout: that look-up saw only theirs, a perfect match. Nothing is decided until our
    create can no longer land; then both are put to a person."""
    case = open_taobao(paid_order(people, live), purchaser)
    theirs = someone_elses_refund(case, same_reason=True)
    settings.UPSTREAM_READ_TIMEOUT = 0.5
    Fault.objects.create(path=SUBMIT, mode="latency", count=1, ms=1500)

    case_submit(case=case, actor=purchaser)

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTING and not case.upstream_refund_id
    assert not case.needs_attention and not case.lookup
    client.force_login(purchaser)
    until = timezone.localtime(case.submit_lease_until).strftime("%Y-%m-%d %H:%M:%S")
    page = client.get(f"/aftersales/{case.pk}/").content.decode()
    assert f"may still reach the upstream until {until}" in page
    page = client.get(f"/aftersales/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"在 {until} 之前" in page.content.decode()
    mine = SandboxRefund.objects.filter(outer_ref=case.reference)
    wait_until(mine.exists, timeout=10, what="the late refund create to land")
    case = looked_up_after_its_lease(case)
    page = client.get(f"/aftersales/{case.pk}/").content.decode()
    assert 'data-testid="create-waits"' not in page

    assert case.status == CaseStatus.SUBMITTING and not case.upstream_refund_id
    assert case.needs_attention and case.lookup["state"] == "ask"
    assert listed(case) == {ours(case), theirs} and mine.count() == 1


def test_a_run_that_looked_while_another_took_a_new_attempt_does_not_create(
    live, people, purchaser, monkeypatch
):
    from aftersales.services import submit
    from aftersales.services.common import Busy

    case = open_taobao(paid_order(people, live), purchaser)
    # A create whose outcome was lost before it reached the upstream, its lease run out.
    RefundCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.SUBMITTING, submit_in_doubt=True, submit_attempts=1
    )
    real_look_up = submit.look_up

    def another_run_creates_meanwhile(case):
        found = real_look_up(case)  # nothing upstream
        # Meanwhile another run looked too, took a new attempt, and is in its create call.
        RefundCase.objects.filter(pk=case.pk).update(
            submit_attempts=2,
            submit_in_doubt=False,
            submit_lease_until=timezone.now() + timedelta(minutes=2),
        )
        return found

    monkeypatch.setattr(submit, "look_up", another_run_creates_meanwhile)

    with pytest.raises(Busy):
        case_submit_upstream(case_id=case.pk)

    assert not SandboxRefund.objects.filter(outer_ref=case.reference).exists()
    case.refresh_from_db()
    assert case.submit_lease_until > timezone.now()  # the other run's lease stands
