"""A case is refused with a sentence, and nothing is sent upstream, when it cannot be."""

from __future__ import annotations

import pytest

from aftersales.models import CaseKind, RefundCase
from aftersales.services import CaseError, case_open, case_options
from purchasing.services.orders.approval import order_confirm
from tests.aftersales.conftest import PNG, paid_order
from tests.orders.conftest import previewed_order
from upstream.sandbox.models import Refund as SandboxRefund
from upstream.sandbox.models import Voucher


def terms(order, **changes):
    line = order.lines.order_by("line_no").first()
    lines = {line.pk: line.quantity}
    options = case_options(order=order, lines=lines, kind=CaseKind.REFUND_ONLY, goods_status="1")
    base = {
        "order": order,
        "lines": lines,
        "kind": CaseKind.REFUND_ONLY,
        "goods_status": "1",
        "reason_id": options.reasons[0].reason_id,
        "amount_fen": options.max_fen,
        "description": "不想要了",
    }
    base.update(changes)
    return base, options


def test_an_unpaid_order_is_refused(live, people):
    order = previewed_order(people, actor=people.approver)
    order_confirm(order=order, actor=people.approver)
    order.refresh_from_db()
    line = order.lines.first()

    with pytest.raises(CaseError, match="only a paid order can be refunded"):
        case_open(
            order=order,
            lines={line.pk: 1},
            kind=CaseKind.REFUND_ONLY,
            goods_status="1",
            reason_id="101",
            amount_fen=100,
            actor=people.purchaser,
        )
    assert not RefundCase.objects.exists()


def test_more_than_the_maximum_is_refused(live, people):
    order = paid_order(people, live)
    base, options = terms(order)

    with pytest.raises(CaseError, match="more than the maximum"):
        case_open(**{**base, "amount_fen": options.max_fen + 1}, actor=people.purchaser)
    assert not RefundCase.objects.exists() and not SandboxRefund.objects.exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("notes.txt", b"just words", "not a picture"),
        ("fake.png", b"MZ\x90\x00 an exe named png", "not a picture"),
        ("huge.png", PNG + b"\x00" * (5 * 1024 * 1024), "at most 5 MB"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_bad_evidence_file_is_refused_and_nothing_sent(live, people, name, content, message):
    order = paid_order(people, live)
    base, _ = terms(order)

    with pytest.raises(CaseError, match=message):
        case_open(**base, evidence=[("ok.png", PNG), (name, content)], actor=people.purchaser)
    assert not RefundCase.objects.exists()
    assert not SandboxRefund.objects.exists() and not Voucher.objects.exists()


def test_a_reason_not_offered_is_refused(live, people):
    order = paid_order(people, live)
    base, _ = terms(order)

    with pytest.raises(CaseError, match="not offered"):
        case_open(**{**base, "reason_id": "999"}, actor=people.purchaser)


def test_someone_without_the_permission_is_refused(live, people):
    from tests.purchasing.factories import StaffUserFactory

    order = paid_order(people, live)
    base, _ = terms(order)
    with pytest.raises(CaseError):
        case_open(**base, actor=StaffUserFactory(role="finance"))
