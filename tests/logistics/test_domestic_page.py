"""The domestic tracking page of an order line: staff enter the seller's carrier and tracking
number the upstream lacks; it is told to the warehouse and shown on the line."""

from __future__ import annotations

from django.urls import reverse

from tests.logistics.conftest import at_warehouse
from tests.orders.conftest import previewed_order
from upstream.sandbox.models import OrderLine as SandboxLine


def test_staff_enter_domestic_tracking_and_see_it_on_the_line(live, people, client):
    order = at_warehouse(people)
    line = order.lines.first()
    client.force_login(people.purchaser)
    url = reverse("logistics:line_domestic", args=[line.pk])

    before = client.get(url).content.decode()
    saved = client.post(url, {"company": " 中通快递 ", "tracking_no": "zt 1234 5678 90"})

    assert "No domestic tracking known" in before
    assert saved.status_code == 302 and saved.url == url
    page = client.get(url).content.decode()
    assert "中通快递" in page and "ZT1234567890" in page and "told to the warehouse" in page
    line.refresh_from_db()
    assert (line.tracking_company, line.tracking_no) == ("中通快递", "ZT1234567890")
    upstream = SandboxLine.objects.get(order__order_id=order.upstream_order_id)
    assert upstream.tracking_no == "ZT1234567890"
    order_page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "中通快递 ZT1234567890" in order_page
    assert order.events.filter(kind="domestic_logistics").count() == 1
    warehouse = client.get(reverse("logistics:warehouse")).content.decode()
    assert "ZT1234567890" in warehouse and "Change tracking" in warehouse


def test_bad_input_is_refused_field_by_field(live, people, client):
    order = at_warehouse(people)
    line = order.lines.first()
    client.force_login(people.purchaser)

    response = client.post(
        reverse("logistics:line_domestic", args=[line.pk]), {"company": "", "tracking_no": "#1"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-company"' in body and "Name the carrier" in body
    assert 'data-testid="error-tracking_no"' in body and "6 to 40 letters" in body
    line.refresh_from_db()
    assert not line.tracking_no


def test_an_order_not_yet_paid_is_refused_with_a_sentence(live, people, client):
    order = previewed_order(people)
    line = order.lines.first()
    client.force_login(people.purchaser)

    response = client.post(
        reverse("logistics:line_domestic", args=[line.pk]),
        {"company": "中通快递", "tracking_no": "ZT1234567890"},
    )

    assert response.status_code == 400
    assert "domestic logistics can be told while it is paid" in response.content.decode()


def test_finance_cannot_enter_tracking(live, people, client):
    order = at_warehouse(people)
    client.force_login(people.finance)
    url = reverse("logistics:line_domestic", args=[order.lines.first().pk])
    assert client.get(url).status_code == 403
