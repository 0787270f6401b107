"""Each report's columns and totals against the hand-built history, and the filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.exports.reports import REPORTS
from tests.reports.conftest import read_csv, streamed

pytestmark = pytest.mark.django_db


def export_csv(client, language: str = "en", **filters) -> list[list[str]]:
    url = f"{reverse('reports:export')}?{_query(filters)}"
    response = client.post(url, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return read_csv(streamed(response))


def _query(filters: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(filters)


def test_orders_report_columns_and_totals(history, approver_client):
    rows = export_csv(approver_client, report="orders")

    assert rows[0] == [
        "Reference",
        "Created",
        "Platform",
        "Status",
        "Needs attention",
        "Seller",
        "Purchaser",
        "Storefront",
        "Goods (¥)",
        "Freight (¥)",
        "Discount (¥)",
        "Quoted total (¥)",
        "Paid (¥)",
        "Refunded (¥)",
        "Net spend (¥)",
        "Paid at",
        "Upstream order",
    ]
    assert rows[1:] == [
        [
            history.po2.reference,
            "2026-03-05 16:45:00",
            "1688",
            "Awaiting payment",
            "no",
            "'=HYPERLINK(1)",
            "bob",
            "",
            "50.00",
            "5.00",
            "0.00",
            "55.00",
            "",
            "0.00",
            "0.00",
            "",
            "",
        ],
        [
            history.po1.reference,
            "2026-03-01 09:30:00",
            "Taobao / Tmall",
            "Paid",
            "no",
            "Seller One",
            "alice",
            "Shop A",
            "200.00",
            "10.00",
            "0.00",
            "210.00",
            "210.00",
            "30.00",
            "180.00",
            "2026-03-02 10:00:00",
            "TB-1",
        ],
    ]
    page = approver_client.get(reverse("reports:index"), {"report": "orders"})
    totals = page.context["totals_row"]
    assert totals[8:15] == ["250.00", "15.00", "0.00", "265.00", "210.00", "30.00", "180.00"]


def test_lines_report_has_landed_cost_and_storefront_margin(history, approver_client):
    rows = export_csv(approver_client, report="lines")
    header = rows[0]
    by_item = {row[header.index("Item")]: dict(zip(header, row, strict=True)) for row in rows[1:]}

    teapot = by_item["1001"]  # ¥100 + half of ¥10 freight; sold for ¥150
    assert (teapot["Amount (¥)"], teapot["Freight share (¥)"], teapot["Landed cost (¥)"]) == (
        "100.00",
        "5.00",
        "105.00",
    )
    assert (teapot["Storefront"], teapot["Selling price (¥)"], teapot["Margin (¥)"]) == (
        "Shop A",
        "150.00",
        "45.00",
    )
    cups = by_item["1002"]  # staff line: no selling price, no margin
    assert (
        cups["Quantity"],
        cups["Landed cost (¥)"],
        cups["Selling price (¥)"],
        cups["Margin (¥)"],
    ) == (
        "2",
        "105.00",
        "",
        "",
    )
    assert by_item["2001"]["Landed cost (¥)"] == "55.00"
    assert by_item["2001"]["Title"] == "'=cmd|' /C calc'!A0"

    page = approver_client.get(reverse("reports:index"), {"report": "lines"})
    totals = dict(zip(header, page.context["totals_row"], strict=True))
    assert (totals["Amount (¥)"], totals["Landed cost (¥)"], totals["Margin (¥)"]) == (
        "250.00",
        "265.00",
        "45.00",
    )


def test_payments_refunds_and_parcels_reports(history, approver_client):
    payments = export_csv(approver_client, report="payments")
    assert payments[1][:6] == [
        "pay-po1",
        "2026-03-02 09:59:00",
        history.po1.reference,
        "Taobao / Tmall",
        "Succeeded",
        "210.00",
    ]
    assert payments[1][6:8] == ["pay", "alice"]  # the operation in words, not its name
    assert payments[1][10] == "settled: the upstream says PAID"
    chinese = export_csv(approver_client, report="payments", language="zh-hans")
    assert chinese[1][6] == "付款"
    assert chinese[1][10] == "已由上游确认：PAID"  # kept in English, said in the reader's words

    refunds = export_csv(approver_client, report="refunds")
    assert refunds[1][:10] == [
        "RF-TEST1",
        "2026-03-08 12:00:00",
        history.po1.reference,
        "Taobao / Tmall",
        "Refund only",
        "Refunded",
        "Broken",
        "30.00",
        "30.00",
        "yes",
    ]

    parcels = export_csv(approver_client, report="parcels")
    assert parcels[0] == [
        "Parcel",
        "Created",
        "Status",
        "Country",
        "Service",
        "Lines",
        "Quoted freight (¥)",
        "Freight (¥)",
        "Declared value (¥)",
        "Tracking",
        "Created by",
    ]
    assert parcels[1] == [
        "PC-TEST1",
        "2026-03-10 08:00:00",
        "Booked",
        "US",
        "Air",
        "1",
        "40.00",
        "42.00",
        "100.00",
        "TRK1",
        "alice",
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"platform": "1688"}, {"po2"}),
        ({"purchaser": "alice"}, {"po1"}),
        ({"storefront": "Shop A"}, {"po1"}),
        ({"status": "awaiting_payment"}, {"po2"}),
        ({"seller": "seller one"}, {"po1"}),
        ({"date_from": "2026-03-02", "date_to": "2026-03-31"}, {"po2"}),
        ({"date_to": "2026-03-01"}, {"po1"}),
    ],
)
def test_filters_choose_the_exported_orders(history, approver_client, filters, expected):
    rows = export_csv(approver_client, report="orders", **filters)
    references = {getattr(history, name).reference for name in expected}
    assert {row[0] for row in rows[1:]} == references
    page = approver_client.get(reverse("reports:index"), {"report": "orders", **filters})
    assert {row[0][0] for row in page.context["table"]} == references


def test_order_filters_reach_lines_payments_refunds_and_parcels(history, approver_client):
    assert [r[5] for r in export_csv(approver_client, report="lines", storefront="Shop A")[1:]] == [
        "1001",
        "1002",
    ]
    assert len(export_csv(approver_client, report="payments", platform="1688")) == 1  # header
    assert len(export_csv(approver_client, report="refunds", purchaser="alice")) == 2
    assert len(export_csv(approver_client, report="parcels", purchaser="bob")) == 1
    assert len(export_csv(approver_client, report="parcels", storefront="Shop A")) == 2
    # A line's own seller, not its order's
    assert [r[5] for r in export_csv(approver_client, report="lines", seller="HYPERLINK")[1:]] == [
        "2001"
    ]


def test_the_export_has_every_page_of_the_filtered_rows(history, approver_client):
    from tests.orders.factories import PurchaseOrderFactory

    PurchaseOrderFactory.create_batch(70, platform="1688", created_by=history.bob)
    page = approver_client.get(reverse("reports:index"), {"report": "orders", "platform": "1688"})
    assert len(page.context["table"]) == 50
    assert page.context["page"].paginator.count == 71

    rows = export_csv(approver_client, report="orders", platform="1688", page="2")
    assert len(rows) == 1 + 71


def test_bad_filters_show_an_error_and_export_nothing(history, approver_client):
    query = {"report": "orders", "date_from": "2026-03-09", "date_to": "2026-03-01"}
    page = approver_client.get(reverse("reports:index"), query)
    assert b"The end date is before the start date." in page.content
    assert b'data-testid="export-form"' not in page.content

    response = approver_client.post(
        f"{reverse('reports:export')}?{_query(query)}", {"format": "csv"}, follow=True
    )
    assert b"Correct the filters before exporting." in response.content


def test_status_choices_follow_the_report(history, approver_client):
    page = approver_client.get(reverse("reports:index"), {"report": "refunds"})
    choices = dict(page.context["form"].fields["status"].choices)
    assert "refunded" in choices and "paid" not in choices
    assert set(REPORTS) == {"orders", "lines", "payments", "refunds", "parcels"}


def test_empty_reports_page_says_so(approver_client):
    page = approver_client.get(reverse("reports:index"))
    assert page.status_code == 200
    assert b"Nothing to report yet." in page.content


@pytest.mark.parametrize("slug", list(REPORTS))
def test_report_page_query_count_does_not_grow(
    history, approver_client, django_assert_max_num_queries, slug
):
    from tests.orders.factories import PurchaseOrderLineFactory

    approver_client.get(reverse("reports:index"))  # the session's first request writes it
    with django_assert_max_num_queries(20) as few:
        approver_client.get(reverse("reports:index"), {"report": slug})
    PurchaseOrderLineFactory.create_batch(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        approver_client.get(reverse("reports:index"), {"report": slug})
