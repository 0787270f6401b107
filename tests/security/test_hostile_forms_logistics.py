"""Hostile input on the logistics forms: addresses, the freight estimate, parcels and domestic
tracking.

The rows, the world they run against and the check they pass are in `tests/security/factories.py`;
the general rule is in `test_hostile_forms.py`.
"""

from __future__ import annotations

import pytest

from tests.security.factories import HUGE, NOT_INT, NUL, OVERFLOW, TOO_LONG_INT, Row, check

# -- logistics: addresses, freight estimate, parcels, domestic tracking ----------------------
LOGISTICS = [
    Row(
        "address name with NUL",
        "POST",
        "/logistics/addresses/",
        "Null characters",
        {"kind": "customer", "name": NUL, "country": "US", "city": "Portland"},
    ),
    Row(
        "huge street address",
        "POST",
        "/logistics/addresses/",
        "at most 300 characters",
        {"kind": "customer", "name": "Bob", "country": "US", "address": HUGE},
    ),
    Row(
        "address edit with broken UTF-8",
        "POST",
        "/logistics/addresses/{address}/",
        "Select a valid choice",
        b"kind=%FF%FE&name=%C3%28",
    ),
    Row(
        "freight for a NUL item",
        "GET",
        "/logistics/freight/",
        "Null characters",
        {"item_id": NUL, "country": "US"},
    ),
    Row(
        "freight for references no order has",
        "GET",
        "/logistics/freight/",
        "No order with lines has the reference",
        {"orders": f"{NOT_INT},1", "country": "US"},
    ),
    Row(
        "freight for a reference longer than any",
        "GET",
        "/logistics/freight/",
        "No order with lines has the reference",
        {"orders": OVERFLOW, "country": "US"},
    ),
    Row(
        "freight for quantity zero",
        "GET",
        "/logistics/freight/",
        "greater than or equal to 1",
        {"item_id": "123", "quantity": "0", "country": "US"},
    ),
    Row(
        "freight for a huge quantity",
        "GET",
        "/logistics/freight/",
        "Enter a whole number",
        {"item_id": "123", "quantity": TOO_LONG_INT, "country": "US"},
    ),
    Row(
        "parcel from lines that are not ids",
        "POST",
        "/logistics/parcels/new/",
        "",
        {
            "lines": [NOT_INT, TOO_LONG_INT],
            "address": NUL,
            "service": "S1",
            "declared_value": "10",
            "description": "cups",
        },
    ),
    Row(
        "parcel with a negative value",
        "POST",
        "/logistics/parcels/new/?lines={line}",
        "greater than or equal to 0.01",
        {
            "lines": ["{line}"],
            "address": "{address}",
            "service": "S1",
            "declared_value": "-1",
            "description": "cups",
        },
    ),
    Row(
        "parcel with a NUL description",
        "POST",
        "/logistics/parcels/new/",
        "Null characters",
        {
            "lines": ["{line}"],
            "address": "{address}",
            "service": "S1",
            "declared_value": "10",
            "description": NUL,
        },
    ),
    Row(
        "parcel with a huge tax id",
        "POST",
        "/logistics/parcels/new/",
        "at most 40 characters",
        {
            "lines": ["{line}"],
            "address": "{address}",
            "service": "S1",
            "declared_value": "10",
            "description": "cups",
            "tax_id": HUGE,
        },
    ),
    Row(
        "parcel cancelled with a NUL reason",
        "POST",
        "/logistics/parcels/{parcel}/cancel/",
        "Null characters",
        {"reason": NUL},
    ),
    Row(
        "domestic tracking with NUL",
        "POST",
        "/logistics/lines/{line}/domestic/",
        "Null characters",
        {"company": "ZTO", "tracking_no": NUL},
    ),
    Row(
        "domestic carrier with NUL",
        "POST",
        "/logistics/lines/{line}/domestic/",
        "Null characters",
        {"company": NUL, "tracking_no": "78123456789012"},
    ),
    Row(
        "domestic tracking huge",
        "POST",
        "/logistics/lines/{line}/domestic/",
        "at most 60 characters",
        {"company": "ZTO", "tracking_no": HUGE},
    ),
    Row("parcel list filtered by NUL", "GET", "/logistics/", "", {"country": NUL}),
    Row(
        "warehouse lines waiting for no number",
        "GET",
        "/logistics/warehouse/",
        "Days are a whole number",
        {"min_days": NOT_INT},
    ),
    Row(
        "warehouse lines searched for a huge text",
        "GET",
        "/logistics/warehouse/",
        "Search for at most 100 characters",
        {"q": HUGE},
    ),
    Row(
        "warehouse lines searched for NUL",
        "GET",
        "/logistics/warehouse/",
        "Null characters",
        {"q": NUL},
    ),
]


@pytest.mark.parametrize("row", [*LOGISTICS], ids=str)
def test_staff_form(client_as, world, row):
    check(client_as, world, row)
