"""Taobao orders reach the warehouse when the seller's parcel is signed for there (Taobao has no
status for it): from the logistics sweeper and from the warehouse-lines page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logistics.services.arrivals import arrivals_check, arrivals_progress, order_arrival_check
from logistics.tasks import sweep_parcels
from purchasing.services.orders.lifecycle import order_refresh
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order


@pytest.fixture
def shipped(live, people):
    """A paid Taobao order the sandbox's seller shipped (one tick), not arrived yet."""
    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    live.control("tick")
    order = order_refresh(order_id=order.pk)
    assert (
        order.status == OrderStatus.SHIPPED and order.upstream_status == "WAIT_BUYER_CONFIRM_GOODS"
    )
    return order


def test_a_parcel_on_its_way_leaves_the_order_shipped(shipped):
    assert order_arrival_check(order_id=shipped.pk) is False
    shipped.refresh_from_db()
    assert shipped.status == OrderStatus.SHIPPED


def test_signed_for_at_the_warehouse_moves_the_order_once(live, shipped):
    live.control("tick")  # the parcel arrives: the trace ends with SIGN

    assert order_arrival_check(order_id=shipped.pk) is True
    assert order_arrival_check(order_id=shipped.pk) is False

    shipped.refresh_from_db()
    assert shipped.status == OrderStatus.AT_WAREHOUSE
    arrivals = shipped.events.filter(to_status=OrderStatus.AT_WAREHOUSE)
    assert arrivals.count() == 1
    event = arrivals.get()
    assert event.actor_label == "warehouse" and "signed for" in event.message
    assert shipped.lines.first().tracking_no in event.message


def test_the_sweeper_checks_shipped_taobao_orders(live, shipped):
    live.control("tick")

    sweep_parcels.apply().get()

    shipped.refresh_from_db()
    assert shipped.status == OrderStatus.AT_WAREHOUSE


def test_the_warehouse_page_check_runs_as_a_task_and_shows_what_it_found(
    live, people, shipped, client
):
    client.force_login(people.purchaser)
    page = reverse("logistics:warehouse")
    assert shipped.reference not in client.get(page).content.decode()

    waiting = client.post(reverse("logistics:arrivals_refresh"), follow=True)
    assert waiting.redirect_chain[-1][0].startswith(page + "?arrivals=")
    assert "none arrived yet" in waiting.content.decode()

    live.control("tick")
    arrived = client.post(reverse("logistics:arrivals_refresh"), follow=True)

    body = arrived.content.decode()
    job = arrived.redirect_chain[-1][0].split("?arrivals=")[1]
    assert arrivals_progress(job) | {"moved": [shipped.reference], "finished": True} == (
        arrivals_progress(job)
    )
    assert f"1 order reached the warehouse: {shipped.reference}" in body
    assert 'data-finished="true"' in body and "hx-trigger" not in body.split("arrivals-slot")[1]
    assert body.count('data-testid="warehouse-line"') == shipped.lines.count()


def test_refresh_from_upstream_moves_a_signed_for_taobao_order_to_the_warehouse(
    live, people, shipped, client
):
    """The order page's refresh reads the Taobao traces too, not only the status (which stays
    WAIT_BUYER_CONFIRM_GOODS after the parcel is signed for)."""
    live.control("tick")  # signed for at the warehouse
    client.force_login(people.purchaser)

    client.post(reverse("orders:refresh", args=[shipped.pk]))

    shipped.refresh_from_db()
    assert shipped.status == OrderStatus.AT_WAREHOUSE
    assert shipped.upstream_status == "WAIT_BUYER_CONFIRM_GOODS"
    assert "signed for" in shipped.events.get(to_status=OrderStatus.AT_WAREHOUSE).message


def test_a_refresh_before_the_parcel_is_signed_for_leaves_it_shipped(live, shipped):
    assert order_refresh(order_id=shipped.pk).status == OrderStatus.SHIPPED


def test_1688_orders_are_left_to_their_own_status(live, people):
    order = submitted_order(people, platform="1688")
    order_pay(orders=[order], actor=people.finance)
    live.control("tick")
    live.control("tick")
    order = order_refresh(order_id=order.pk)
    assert order.status == OrderStatus.SHIPPED

    assert arrivals_check().checked == 0
    assert order_arrival_check(order_id=order.pk) is False
