"""Order tests: people in each role, and the sandbox upstream over real HTTP (live_server)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
import requests
from django.conf import settings

from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import order_create_from_items, order_preview
from purchasing.statuses import OrderStatus
from tests.orders.factories import ADDRESS
from tests.purchasing.factories import StaffUserFactory
from tests.upstream.factories import pick
from upstream import accounts
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.orders import foreign


@dataclass
class People:
    purchaser: object
    approver: object
    finance: object


@pytest.fixture
def people(db) -> People:
    return People(
        purchaser=StaffUserFactory(role="purchaser"),
        approver=StaffUserFactory(role="approver"),
        finance=StaffUserFactory(role="finance"),
    )


def control_headers() -> dict[str, str]:
    """What the sandbox's control API asks of a script: its token."""
    return {"Authorization": f"Bearer {settings.SANDBOX_CONTROL_TOKEN}"}


@dataclass
class Live:
    url: str

    def control(self, path: str, method: str = "post", **payload):
        response = requests.request(
            method,
            f"{self.url}/sandbox/_control/{path}",
            json=payload or None,
            headers=control_headers(),
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def ledger(self, reference: str) -> list[dict]:
        response = requests.get(
            f"{self.url}/sandbox/_control/ledger",
            params={"outer_ref": reference},
            headers=control_headers(),
            timeout=10,
        )
        return response.json()["entries"]

    def creates(self, reference: str) -> list[dict]:
        return [e for e in self.ledger(reference) if e["kind"] == "create"]


class LoadedDice(random.Random):
    """Dice that always roll `value`, so the orders the documented sandbox has someone else
    place beside ours (`foreign.shadow`) land the same way every run: unpaid, and a fixed time
    before ours."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


# foreign.shadow's rolls: a look-alike placed a minute before ours (inside the window of our
# create attempts, so it is a candidate), or most of an hour before (outside it).
CLOSE, EARLY = 0.4, 0.9


@pytest.fixture
def live(live_server, settings, transactional_db, monkeypatch) -> Live:
    """The clients pointed at the sandbox served by live_server, as tests/upstream does.
    Under the documented profile, every create of ours has a look-alike placed a minute
    before it by someone else (`early_look_alikes` moves them out of the look-up's window)."""
    monkeypatch.setattr(foreign, "_rng", LoadedDice(CLOSE))
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    seed_catalogue(products=60)
    yield Live(live_server.url)
    # Kept-alive connections would hold live-server threads (and their connections) open.
    accounts.close_sessions(live_server.url)


@pytest.fixture
def early_look_alikes(live, monkeypatch) -> None:
    """The documented sandbox's look-alikes are placed most of an hour before ours: outside
    the window of our create attempts, so they are never candidates."""
    monkeypatch.setattr(foreign, "_rng", LoadedDice(EARLY))


def previewed_order(people, *, platform: str = "taobao", picks: int = 1, actor=None):
    """A staff-built order of sandbox SKUs, previewed."""
    chosen = []
    for _ in range(picks):
        chosen.append(pick(platform, other_than=tuple(chosen)))
    items = [
        {
            "item_id": p.product.item_id,
            "sku_id": p.sku.sku_id,
            "spec_id": p.sku.spec_id,
            "quantity": p.quantity,
        }
        for p in chosen
    ]
    actor = actor or people.purchaser
    order = order_create_from_items(platform=platform, items=items, address=ADDRESS, actor=actor)
    order_preview(order=order, actor=actor)
    order.refresh_from_db()
    return order


def submitted_order(people, **kwargs):
    """Previewed and confirmed by an approver (whose limit is the site threshold): with eager
    tasks the submit task has run when this returns."""
    order = previewed_order(people, actor=people.approver, **kwargs)
    order_confirm(order=order, actor=people.approver)
    order.refresh_from_db()
    return order


@pytest.fixture
def paid(live, people):
    """A Taobao order submitted and paid through the live sandbox."""
    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    return order


@pytest.fixture
def signed_in(staff_user, client):
    """`signed_in("finance")` -> (client, user)."""

    def make(role: str):
        user = staff_user(role)
        client.force_login(user)
        return client, user

    return make


@pytest.fixture
def purchaser(staff_user):
    """A purchaser who may commit up to ¥2,000 on their own."""
    user = staff_user("purchaser")
    user.staff_profile.order_limit_fen = 200_000
    user.staff_profile.save()
    return user
