"""Tick while the sandbox's callbacks are delivered on other threads.

Each order a tick moves sends a signed callback once its step commits; the callback reaches
Caigou over HTTP on another server thread while the tick goes on moving the next orders. Every
thread must have a database connection of its own: one connection shared by the tick and a
callback's request interleaves their statements inside each other's transactions, and the
tick answers 500 ("cannot release savepoint - SQL statements in progress").
"""

from __future__ import annotations

import pytest
import requests

from tests.orders.conftest import control_headers
from tests.upstream.factories import make_order, small_catalogue
from upstream import accounts
from upstream.sandbox.callbacks import wait_for_deliveries
from upstream.sandbox.models import Callback, Order, Sku
from upstream.sandbox.statuses import Taobao

ORDERS = 12
ROUNDS = 3


@pytest.fixture
def catalogue(db) -> Sku:
    return small_catalogue()


@pytest.fixture
def wired(live_server, settings, catalogue):
    """Callbacks on, sent to the live server that also serves the sandbox."""
    settings.SANDBOX_CALLBACKS_ENABLED = True
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    yield live_server.url
    assert wait_for_deliveries(30)
    accounts.close_sessions(live_server.url)


def test_tick_answers_while_its_callbacks_are_delivered(wired, catalogue):
    for n in range(ORDERS):
        make_order(catalogue, status=Taobao.WAIT_SEND, outer_ref=f"PO-{n}", order_id=f"40{n:02d}")

    answers = []
    for _ in range(ROUNDS):
        tick = requests.post(
            f"{wired}/sandbox/_control/tick", headers=control_headers(), timeout=60
        )
        answers.append(tick)
        assert wait_for_deliveries(30)

    assert [answer.status_code for answer in answers] == [200] * ROUNDS
    assert answers[0].json()["steps"]["orders.ship_paid_orders"] == ORDERS
    assert wait_for_deliveries(30)
    assert Order.objects.filter(status=Taobao.WAIT_CONFIRM).count() == ORDERS
    sent = Callback.objects.values_list("status", flat=True)
    assert len(sent) >= ORDERS and set(sent) == {Callback.Status.DELIVERED}
