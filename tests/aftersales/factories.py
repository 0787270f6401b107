"""Refund cases for tests: opened through the services as a purchaser would, or asked for and
saved through the pages, and plain rows for the lists."""

from __future__ import annotations

import re
from datetime import timedelta

import factory
from django.urls import reverse
from django.utils import timezone

from aftersales.models import CaseKind, CaseStatus, RefundCase
from aftersales.services import case_open, case_options
from aftersales.services.submit import case_submit_upstream
from tests.orders.factories import PurchaseOrderFactory


class RefundCaseFactory(factory.django.DjangoModelFactory):
    """A plain case row, open, a refund of 50 of the 100 yuan that may be claimed."""

    class Meta:
        model = RefundCase

    order = factory.SubFactory(PurchaseOrderFactory)
    platform = factory.LazyAttribute(lambda case: case.order.platform)
    kind = CaseKind.REFUND_ONLY
    goods_status = "1"
    reason_id = "1"
    asked_fen = 5_000
    max_fen = 10_000
    status = CaseStatus.OPEN


def line_of(order):
    return order.lines.order_by("line_no").first()


def open_taobao(
    order, actor, *, kind=CaseKind.REFUND_ONLY, goods="1", description="不想要了", **kw
):
    line = line_of(order)
    lines = {line.pk: line.quantity}
    options = case_options(order=order, lines=lines, kind=kind, goods_status=goods)
    return case_open(
        order=order,
        lines=lines,
        kind=kind,
        goods_status=goods,
        reason_id=options.reasons[0].reason_id,
        amount_fen=kw.pop("amount_fen", options.max_fen),
        description=description,
        actor=actor,
        **kw,
    )


def open_1688(order, actor, *, kind, goods, **kw):
    line = line_of(order)
    lines = {line.pk: line.quantity}
    options = case_options(order=order, lines=lines, kind=kind, goods_status=goods)
    reason = next(r for r in options.reasons if not r.need_voucher)
    return case_open(
        order=order,
        lines=lines,
        kind=kind,
        goods_status=goods,
        reason_id=reason.reason_id,
        amount_fen=options.max_fen,
        description="货不对板",
        actor=actor,
        **kw,
    )


def in_doubt_1688(order) -> RefundCase:
    """A 1688 refund-only case whose create may have happened: being submitted, in doubt."""
    return RefundCaseFactory(
        order=order,
        platform="1688",
        goods_status="refundWaitSellerSend",
        asked_fen=100,
        max_fen=100,
        status=CaseStatus.SUBMITTING,
        submit_in_doubt=True,
    )


def text(response) -> str:
    """The body of a page as text."""
    return response.content.decode()


def open_params(order, *, kind=CaseKind.REFUND_ONLY, goods="1") -> dict:
    line = order.lines.order_by("line_no").first()
    return {
        "line": [str(line.pk)],
        f"qty_{line.pk}": str(line.quantity),
        "kind": kind,
        "goods_status": goods,
    }


def ask(client, order, **kw):
    params = {**open_params(order, **kw), "ask": "1"}
    return client.get(reverse("aftersales:open", args=[order.pk]), params)


def first_reason(page_text: str) -> str:
    return re.search(r'name="reason" value="([^"]+)"', page_text).group(1)


def save_case(client, order, *, amount=None, files=(), **kw):
    options = ask(client, order, **kw)
    body = text(options)
    prefilled = re.search(r'name="amount" value="([^"]+)"', body).group(1)
    data = {
        **open_params(order, **kw),
        "reason": first_reason(body),
        "amount": amount or prefilled,
        "description": "不想要了",
    }
    if files:
        data["evidence"] = list(files)
    return client.post(reverse("aftersales:open", args=[order.pk]), data), prefilled


def make_cases(user, rows: int, **fields) -> None:
    for _ in range(rows):
        order = PurchaseOrderFactory(created_by=user)
        RefundCaseFactory(order=order, asked_fen=100, max_fen=100, created_by=user, **fields)


def looked_up_after_its_lease(case: RefundCase) -> RefundCase:
    """CASE after a lost refund create answer that carried no reference of ours back: while the
    create may still land it waits, nothing matched and no person asked; once its lease has run
    out, the look-up decides. Returns the case as it is then."""
    case.refresh_from_db()
    leased = case.submit_lease_until and case.submit_lease_until > timezone.now()
    if case.status == CaseStatus.SUBMITTING and case.submit_in_doubt and leased:
        assert not case.upstream_refund_id and not case.needs_attention, case.attention_reason
        assert (case.lookup or {}).get("state") != "ask"
        past = timezone.now() - timedelta(seconds=1)
        RefundCase.objects.filter(pk=case.pk).update(submit_lease_until=past)
        case_submit_upstream(case_id=case.pk)
        case.refresh_from_db()
    return case
