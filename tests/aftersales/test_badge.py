"""The "action needed" badge: on every staff page, free on a warm cache, fresh after a change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.models import CaseStatus, RefundCase, WaitingOn
from tests.aftersales.factories import make_cases, text
from tests.orders.factories import client_for

BADGE = 'data-testid="aftersales-action-needed" title="Cases waiting on us">{}</span>'
pytestmark = pytest.mark.django_db


def case_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "aftersales_refundcase" in q["sql"]]


@pytest.mark.parametrize(
    "name", ["orders:index", "logistics:index", "dashboard", "aftersales:index"]
)
def test_the_badge_is_on_every_staff_page(staff_user, name):
    purchaser = staff_user("purchaser")
    make_cases(purchaser, 2, status=CaseStatus.REFUSED, waiting_on=WaitingOn.US)
    page = client_for(purchaser).get(reverse(name))
    assert page.status_code == 200 and BADGE.format(2) in text(page)


def test_a_warm_cache_costs_no_query_and_a_cold_one_costs_one(staff_user):
    purchaser = staff_user("purchaser")
    make_cases(purchaser, 1, status=CaseStatus.REFUSED, waiting_on=WaitingOn.US)
    client = client_for(purchaser)

    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("orders:index"))
    with CaptureQueriesContext(connection) as warm:
        page = client.get(reverse("orders:index"))

    assert len(case_queries(cold)) == 1 and case_queries(warm) == []
    assert BADGE.format(1) in text(page)


def test_a_case_that_changes_updates_the_badge_at_once(staff_user):
    purchaser = staff_user("purchaser")
    make_cases(purchaser, 2, status=CaseStatus.REFUSED, waiting_on=WaitingOn.US)
    client = client_for(purchaser)
    assert BADGE.format(2) in text(client.get(reverse("orders:index")))

    case = RefundCase.objects.first()
    case.status, case.waiting_on = CaseStatus.WAITING_SELLER, WaitingOn.SELLER
    case.save(update_fields=["status", "waiting_on", "updated_at"])
    assert BADGE.format(1) in text(client.get(reverse("orders:index")))

    RefundCase.objects.exclude(pk=case.pk).get().delete()
    assert "aftersales-action-needed" not in text(client.get(reverse("orders:index")))


def test_users_without_after_sales_see_no_badge_and_pay_nothing(staff_user):
    make_cases(staff_user("purchaser"), 1, status=CaseStatus.REFUSED, waiting_on=WaitingOn.US)
    client = client_for(staff_user("finance"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("orders:index"))
    assert "aftersales-action-needed" not in text(page) and case_queries(queries) == []
