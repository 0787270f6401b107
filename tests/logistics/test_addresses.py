"""The address book: validation with field messages, and sync with the sandbox upstream."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError

from logistics.models import Address
from logistics.services import address_save, addresses_pull
from logistics.validation import AddressInvalid, clean_address
from tests.logistics.conftest import CUSTOMER
from upstream import accounts
from upstream.sandbox.models import Address as SandboxAddress

WAREHOUSE = {
    "kind": "warehouse",
    "name": "义乌仓",
    "phone": "138 0000 0000",
    "country": "CN",
    "province": "浙江省",
    "city": "金华市",
    "district": "义乌市",
    "address": "国际商贸城 1 号",
    "postcode": "322000",
}


def test_address_save_adds_and_updates_upstream(live, people):
    warehouse = address_save(
        data={**WAREHOUSE, "is_default_warehouse": True}, actor=people.purchaser
    )
    customer = address_save(data=CUSTOMER, actor=people.purchaser)

    assert warehouse.upstream_address_id and customer.upstream_address_id
    assert customer.phone == "+15035550100"
    upstream = SandboxAddress.objects.get(address_id=warehouse.upstream_address_id)
    assert upstream.is_default and upstream.city == "金华市"

    address_save(address=customer, data={**CUSTOMER, "city": "Salem"}, actor=people.purchaser)

    customer.refresh_from_db()
    assert SandboxAddress.objects.get(address_id=customer.upstream_address_id).city == "Salem"
    assert SandboxAddress.objects.filter(user_id=settings.PANDAPON_USER_ID).count() == 2
    assert Address.objects.get(is_default_warehouse=True) == warehouse


def test_addresses_pull_imports_the_upstream_book(live, people):
    book = accounts.pandapon().addresses
    upstream_id = book.save(
        name="张三",
        phone="13800000000",
        province="广东省",
        city="深圳市",
        address="科技园 1 号",
        postcode="518000",
        is_default=True,
    )

    pulled = addresses_pull(actor=people.purchaser)
    again = addresses_pull(actor=people.purchaser)

    assert [a.upstream_address_id for a in pulled] == [upstream_id]
    assert again[0].pk == pulled[0].pk and Address.objects.count() == 1
    assert pulled[0].kind == "warehouse" and pulled[0].is_default_warehouse


def test_invalid_addresses_are_refused_with_field_messages(people):
    with pytest.raises(AddressInvalid) as refused:
        address_save(
            data={**CUSTOMER, "name": " ", "phone": "12", "postcode": "ABC", "email": "x@"},
            actor=people.purchaser,
        )

    errors = refused.value.errors
    assert errors["name"] == ["This field is required."]
    assert "Not a valid phone number for US" in errors["phone"][0]
    assert "Not a valid postcode for US" in errors["postcode"][0]
    assert errors["email"] == ["Enter a valid email address."]
    assert not Address.objects.exists()


def test_required_fields_and_country_are_named():
    with pytest.raises(AddressInvalid) as refused:
        clean_address({"kind": "warehouse", "country": "USA"})
    errors = refused.value.errors
    assert {"name", "phone", "city", "address", "province", "country"} <= set(errors)
    assert "two-letter" in errors["country"][0]


@pytest.mark.parametrize(
    ("country", "good", "bad"),
    [
        ("CN", "13812345678", "12812345678"),
        ("US", "+1 415 555 2671", "555-2671"),
        ("CA", "604-555-0199", "104-555-0199"),
        ("GB", "+44 20 7946 0958", "020 79"),
        ("DE", "+49 30 1234567", "30 1234567"),
        ("FR", "01 23 45 67 89", "+33 0123456789"),
        ("AU", "+61 2 9876 5432", "+61 9 9876 5432"),
        ("JP", "03-1234-5678", "+81 12"),
        ("SG", "+65 9123 4567", "5123 4567"),
        ("MY", "012-345 6789", "+60 12"),
        ("NZ", "+64 21 123 4567", "12-ab"),
    ],
)
def test_phone_format_per_country(country, good, bad):
    base = {**CUSTOMER, "country": country, "postcode": ""}
    assert "phone" not in _errors({**base, "phone": good})
    assert "phone" in _errors({**base, "phone": bad})


@pytest.mark.parametrize(
    ("country", "good", "bad"),
    [
        ("CN", "311121", "31112"),
        ("US", "97201-1234", "9720"),
        ("GB", "SW1A 1AA", "SW1A"),
        ("CA", "K1A 0B1", "K1A0B"),
        ("JP", "100-0001", "1000"),
        ("AU", "2000", "20000"),
        ("BR", "01310-100", "0131"),
    ],
)
def test_postcode_format_per_country(country, good, bad):
    base = {**CUSTOMER, "country": country}
    assert "postcode" not in _errors({**base, "postcode": good})
    assert "postcode" in _errors({**base, "postcode": bad})


def _errors(data) -> dict:
    try:
        clean_address(data)
    except AddressInvalid as exc:
        return exc.errors
    return {}


def test_only_one_default_warehouse(db):
    Address.objects.create(**{**WAREHOUSE, "phone": "13800000000", "is_default_warehouse": True})
    with pytest.raises(IntegrityError):
        Address.objects.create(
            **{**WAREHOUSE, "phone": "13800000001", "is_default_warehouse": True}
        )
