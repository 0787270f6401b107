"""Freight estimates and domestic logistics against the live sandbox."""

from __future__ import annotations

import pytest

from logistics.services import LogisticsError, freight_estimate, line_domestic_update
from tests.logistics.conftest import CUSTOMER, at_warehouse
from upstream.sandbox.models import OrderLine as SandboxLine
from upstream.types.logistics import WEIGHT_ACTUAL, WEIGHT_VOLUMETRIC


def _assert_ranked(estimate):
    quotes = estimate.quotes
    assert quotes, "the sandbox offers services to the US"
    assert [q.price_fen for q in quotes] == sorted(q.price_fen for q in quotes)
    assert sum(q.is_cheapest for q in quotes) == 1 and sum(q.is_fastest for q in quotes) == 1
    assert estimate.cheapest is quotes[0]
    assert estimate.fastest.days_max == min(q.days_max for q in quotes)
    for quote in quotes:
        assert quote.weight_basis in (WEIGHT_ACTUAL, WEIGHT_VOLUMETRIC)
        assert quote.price_fen > 0 and quote.chargeable_weight_g > 0 and quote.days_max > 0


def test_estimate_for_one_item_and_quantity(live, people):
    order = at_warehouse(people)
    line = order.lines.first()

    estimate = freight_estimate(
        items=[{"item_id": line.item_id, "sku_id": line.sku_id, "quantity": 3}],
        destination=CUSTOMER,
    )

    _assert_ranked(estimate)
    assert estimate.country == "US" and not estimate.render_id


def test_estimate_for_order_lines_is_a_render(live, people):
    order = at_warehouse(people, picks=2)

    estimate = freight_estimate(items=list(order.lines.all()), destination=CUSTOMER)

    _assert_ranked(estimate)
    assert estimate.render_id and estimate.expires_at


def test_domestic_logistics_is_told_upstream_and_kept_on_the_line(live, people):
    order = at_warehouse(people)
    line = order.lines.first()

    line_domestic_update(
        line=line, company="中通快递", tracking_no="ZT123456789", actor=people.purchaser
    )
    line_domestic_update(
        line=line, company="中通快递", tracking_no="ZT123456789", actor=people.purchaser
    )

    line.refresh_from_db()
    assert (line.tracking_company, line.tracking_no) == ("中通快递", "ZT123456789")
    upstream = SandboxLine.objects.get(order__order_id=order.upstream_order_id)
    assert upstream.tracking_no == "ZT123456789"
    assert order.events.filter(kind="domestic_logistics").count() == 1


def test_domestic_logistics_needs_a_tracking_number(live, people):
    order = at_warehouse(people)
    with pytest.raises(LogisticsError, match="tracking number is required"):
        line_domestic_update(
            line=order.lines.first(), company="中通", tracking_no=" ", actor=people.purchaser
        )
