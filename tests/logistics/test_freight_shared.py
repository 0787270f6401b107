"""One freight estimate for everything: the item page's landed cost, the freight estimate page
and the order preview show the same cheapest figure for the same goods, from one upstream
call."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from purchasing.services.freight import default_destination, freight_estimate
from tests.orders.conftest import previewed_order
from upstream.client import Transport
from upstream.sandbox.models import Fault


@pytest.fixture
def upstream_calls(monkeypatch) -> list[str]:
    """The upstream operations called from now on, in order."""
    called: list[str] = []
    real_call = Transport.call

    def recording_call(self, op, *args, **kwargs):
        called.append(op if isinstance(op, str) else op.name)
        return real_call(self, op, *args, **kwargs)

    monkeypatch.setattr(Transport, "call", recording_call)
    return called


def _figure(body: str, testid: str, attribute: str = "data-testid") -> str:
    found = re.search(rf'{attribute}="{testid}"[^>]*>([^<]+)<', body)
    assert found, f"{testid} not on the page"
    return found.group(1).strip()


def test_the_three_pages_show_one_cheapest_figure_from_one_call(
    live, people, client, upstream_calls
):
    order = previewed_order(people)
    line = order.lines.get()
    client.force_login(people.approver)
    upstream_calls.clear()
    expected = freight_estimate(
        items=[
            {
                "item_id": line.item_id,
                "sku_id": line.sku_id,
                "quantity": line.quantity,
                "price_fen": line.unit_price_fen,
            }
        ]
    ).cheapest

    landed = client.get(
        reverse("goods:landed_cost", args=[order.platform, line.item_id]),
        {"sku_id": line.sku_id, "quantity": line.quantity},
    ).content.decode()
    destination = default_destination()
    estimate_page = client.get(
        reverse("logistics:freight"),
        {
            "item_id": line.item_id,
            "sku_id": line.sku_id,
            "quantity": line.quantity,
            "country": destination.country,
            "city": destination.city,
            "postcode": destination.zip,
        },
    ).content.decode()
    preview = client.get(reverse("checkout:preview", args=[order.pk])).content.decode()

    shown = {
        "landed cost": _figure(landed, "freight", "data-part"),
        "estimate page": _figure(estimate_page, "cheapest-price"),
        "order preview": _figure(preview, "overseas-cheapest"),
    }
    assert len(set(shown.values())) == 1, shown
    assert f"{expected.price_fen / 100:,.2f}" in shown["order preview"]
    assert upstream_calls.count("logistics_item_price") == 1
    assert "logistics_order_render_freight" not in upstream_calls


def test_several_lines_are_one_parcel_on_the_preview(live, people, client):
    order = previewed_order(people, picks=2)
    client.force_login(people.approver)

    body = client.get(reverse("checkout:preview", args=[order.pk])).content.decode()

    parcel = freight_estimate(items=list(order.lines.all()))
    assert parcel.render_id
    assert f"{parcel.cheapest.price_fen / 100:,.2f}" in _figure(body, "overseas-cheapest")


def test_the_preview_still_shows_when_the_estimate_fails(live, people, client):
    order = previewed_order(people)
    cache.clear()
    Fault.objects.create(path="logistics_item_price", mode=Fault.Mode.ERROR)
    client.force_login(people.approver)

    response = client.get(reverse("checkout:preview", args=[order.pk]))

    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="preview-total"' in body
    assert "Overseas freight estimate unavailable" in body
    assert 'data-testid="overseas-cheapest"' not in body
