"""The dashboard's lead-time chart is drawn from data written into the page (no empty box while
a request for it is on its way), and says so in a sentence when there is nothing to draw."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.orders.factories import PurchaseOrderFactory
from tests.reports.conftest import paid_with_events

pytestmark = pytest.mark.django_db


def _lead_times(body: str):
    found = re.search(r'<script id="lead-times-data" type="application/json">(.*?)</script>', body)
    return json.loads(found.group(1)) if found else None


def test_the_chart_data_is_in_the_page(client_as):
    paid_with_events(timezone.now() - timedelta(days=6), shipped_days=2, warehouse_days=5)

    body = client_as("approver").get(reverse("dashboard")).content.decode()

    data = _lead_times(body)
    ship, warehouse = (d["data"] for d in data["datasets"])
    assert sum(ship) == 1 and sum(warehouse) == 1
    assert 'data-chart-data="lead-times-data"' in body
    assert 'data-testid="lead-times-empty"' not in body


def test_no_shipment_yet_is_a_sentence_not_an_empty_box(client_as):
    PurchaseOrderFactory(status="awaiting_approval")

    body = client_as("approver").get(reverse("dashboard")).content.decode()

    assert 'data-testid="lead-times-empty"' in body
    assert "has shipped yet" in body
    assert _lead_times(body) is None and "charts/lead-times.json" not in body
