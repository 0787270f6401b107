"""The case model: one status table for every upstream refund status, an append-only
timeline, the list selectors and the read-only admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from aftersales.models import (
    FROM_UPSTREAM,
    CaseEvent,
    CaseKind,
    CaseStatus,
    RefundCase,
    WaitingOn,
)
from aftersales.selectors import action_needed_count, case_list
from purchasing.models.timeline import HistoryIsAppendOnly
from tests.orders.factories import PurchaseOrderFactory
from upstream.types.aftersales import RefundStatus


def make_case(**fields) -> RefundCase:
    values = {
        "order": PurchaseOrderFactory(),
        "platform": "taobao",
        "kind": CaseKind.REFUND_ONLY,
        "goods_status": "1",
        "reason_id": "101",
        "asked_fen": 100,
        "max_fen": 100,
    }
    values.update(fields)
    return RefundCase.objects.create(**values)


def test_every_upstream_refund_status_maps_onto_a_case_status():
    assert set(FROM_UPSTREAM) == set(RefundStatus)
    assert {status for status, _ in FROM_UPSTREAM.values()} <= set(CaseStatus.values)


@pytest.mark.django_db
def test_the_timeline_is_append_only():
    case = make_case()
    event = case.move(CaseStatus.SUBMITTING, message="submitting")

    with pytest.raises(HistoryIsAppendOnly):
        event.save()
    with pytest.raises(HistoryIsAppendOnly):
        CaseEvent.objects.filter(case=case).update(message="rewritten")
    with pytest.raises(HistoryIsAppendOnly):
        event.delete()


@pytest.mark.django_db
def test_references_are_unique_and_final_cases_are_closed():
    first, second = make_case(), make_case()
    assert first.reference != second.reference and first.reference.startswith("RF-")
    first.move(CaseStatus.CLOSED)
    assert first.closed_at is not None and first.is_final


@pytest.mark.django_db
def test_the_list_filters_and_the_action_needed_count():
    mine = make_case(status=CaseStatus.REFUSED, waiting_on=WaitingOn.US)
    make_case(status=CaseStatus.WAITING_SELLER, waiting_on=WaitingOn.SELLER)
    make_case(status=CaseStatus.WAITING_SELLER, waiting_on=WaitingOn.SELLER, needs_attention=True)
    make_case(status=CaseStatus.REFUNDED, waiting_on=WaitingOn.US, platform="1688")

    assert list(case_list(waiting_on=WaitingOn.US)) == [mine]
    assert case_list(platform="1688").count() == 1
    assert case_list(status=CaseStatus.WAITING_SELLER).count() == 2
    assert case_list(older_than_days=1).count() == 0
    assert action_needed_count() == 2


@pytest.mark.django_db
def test_the_admin_lists_and_shows_cases():
    case = make_case()
    case.note("opened")
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client = Client()
    client.force_login(admin)

    listing = client.get(reverse("admin:aftersales_refundcase_changelist"))
    page = client.get(reverse("admin:aftersales_refundcase_change", args=[case.pk]))

    assert listing.status_code == 200 and case.reference in listing.content.decode()
    assert page.status_code == 200
