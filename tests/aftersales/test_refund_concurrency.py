"""A refund reported at the same moment from several sides (people pressing *Refresh from
upstream*, the upstream's refund message) is recorded on the order once: against the live
sandbox, the case's row lock and its `refund_recorded` flag decide."""

from __future__ import annotations

import pytest
from django.db import connection

from aftersales.models import CaseStatus
from aftersales.services import apply_refund_message, case_refresh, case_submit
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import open_taobao
from tests.concurrency import at_once

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
