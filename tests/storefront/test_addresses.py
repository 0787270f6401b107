"""A storefront order's shipping address reaches the address book at intake, and the "Build a
parcel" page preselects it for the order's lines, against the sandbox over real HTTP."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from logistics.models import Address, Parcel
from logistics.services import freight_estimate
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.services.orders.events import advance_to
from purchasing.statuses import OrderStatus
from storefront.api.serializers.orders import ShippingAddressSerializer
from storefront.models import CustomerOrder, CustomerOrderStatus
from storefront.services.addresses import address_fields, address_for_lines
from storefront.services.intake import customer_order_create
from tests.logistics.conftest import customer  # noqa: F401 (a fixture)
from tests.storefront.conftest import order_data, pick

ADA = {
    "name": "Ada Lovelace",
    "phone": "(213) 555-0143",
    "country": "us",
    "province": "CA",
    "city": "Los Angeles",
    "address": "1 Main Street",
    "postcode": "90001",
    "email": "ada@example.com",
}
GRACE = {**ADA, "name": "Grace Hopper", "city": "Arlington", "province": "VA", "postcode": "22201"}


def shipping(raw: dict[str, str]) -> dict[str, Any]:
    """The shipping address as the API hands it to the intake (cleaned by the serializer)."""
    serializer = ShippingAddressSerializer(data=raw)
    assert serializer.is_valid(), serializer.errors
    return dict(serializer.validated_data)


def purchased(storefront, external_id: str, address: dict[str, str]) -> CustomerOrder:
    data = order_data(pick("taobao"), external_id=external_id)
    data["shipping_address"] = shipping(address)
    order, _ = customer_order_create(storefront=storefront, data=data)
    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.PURCHASED, order.status_reason
    return order


def at_warehouse(order: CustomerOrder) -> list[PurchaseOrderLine]:
    """The order's purchase orders received at the warehouse; their lines."""
    for purchase in order.purchase_orders.all():
        with transaction.atomic():
            locked = PurchaseOrder.objects.select_for_update().get(pk=purchase.pk)
            assert advance_to(locked, OrderStatus.AT_WAREHOUSE, actor_label="warehouse")
    return list(PurchaseOrderLine.objects.filter(order__customer_orders=order).order_by("pk"))


def parcel_page(client, lines: list[PurchaseOrderLine], **params: Any):
    response = client.get(
        reverse("logistics:parcel_new"), {"lines": [line.pk for line in lines], **params}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def test_intake_gives_the_order_an_address_equal_to_its_shipping_address(live, storefront):
    order = purchased(storefront, "SO-1", ADA)

    address = order.address
    assert address is not None
    assert address.kind == Address.Kind.CUSTOMER
    stored = {name: getattr(address, name) for name in order.shipping_address}
    assert stored == order.shipping_address
    assert (address.phone, address.country, address.district) == ("2135550143", "US", "")
    assert address.upstream_address_id == ""  # kept locally; a booking sends the fields


def test_two_orders_of_one_customer_share_one_address(live, storefront):
    first = purchased(storefront, "SO-1", ADA)
    second = purchased(storefront, "SO-2", {**ADA, "phone": "213-555-0143"})

    assert first.address_id is not None
    assert second.address_id == first.address_id
    assert Address.objects.filter(kind=Address.Kind.CUSTOMER).count() == 1


def test_another_address_makes_another_row(live, storefront):
    ada = purchased(storefront, "SO-1", ADA)
    grace = purchased(storefront, "SO-2", GRACE)
    ada_moved = purchased(storefront, "SO-3", {**ADA, "address": "2 Main Street"})

    rows = {ada.address_id, grace.address_id, ada_moved.address_id}
    assert len(rows) == 3
    assert grace.address.name == "Grace Hopper"
    assert ada_moved.address.address == "2 Main Street"


def test_an_address_already_in_the_book_is_reused(live, storefront):
    booked = Address.objects.create(**address_fields(CustomerOrder(shipping_address=shipping(ADA))))

    order = purchased(storefront, "SO-1", ADA)

    assert order.address_id == booked.pk
    assert Address.objects.count() == 1


def test_an_order_whose_address_does_not_clean_is_still_bought_without_one(live, storefront):
    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))
    order.refresh_from_db()

    assert order.status == CustomerOrderStatus.PURCHASED, order.status_reason
    assert order.address_id is None
    assert not Address.objects.exists()


def test_the_parcel_page_preselects_the_customers_address(live, storefront, people, client):
    order = purchased(storefront, "DEMO-123", ADA)
    lines = at_warehouse(order)
    client.force_login(people.purchaser)

    page = parcel_page(client, lines)

    assert page.context["address"] == order.address
    body = page.content.decode()
    assert f'<option value="{order.address_id}" selected>' in body
    assert "Storefront order Test shop #DEMO-123 ships to this address." in body
    assert page.context["estimate"] is not None  # the services to that address are shown


def test_lines_of_two_orders_to_one_address_are_suggested_in_one_query(
    live, storefront, people, client, django_assert_num_queries
):
    first = purchased(storefront, "SO-1", ADA)
    second = purchased(storefront, "SO-2", ADA)
    lines = at_warehouse(first) + at_warehouse(second)

    with django_assert_num_queries(1):
        address, orders = address_for_lines(lines=lines)

    assert address == first.address
    assert {o.pk for o in orders} == {first.pk, second.pk}
    client.force_login(people.purchaser)
    body = parcel_page(client, lines).content.decode()
    assert "Storefront orders Test shop #SO-1, Test shop #SO-2 ship to this address." in body


def test_lines_of_two_customers_get_no_preselection(live, storefront, people, client):
    ada = purchased(storefront, "SO-1", ADA)
    grace = purchased(storefront, "SO-2", GRACE)
    lines = at_warehouse(ada) + at_warehouse(grace)
    client.force_login(people.purchaser)

    page = parcel_page(client, lines)

    assert page.context["address"] is None
    assert page.context["suggestion_note"] == ""
    assert " selected>" not in page.content.decode()
    # Each alone is still suggested.
    assert parcel_page(client, lines[:1]).context["address"] == ada.address


def test_a_line_bought_for_no_customer_order_gets_no_preselection(live, storefront, people, client):
    order = purchased(storefront, "SO-1", ADA)
    lines = at_warehouse(order)
    own_stock = purchased(storefront, "SO-2", ADA)
    stock_lines = at_warehouse(own_stock)
    own_stock.lines.update(purchase_line=None)
    client.force_login(people.purchaser)

    assert parcel_page(client, lines + stock_lines).context["address"] is None


def test_the_address_staff_choose_wins(live, storefront, people, client, customer):  # noqa: F811
    order = purchased(storefront, "SO-1", ADA)
    lines = at_warehouse(order)
    client.force_login(people.purchaser)

    page = parcel_page(client, lines, address=customer.pk)

    assert page.context["address"] == customer
    assert page.context["suggestion_note"] == ""
    assert f'<option value="{customer.pk}" selected>' in page.content.decode()


def test_an_order_stored_without_an_address_gets_one_on_post_not_on_get(
    live, storefront, people, client
):
    order = purchased(storefront, "SO-1", ADA)
    lines = at_warehouse(order)
    order.address.delete()  # as if stored before orders had an address
    order.refresh_from_db()
    assert order.address_id is None
    client.force_login(people.purchaser)

    page = parcel_page(client, lines)

    assert page.context["address"] is None
    assert not Address.objects.exists()
    order.refresh_from_db()
    assert order.address_id is None

    fields = address_fields(order)
    service = freight_estimate(items=lines, destination=Address(**fields)).cheapest.service_id
    created = client.post(
        reverse("logistics:parcel_new"),
        {
            "lines": [line.pk for line in lines],
            "service": service,
            "declared_value": "50.00",
            "description": "plastic storage boxes (3924.90)",
        },
    )

    assert created.status_code == 302, created.content.decode()[:2000]
    order.refresh_from_db()
    assert order.address is not None
    assert {name: getattr(order.address, name) for name in fields} == fields
    parcel = Parcel.objects.get()
    assert parcel.address_id == order.address_id
    assert created.url == reverse("logistics:parcel_book", args=[parcel.pk])
    # Now linked, the page finds it without writing anything.
    assert parcel_page(client, lines).context["address"] == order.address


def test_an_unlinked_order_is_matched_by_its_shipping_address_without_a_write(
    live, storefront, people, client
):
    order = purchased(storefront, "SO-1", ADA)
    lines = at_warehouse(order)
    row = order.address
    CustomerOrder.objects.filter(pk=order.pk).update(address=None)
    client.force_login(people.purchaser)

    page = parcel_page(client, lines)

    assert page.context["address"] == row
    order.refresh_from_db()
    assert order.address_id is None


def test_the_admin_shows_the_orders_address(live, storefront, admin_client):
    order = purchased(storefront, "SO-ADMIN", ADA)

    page = admin_client.get(reverse("admin:storefront_customerorder_change", args=[order.pk]))

    assert page.status_code == 200
    assert str(order.address) in page.content.decode()


def test_a_parcel_of_a_customers_lines_shows_freight_in_their_currency(live, storefront, settings):
    from logistics.selectors import freight_converted
    from purchasing.models import ExchangeRate

    settings.CAIGOU_DISPLAY_CURRENCY = "EUR"
    ExchangeRate.objects.create(currency="EUR", cny_per_unit="8.00")
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.00")
    lines = at_warehouse(purchased(storefront, "SO-CUR", ADA))  # paid in USD

    found = freight_converted(fen=70_000, lines=lines)

    assert (found["text"], found["currency"], found["whose"]) == ("US$100.00", "USD", "customer")
    staff_only = freight_converted(fen=80_000, lines=[])
    assert (staff_only["currency"], staff_only["whose"]) == ("EUR", "display")
