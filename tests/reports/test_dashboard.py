"""Dashboard figures and chart series against hand-computed data; flat query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports import dashboard
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.reports.conftest import local, paid_with_events

pytestmark = pytest.mark.django_db
NOW = local(2026, 3, 12, 12, 0)  # a Thursday: the week began on Monday 9 March


@pytest.fixture
def paid_orders():
    """A: paid Tue 10 March ¥100, shipped after 2 days, at the warehouse after 5.
    B: paid 2 March ¥200, ¥50 refunded, shipped after 4 days. C: paid 20 February ¥400.
    D: waiting for approval."""
    a = paid_with_events(local(2026, 3, 10, 9, 0), shipped_days=2, warehouse_days=5)
    b = paid_with_events(local(2026, 3, 2, 9, 0), shipped_days=4)
    b.actual_fen, b.refunded_fen = 20_000, 5_000
    b.save()
    c = paid_with_events(local(2026, 2, 20, 9, 0), shipped_days=None)
    c.actual_fen = 40_000
    c.save()
    PurchaseOrderFactory(status="awaiting_approval")
    PurchaseOrderLineFactory(order=a, seller_name="Seller One", amount_fen=10_000)
    PurchaseOrderLineFactory(order=b, seller_name="Seller Two", amount_fen=20_000)
    return a, b, c


def test_figures(paid_orders):
    figures = dashboard.figures(now=NOW)
    assert figures["spend_week"]["fen"] == 10_000
    assert figures["spend_week"]["cny"] == "¥100.00"
    assert figures["spend_month"]["fen"] == 30_000
    assert figures["approvals_waiting"] == 1
    assert figures["orders_total"] == 4
    assert figures["days_to_ship"] == 3.0  # (2 + 4) / 2
    assert figures["days_to_warehouse"] == 5.0
    assert figures["refund_rate"] == 7.1  # ¥50 of ¥700
    assert (figures["refunded_orders"], figures["paid_orders"]) == (1, 3)
    counts = {row["status"]: row["count"] for row in figures["status_counts"]}
    assert counts["paid"] == 3 and counts["awaiting_approval"] == 1


def test_figures_show_the_display_currency(paid_orders):
    from purchasing.models import ExchangeRate

    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.00")
    assert dashboard.figures(now=NOW)["spend_week"]["display"] == "US$14.29"


def test_chart_series(paid_orders):
    per_day = dashboard.spend_per_day(days=30, now=NOW)
    assert len(per_day["labels"]) == 30 and per_day["labels"][-1] == "2026-03-12"
    values = dict(zip(per_day["labels"], per_day["datasets"][0]["data"], strict=True))
    assert values["2026-03-10"] == 100.0 and values["2026-03-02"] == 200.0
    assert values["2026-02-20"] == 400.0 and sum(values.values()) == 700.0

    sellers = dashboard.spend_by_seller(now=NOW)
    assert sellers["labels"] == ["Seller Two", "Seller One"]
    assert sellers["datasets"][0]["data"] == [200.0, 100.0]

    funnel = dashboard.status_funnel()
    reached = dict(zip(funnel["labels"], funnel["datasets"][0]["data"], strict=True))
    assert (reached["Created"], reached["Previewed"], reached["Paid"], reached["Shipped"]) == (
        4,
        4,
        3,
        0,
    )

    leads = dashboard.lead_times(now=NOW)
    ship, warehouse = (d["data"] for d in leads["datasets"])
    assert ship == [0, 0, 1, 1, 0, 0, 0]  # 2 days; 4 days
    assert warehouse == [0, 0, 0, 0, 1, 0, 0]  # 5 days


def _dashboard_queries(client, django_assert_max_num_queries, limit=40) -> dict[str, int]:
    counts = {}
    client.get(reverse("dashboard"))  # the first request of a session writes it
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    counts["dashboard"] = len(captured.captured_queries)
    for name in dashboard.CHARTS:
        with django_assert_max_num_queries(limit) as captured:
            assert client.get(reverse("reports:chart", args=[name])).status_code == 200
        counts[name] = len(captured.captured_queries)
    return counts


def test_dashboard_and_chart_query_counts_do_not_grow(client_as, django_assert_max_num_queries):
    client = client_as("approver")
    paid_with_events(local(2026, 3, 10, 9, 0), shipped_days=1)
    # One of each list the dashboard shows: a list's first row costs its prefetches once.
    PurchaseOrderFactory(status="awaiting_payment")
    few = _dashboard_queries(client, django_assert_max_num_queries)
    for day in range(1, 25):
        order = paid_with_events(local(2026, 3, day % 28 + 1, 9, 0), shipped_days=day % 7)
        PurchaseOrderLineFactory(order=order, seller_name=f"Seller {day}")
    PurchaseOrderFactory.create_batch(10, status="awaiting_payment")
    many = _dashboard_queries(client, django_assert_max_num_queries)
    assert many == few


def test_manager_dashboard_page_shows_figures_and_chart_canvases(client_as, paid_orders):
    page = client_as("finance").get(reverse("dashboard"))
    html = page.content.decode()
    assert 'data-testid="manager-figures"' in html
    # The fixture's orders were paid in March: no lead time in the period, a sentence instead.
    assert html.count("data-chart-url=") == 3 and 'data-testid="lead-times-empty"' in html
    assert "chart-4.6.1.umd.min.js" in html and "js/reports.js" in html
    assert "<script>" not in html  # no inline scripts (CSP)


def test_root_still_lands_on_the_dashboard(client_as):
    response = client_as("approver").get("/")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert reverse("dashboard") == "/dashboard/"
