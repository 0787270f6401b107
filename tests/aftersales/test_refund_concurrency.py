"""Refund clicks at the same moment, against the live sandbox: a refund reported from several
sides (people pressing *Refresh from upstream*, the upstream's refund message) is recorded on
the order once (the case's row lock and its `refund_recorded` flag decide), and a claim sent
and withdrawn together ends one way."""

from __future__ import annotations

import pytest
from django.db import connection

from aftersales.errors import CaseError
from aftersales.models import CaseStatus
from aftersales.services import apply_refund_message, case_cancel, case_refresh, case_submit
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import open_taobao
from tests.concurrency import at_once, in_turn
from upstream.sandbox.models import Refund as SandboxRefund
from upstream.types.aftersales import RefundStatus

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent reports need PostgreSQL's row locks (set DATABASE_URL)",
)


def test_a_refund_reported_from_four_sides_at_once_is_recorded_once(live, people, purchaser):
    order = paid_order(people, live)
    case = open_taobao(order, purchaser)
    case_submit(case=case, actor=purchaser)
    case.refresh_from_db()
    live.control("tick")  # the seller agrees and the refund is paid upstream
    body = {"refundId": case.upstream_refund_id, "refundStatus": 5}
    reports = iter(
        [
            lambda: case_refresh(case_id=case.pk),
            lambda: case_refresh(case_id=case.pk),
            lambda: apply_refund_message(body=body, platform="taobao"),
            lambda: apply_refund_message(body=body, platform="taobao"),
        ]
    )

    assert at_once(lambda: next(reports)(), times=4) == ["done"] * 4

    case.refresh_from_db()
    order.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED and case.refund_recorded
    # Counted twice, the second would pass what was paid: refused, and a person asked.
    assert not case.needs_attention and not order.needs_attention
    assert order.refunded_fen == case.agreed_fen == case.asked_fen
    assert case.events.filter(kind="refund_recorded").count() == 1
    assert order.events.filter(kind="refund", message__contains=case.reference).count() == 1


@pytest.mark.parametrize("late", ["", "submit", "cancel"])
def test_a_claim_sent_and_withdrawn_together_ends_one_way(live, people, purchaser, late):
    """Withdrawn first, the claim is closed here and never sent. Sent first, the withdrawal
    either finds it under way (refused: press again in a moment) or finds it with the seller and
    withdraws it upstream. Never a claim closed here and open upstream. `late` holds one click
    back a moment, so that each side goes first."""
    case = open_taobao(paid_order(people, live), purchaser)

    clicks = in_turn(
        late,
        submit=lambda: case_submit(case=case, actor=purchaser),
        cancel=lambda: case_cancel(case=case, actor=purchaser),
    )

    ended = at_once(clicks, refusal=CaseError)

    case.refresh_from_db()
    upstream = list(SandboxRefund.objects.filter(outer_ref=case.reference))
    if late == "submit" or not upstream:
        assert ended == ["done", "refused"]
        assert case.status == CaseStatus.CLOSED and upstream == []
    else:
        [refund] = upstream
        assert ended in (["done", "done"], ["done", "refused"])
        withdrawn = refund.status == RefundStatus.CLOSED
        assert withdrawn == (ended == ["done", "done"]) == (case.status == CaseStatus.CLOSED)
        if not withdrawn:
            assert case.status == CaseStatus.WAITING_SELLER
    if late == "cancel":
        assert ended == ["done", "done"] and case.status == CaseStatus.CLOSED
