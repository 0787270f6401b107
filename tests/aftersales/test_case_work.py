"""After-sales cases in the work queue: taken, assigned, put back, idle claims expire, and the
holder's "My work" lists them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.models import CaseStatus, RefundCase
from aftersales.queue import case_workload, cases_held_by
from aftersales.services.work import case_assign, case_claim, release_idle_case_claims
from aftersales.tasks import release_idle_claims
from purchasing.models import TakenHow
from purchasing.services.orders.common import NotAllowed
from purchasing.services.orders.work import WorkError
from tests.aftersales.factories import make_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(staff_user) -> RefundCase:
    make_cases(staff_user("purchaser"), 1)
    return RefundCase.objects.get()


def test_a_case_is_claimed_once_and_assigned_by_an_approver(case, staff_user):
    first, second, approver = (
        staff_user("purchaser"),
        staff_user("purchaser"),
        staff_user("approver"),
    )
    case_claim(case=case, actor=first)
    with pytest.raises(WorkError, match=f"already with {first.username}"):
        case_claim(case=case, actor=second)

    case_assign(case=case, assignee=second, actor=approver)

    case.refresh_from_db()
    assert case.assignee == second and case.taken_how == TakenHow.ASSIGNED
    assert list(case.events.filter(kind="work").values_list("message", flat=True)) == [
        f"Claimed by {first.username}.",
        f"Assigned to {second.username}.",
    ]


def test_finance_takes_no_case_and_a_closed_case_has_no_work(case, staff_user):
    with pytest.raises(NotAllowed):
        case_claim(case=case, actor=staff_user("finance"))
    RefundCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(WorkError, match="closed"):
        case_claim(case=case, actor=staff_user("purchaser"))


def test_an_idle_case_claim_expires_through_the_task(case, staff_user, settings):
    settings.CAIGOU_CLAIM_EXPIRES_MINUTES = 30
    holder = staff_user("purchaser")
    case_claim(case=case, actor=holder)
    assert release_idle_case_claims(now=timezone.now() + timedelta(minutes=29)) == 0
    assert release_idle_case_claims(now=timezone.now() + timedelta(minutes=31)) == 1
    case.refresh_from_db()
    assert case.assignee is None
    assert "expired after 30 minutes" in case.events.filter(kind="work").last().message

    settings.CAIGOU_CLAIM_EXPIRES_MINUTES = 0
    case_claim(case=case, actor=holder)
    assert release_idle_claims.delay().get() == 1


def test_held_cases_and_workload(case, staff_user, settings):
    settings.CAIGOU_ORDER_SLA_HOURS = 24
    holder = staff_user("purchaser")
    case_claim(case=case, actor=holder)
    assert [c.pk for c in cases_held_by(holder)] == [case.pk]
    assert case_workload() == {holder.pk: {"open": 1, "overdue": 0}}
    later = timezone.now() + timedelta(hours=25)
    assert case_workload(now=later) == {holder.pk: {"open": 1, "overdue": 1}}


def test_the_case_page_shows_the_claim_window_and_the_work_buttons(case, client_as, settings):
    from purchasing.models import OrderEvent

    settings.CAIGOU_AUTO_CONFIRM_DAYS, settings.CAIGOU_CLAIM_WINDOW_DAYS = 10, 15
    OrderEvent.objects.create(
        order=case.order,
        actor_label="upstream",
        from_status="paid",
        to_status="shipped",
        created_at=timezone.now() - timedelta(days=23, hours=1),
    )

    html = client_as("approver").get(f"/aftersales/{case.pk}/").content.decode()

    assert "Refunds and returns can no longer be opened: <strong>in 1 day</strong>" in html
    assert "Take" in html and "Assign to…" in html
