"""The work queue through the pages: the buttons on the exceptions list and the order page,
"My work", the dashboard's workload and the wait reasons report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from purchasing.models import OrderWait, PurchaseOrder
from purchasing.services.orders.work import order_assign, order_claim
from tests.orders.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db


def signed(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_approver_assigns_from_the_order_page_and_it_is_in_my_work(people):
    order = PurchaseOrderFactory()
    approver = signed(people.approver)
    assert "Assign to…" in page(approver, f"/orders/{order.pk}/")

    response = approver.post(
        f"/orders/{order.pk}/assign/", {"assignee": people.purchaser.pk}, follow=True
    )

    assert (
        f"{order.reference} assigned to {people.purchaser.username}." in response.content.decode()
    )
    mine = page(signed(people.purchaser), "/work/")
    assert order.reference in mine and "Assigned" in mine
    assert order.reference not in page(approver, "/work/")


def test_a_purchaser_takes_an_order_from_the_exceptions_queue(people):
    order = PurchaseOrderFactory(needs_attention=True, attention_reason="price moved")
    client = signed(people.purchaser)
    html = page(client, "/orders/exceptions/")
    assert "Take" in html and "Assign to…" not in html

    response = client.post(
        f"/orders/{order.pk}/claim/", {"next": "/orders/exceptions/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/orders/exceptions/"
    assert f"Claimed by {people.purchaser.username}" in response.content.decode()
    assert PurchaseOrder.objects.get(pk=order.pk).assignee == people.purchaser


def test_a_second_taker_is_told_who_has_it(people, staff_user):
    order = PurchaseOrderFactory()
    order_claim(order=order, actor=people.purchaser)

    response = signed(staff_user("purchaser")).post(f"/orders/{order.pk}/claim/", follow=True)

    assert f"already with {people.purchaser.username}" in response.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "999999", "1 OR 1=1"])
def test_a_hostile_assignee_is_answered_with_a_message(people, value):
    order = PurchaseOrderFactory()
    response = signed(people.approver).post(
        f"/orders/{order.pk}/assign/", {"assignee": value, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == f"/orders/{order.pk}/"
    assert PurchaseOrder.objects.get(pk=order.pk).assignee is None


@pytest.mark.parametrize(
    "target", ["abc", "1e309", "２", "/orders/\nSet-Cookie: x=1", "//evil.example/", "javascript:x"]
)
def test_a_hostile_next_sends_the_person_back_to_the_order(people, target):
    order = PurchaseOrderFactory()
    client = signed(people.approver)
    for action in ("claim", "release"):
        response = client.post(f"/orders/{order.pk}/{action}/", {"next": target})
        assert response.status_code == 302 and response.url == f"/orders/{order.pk}/", action
    response = client.post("/orders/bulk/", {"action": "pay", "next": target})
    assert response.status_code < 500


def test_the_wait_reason_is_asked_past_the_sla_and_recorded(people, settings):
    settings.CAIGOU_ORDER_SLA_HOURS = 24
    order = PurchaseOrderFactory()
    client = signed(people.purchaser)
    assert "Why is it waiting?" not in page(client, f"/orders/{order.pk}/")
    PurchaseOrder.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(hours=30)
    )
    assert "Why is it waiting?" in page(client, f"/orders/{order.pk}/")

    response = client.post(
        f"/orders/{order.pk}/wait-reason/", {"reason": "stock_check", "note": "asked"}, follow=True
    )

    assert "The reason is on the timeline." in response.content.decode()
    assert OrderWait.objects.get().reason == "stock_check"
    bad = client.post(f"/orders/{order.pk}/wait-reason/", {"reason": "lunch"}, follow=True)
    assert "Choose a reason from the list." in bad.content.decode()
    assert OrderWait.objects.count() == 1


def test_the_dashboard_shows_workload_and_the_report_counts_reasons(people, settings):
    settings.CAIGOU_ORDER_SLA_HOURS = 24
    old = PurchaseOrderFactory()
    PurchaseOrder.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    for order in (old, PurchaseOrderFactory()):
        order_assign(order=order, assignee=people.purchaser, actor=people.approver)
    # A reason given 25 hours ago no longer answers for the wait: the order is overdue again.
    OrderWait.objects.create(
        order=old,
        reason="waiting_seller",
        actor=people.purchaser,
        created_at=timezone.now() - timedelta(hours=25),
    )
    approver = signed(people.approver)

    dashboard = page(approver, "/dashboard/")

    assert "Workload" in dashboard
    row = dashboard.split('data-testid="workload-row"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0].split(">")[-1] for c in row.split("<td")[1:]]
    assert cells[0] == people.purchaser.username and cells[1:4] == ["2", "0", "2"]
    assert "<strong>1</strong>" in row
    report = page(approver, "/reports/wait-reasons/?days=7")
    assert 'Waiting for the seller</td><td class="num">1' in report
    assert page(approver, "/reports/wait-reasons/?days=x").count("wait-reason-row") == 5
