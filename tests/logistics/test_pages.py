"""The logistics staff pages against the live sandbox."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from logistics.models import Address, Parcel, ParcelStatus
from logistics.services import Customs, freight_estimate, parcel_create
from purchasing.phrases import gettext
from purchasing.templatetags.words import event_message
from tests.logistics.conftest import CUSTOMER, at_warehouse
from tests.words import visible_text
from upstream.sandbox.models import Booking as SandboxBooking


def _build(client, order, customer):
    lines = list(order.lines.all())
    service = freight_estimate(items=lines, destination=customer).cheapest.service_id
    return client.post(
        reverse("logistics:parcel_new"),
        {
            "lines": [line.pk for line in lines],
            "address": customer.pk,
            "service": service,
            "declared_value": "50.00",
            "description": "plastic storage boxes (3924.90)",
        },
    )


def test_build_and_book_a_parcel_from_arrived_lines(live, people, customer, client):
    order = at_warehouse(people)
    client.force_login(people.purchaser)

    home = client.get(reverse("logistics:index"))
    assert home.status_code == 200 and order.reference in home.content.decode()

    lines = [line.pk for line in order.lines.all()]
    page = client.get(reverse("logistics:parcel_new"), {"lines": lines, "address": customer.pk})
    body = page.content.decode()
    assert page.status_code == 200 and "Cheapest" in body and "Fastest" in body
    assert 'data-testid="consolidation"' in body and "Send now" in body

    created = _build(client, order, customer)
    parcel = Parcel.objects.get()
    assert created.status_code == 302 and created.url == reverse(
        "logistics:parcel_book", args=[parcel.pk]
    )
    confirm = client.get(created.url)
    assert (
        parcel.status == ParcelStatus.DRAFT
        and f"{parcel.quoted_freight_fen // 100}" in confirm.content.decode()
    )

    client.post(reverse("logistics:parcel_book", args=[parcel.pk]))
    client.post(reverse("logistics:parcel_book", args=[parcel.pk]))  # a second click
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.BOOKED and parcel.tracking_no
    assert SandboxBooking.objects.filter(outer_ref=parcel.reference).count() == 1
    assert len(live.creates(parcel.reference)) == 1

    live.control("tick")
    client.post(reverse("logistics:parcel_refresh", args=[parcel.pk]))
    detail = client.get(reverse("logistics:parcel", args=[parcel.pk]))
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.IN_TRANSIT
    assert 'data-testid="event-tracking"' in detail.content.decode()
    assert parcel.tracking_no in detail.content.decode()


def test_a_line_already_in_a_parcel_is_refused_with_a_sentence(live, people, customer, client):
    order = at_warehouse(people)
    client.force_login(people.purchaser)
    _build(client, order, customer)

    again = _build(client, order, customer)

    assert again.status_code == 400
    assert "Already in a parcel: line" in again.content.decode()
    assert Parcel.objects.count() == 1


def test_invalid_address_shows_field_messages(live, people, client):
    client.force_login(people.purchaser)
    response = client.post(
        reverse("logistics:addresses"),
        {**CUSTOMER, "phone": "12", "postcode": "ABC", "city": ""},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-phone"' in body and "Not a valid phone number for US" in body
    assert 'data-testid="error-postcode"' in body and 'data-testid="error-city"' in body
    assert not Address.objects.exists()


def test_address_add_and_default_warehouse(live, people, client):
    client.force_login(people.purchaser)
    response = client.post(reverse("logistics:addresses"), CUSTOMER)
    assert response.status_code == 302
    assert Address.objects.get().upstream_address_id
    warehouse = {
        "kind": "warehouse",
        "name": "义乌仓",
        "phone": "13800000000",
        "country": "CN",
        "province": "浙江省",
        "city": "金华市",
        "address": "国际商贸城 1 号",
        "postcode": "322000",
    }
    client.post(reverse("logistics:addresses"), warehouse)
    row = Address.objects.get(kind="warehouse")
    client.post(reverse("logistics:address_default", args=[row.pk]))
    row.refresh_from_db()
    assert row.is_default_warehouse
    assert "Default warehouse" in client.get(reverse("logistics:addresses")).content.decode()


def test_freight_estimate_page(live, people, client):
    order = at_warehouse(people)
    line = order.lines.first()
    client.force_login(people.purchaser)
    response = client.get(
        reverse("logistics:freight"),
        {"item_id": line.item_id, "sku_id": line.sku_id, "quantity": 2, "country": "US"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.count('data-testid="quote-row"') > 1
    assert 'data-testid="cheapest"' in body and 'data-testid="fastest"' in body

    empty = client.get(reverse("logistics:freight"), {"quantity": 1})
    assert "Give an item link or id" in empty.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["logistics:index", "logistics:addresses", "logistics:freight", "logistics:parcel_new"]
)
def test_finance_is_refused(client_as, name):
    assert client_as("finance").get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_the_address_book_names_countries(client_as, customer):
    body = client_as("purchaser").get(reverse("logistics:addresses")).content.decode()
    assert f"{customer.postcode} United States</td>" in body
    assert f"{customer.postcode} US</td>" not in body


@pytest.mark.django_db
def test_a_parcel_entry_is_stored_in_english_and_read_in_each_readers_language(customer):
    parcel = Parcel.objects.create(
        address=customer, country="US", service_id="PP-ECO-AIR", customs_description="boxes"
    )
    with translation.override("zh-hans"):
        parcel.note(gettext("cancelled"), kind="note")

    event = parcel.events.get()
    assert event.message == "cancelled" and event.words == {"msgid": "cancelled", "values": None}
    with translation.override("zh-hans"):
        assert event_message(event) == "已取消"
    assert event_message(event) == "cancelled"


@pytest.mark.django_db
def test_empty_states(client_as):
    body = client_as("purchaser").get(reverse("logistics:index")).content.decode()
    assert "No lines at the warehouse." in body and "No parcels yet." in body


@pytest.mark.parametrize("rows", [2, 30])
def test_lists_use_a_fixed_number_of_queries(
    live, people, customer, client, django_assert_max_num_queries, rows
):
    order = at_warehouse(people)
    line = order.lines.first()
    service = freight_estimate(items=[line], destination=customer).cheapest.service_id
    parcel = parcel_create(
        lines=[line],
        address=customer,
        service=service,
        customs=Customs(declared_value_fen=100, description="boxes"),
        actor=people.purchaser,
    )
    # Copies of the parcel row, cheaper than booking each upstream.
    for n in range(rows - 1):
        Parcel.objects.create(
            address=customer,
            country="US",
            service_id=service,
            customs_description="boxes",
            reference=f"{parcel.reference}-{n:03d}",
        )
    client.force_login(people.purchaser)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("logistics:index"))
    body = response.content.decode()
    assert body.count('data-testid="parcel-row"') == min(rows, 25)
    assert f"{customer.city} United States</td>" in body


def test_the_warehouse_lines_count_reads_as_chinese_sentences(live, people, client):
    at_warehouse(people)
    client.force_login(people.purchaser)

    pages = [
        visible_text(client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode())
        for name in ("logistics:index", "logistics:warehouse")
    ]

    for page in pages:
        assert "勾选同一客户的行来组建包裹。" in page
        assert ". 勾选" not in page and "。. " not in page
