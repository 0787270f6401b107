"""The logistics lists without the upstream: lines at the warehouse by age, paged, and parcels
whose booking failed, flagged for a person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from logistics.models import Address, Parcel, ParcelStatus
from purchasing.models import OrderEvent
from purchasing.statuses import OrderStatus
from tests.logistics.conftest import CUSTOMER
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

pytestmark = pytest.mark.django_db


def arrived(lines: int, *, days_ago: float, **order_fields):
    """An order at the warehouse since `days_ago`, with `lines` lines."""
    order = PurchaseOrderFactory(status=OrderStatus.AT_WAREHOUSE, **order_fields)
    OrderEvent.objects.create(
        order=order,
        from_status=OrderStatus.SHIPPED,
        to_status=OrderStatus.AT_WAREHOUSE,
        actor_label="warehouse",
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    PurchaseOrderLineFactory.create_batch(lines, order=order)
    return order


def rows(response) -> int:
    return response.content.decode().count('data-testid="warehouse-line"')


def test_warehouse_lines_are_paged_longest_waiting_first(client_as):
    arrived(20, days_ago=10)
    arrived(7, days_ago=1)
    client = client_as("purchaser")

    first = client.get(reverse("logistics:warehouse"))
    second = client.get(reverse("logistics:warehouse"), {"page": 2})

    body = first.content.decode()
    assert rows(first) == 25 and rows(second) == 2
    assert "27 lines waiting" in body and 'data-testid="overdue-count">20 overdue' in body
    assert body.count('data-testid="overdue"') == 20
    assert "page 1 of 2" in body and "?page=2" in body
    assert 'data-testid="overdue"' not in second.content.decode()


def test_the_age_filter_and_the_overdue_flag_survive_paging(client_as, settings):
    settings.CAIGOU_WAREHOUSE_WAIT_DAYS = 3
    arrived(30, days_ago=5)
    arrived(4, days_ago=2)
    arrived(2, days_ago=0.1)
    client = client_as("purchaser")

    older = client.get(reverse("logistics:warehouse"), {"min_days": 2})
    overdue = client.get(reverse("logistics:warehouse"), {"overdue": "on", "page": 2})

    assert rows(older) == 25 and "34 lines waiting" in older.content.decode()
    assert "?min_days=2&page=2" in older.content.decode()
    assert rows(overdue) == 5
    assert overdue.content.decode().count('data-testid="overdue"') == 5


def test_a_bad_age_is_refused_with_a_sentence(client_as):
    arrived(1, days_ago=1)
    response = client_as("purchaser").get(reverse("logistics:warehouse"), {"min_days": "-1"})
    assert response.status_code == 400 and "Days start at 0." in response.content.decode()


def test_a_search_finds_one_order_among_many_and_survives_paging(client_as):
    arrived(30, days_ago=5)
    wanted = arrived(2, days_ago=1, reference="CG20261122ABCDEF0123")
    client = client_as("purchaser")

    found = client.get(reverse("logistics:warehouse"), {"q": " abcdef0123 "})
    nothing = client.get(reverse("logistics:warehouse"), {"q": "CG1999"})
    too_long = client.get(reverse("logistics:warehouse"), {"q": "x" * 101})

    body = found.content.decode()
    assert rows(found) == 2 and "2 lines waiting" in body
    assert body.count(f"Tick {wanted.reference} line") == 2
    assert "No lines match these filters." in nothing.content.decode()
    assert too_long.status_code == 400
    assert "Search for at most 100 characters." in too_long.content.decode()


def test_no_lines_match_says_so(client_as):
    arrived(1, days_ago=1)
    response = client_as("purchaser").get(reverse("logistics:warehouse"), {"overdue": "on"})
    assert "No lines match these filters." in response.content.decode()


@pytest.mark.parametrize("count", [2, 60])
def test_the_warehouse_lines_use_a_fixed_number_of_queries(
    client_as, django_assert_max_num_queries, count
):
    arrived(count, days_ago=9)
    client = client_as("purchaser")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("logistics:warehouse"))
    with django_assert_max_num_queries(10):
        home = client.get(reverse("logistics:index"))
    assert rows(page) == min(count, 25) and rows(home) == min(count, 10)
    assert f"All lines by age ({count})" in home.content.decode()


def test_a_failed_booking_needs_attention_with_its_reason(client_as):
    address = Address.objects.create(**{**CUSTOMER, "phone": "+15035550100"})
    common = {
        "address": address,
        "country": "US",
        "service_id": "PP-STD",
        "customs_description": "boxes",
    }
    Parcel.objects.create(**common, status=ParcelStatus.BOOKED, reference="CP1")
    Parcel.objects.create(
        **common,
        status=ParcelStatus.FAILED,
        reference="CP2",
        failure_reason="refused: 1003 the line is not in the warehouse",
    )
    client = client_as("purchaser")

    home = client.get(reverse("logistics:index")).content.decode()
    flagged = client.get(reverse("logistics:index"), {"attention": "on"}).content.decode()

    assert 'data-testid="attention-count">1<' in home
    assert (
        flagged.count('data-testid="parcel-row"') == 1 and "CP2" in flagged and "CP1" not in flagged
    )
    assert "refused: 1003 the line is not in the warehouse" in flagged


def test_the_warehouse_lists_name_the_customer_each_line_was_bought_for(client_as):
    from storefront.models import CustomerOrder, CustomerOrderLine, Storefront

    bought = arrived(1, days_ago=2).lines.get()
    arrived(1, days_ago=1)  # bought by staff for no customer Caigou knows
    customer_order = CustomerOrder.objects.create(
        storefront=Storefront.objects.create(name="Shop A"),
        external_id="1001",
        currency="USD",
        customer_name="Alice Smith",
    )
    CustomerOrderLine.objects.create(
        order=customer_order,
        line_no=1,
        platform="taobao",
        item_id=bought.item_id,
        quantity=1,
        purchase_line=bought,
    )
    client = client_as("purchaser")

    for url in (reverse("logistics:warehouse"), reverse("logistics:index")):
        body = client.get(url).content.decode()
        cells = body.split('data-testid="line-customer">')[1:]
        assert [cell.split("<")[0] for cell in cells] == ["Alice Smith (Shop A #1001)", "—"], url
