"""New orders are delivered to one warehouse address: CAIGOU_WAREHOUSE_ADDRESS when it is set,
else the address book's default warehouse, else (sandbox on only) the demo warehouse; every
preview shows which."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logistics.models import Address
from purchasing.services.orders.common import NoWarehouse, warehouse_address
from purchasing.warehouse import DEMO_WAREHOUSE_ADDRESS
from tests.orders.factories import client_for, previewed

YIWU = {
    "name": "义乌仓",
    "mobile": "13800000000",
    "phone": "",
    "zip": "322000",
    "country": "中国",
    "state": "浙江省",
    "city": "金华市",
    "district": "义乌市",
    "address": "福田街道 8 号",
    "district_code": "330782",
}


@pytest.fixture
def book_default(db) -> Address:
    return Address.objects.create(
        kind=Address.Kind.WAREHOUSE,
        name="杭州仓",
        phone="13900000000",
        country="CN",
        province="浙江省",
        city="杭州市",
        district="余杭区",
        address="文一西路 970 号",
        postcode="311100",
        is_default_warehouse=True,
    )


def test_with_nothing_configured_the_sandbox_ships_to_its_demo_warehouse(db):
    address = warehouse_address()

    assert {k: v for k, v in address.items() if k != "source"} == DEMO_WAREHOUSE_ADDRESS
    assert address["source"] == "demo"


def test_the_address_books_default_warehouse_comes_before_the_demo(book_default):
    address = warehouse_address()

    assert address["source"] == "book"
    assert (address["name"], address["mobile"]) == ("杭州仓", "13900000000")
    assert address["city"] == "杭州市"
    assert address["address"] == "文一西路 970 号" and address["country"] == "中国"


def test_the_setting_comes_before_the_address_book(book_default, settings):
    settings.CAIGOU_WAREHOUSE_ADDRESS = YIWU

    address = warehouse_address()

    assert address == {**YIWU, "source": "setting"}


def test_with_the_sandbox_off_and_no_warehouse_no_order_is_drafted(db, settings):
    settings.UPSTREAM_SANDBOX = False

    with pytest.raises(NoWarehouse, match="CAIGOU_WAREHOUSE_ADDRESS"):
        warehouse_address()


def test_the_staff_order_page_says_why_when_there_is_no_warehouse(db, settings, client_as):
    settings.UPSTREAM_SANDBOX = False
    client = client_as("purchaser")

    response = client.post(
        reverse("checkout:new"), {"platform": "taobao", "items": "652874251412 5012345678901 1"}
    )

    assert response.status_code == 200
    assert "No warehouse address is configured" in response.content.decode()


def test_the_preview_shows_the_delivery_address_and_its_source(staff_user):
    user = staff_user("purchaser")
    order = previewed(user, 10_000)
    order.address = {**YIWU, "source": "setting"}
    order.save(update_fields=["address"])

    page = client_for(user).get(reverse("checkout:preview", args=[order.pk])).content.decode()

    assert 'data-testid="delivery-address"' in page
    assert "义乌仓" in page and "福田街道 8 号" in page and "13800000000" in page
    assert "From the CAIGOU_WAREHOUSE_ADDRESS setting." in page
