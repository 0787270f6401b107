"""Hostile input on the checkout forms (a staff-built order, the cart's preview, confirm,
approve, pay) and on an order's page (warehouse, voucher, clear attention, bulk actions, the
list).

The rows, the world they run against and the check they pass are in `tests/security/factories.py`;
the general rule is in `test_hostile_forms.py`.
"""

from __future__ import annotations

import pytest

from tests.security.factories import (
    BROKEN_UTF8,
    EXE,
    HUGE,
    NOT_INT,
    NUL,
    OVERFLOW,
    PNG,
    SIX_MB,
    TOO_LONG_INT,
    Row,
    check,
    upload,
)

# -- checkout: a staff-built order, the cart's preview, confirm, approve, pay ----------------
CHECKOUT = [
    Row(
        "NUL in the items",
        "POST",
        "/checkout/new/",
        "Null characters",
        {"platform": "taobao", "items": f"123 456 1\n{NUL}"},
    ),
    Row(
        "quantity zero",
        "POST",
        "/checkout/new/",
        "must be a whole number from 1 to 9999",
        {"platform": "taobao", "items": "123 456 0"},
    ),
    Row(
        "quantity past the bound",
        "POST",
        "/checkout/new/",
        "from 1 to 9999",
        {"platform": "taobao", "items": f"123 456 {OVERFLOW}"},
    ),
    Row(
        "quantity not a number",
        "POST",
        "/checkout/new/",
        "from 1 to 9999",
        {"platform": "taobao", "items": f"123 456 {NOT_INT}"},
    ),
    Row(
        "quantity in words",
        "POST",
        "/checkout/new/",
        "from 1 to 9999",
        {"platform": "taobao", "items": "123 456 two"},
    ),
    Row(
        "item id not digits",
        "POST",
        "/checkout/new/",
        "must be digits",
        {"platform": "taobao", "items": f"{NOT_INT}12 456 1"},
    ),
    Row(
        "thousands of lines",
        "POST",
        "/checkout/new/",
        "At most 100 lines",
        {"platform": "taobao", "items": "123 456 1\n" * 5000},
    ),
    Row(
        "unknown platform",
        "POST",
        "/checkout/new/",
        "Select a valid choice",
        {"platform": "ebay", "items": "123 456 1"},
    ),
    Row(
        "cart lines that are not ids",
        "POST",
        "/checkout/from-cart/",
        "Tick at least one",
        {"platform": "taobao", "cart_id": [NOT_INT, NUL, TOO_LONG_INT]},
    ),
    Row(
        "confirm with a total that is no number",
        "POST",
        "/checkout/{previewed}/confirm/",
        "The total changed",
        {"total_fen": NOT_INT},
    ),
    Row(
        "confirm with a huge total",
        "POST",
        "/checkout/{previewed}/confirm/",
        "The total changed",
        {"total_fen": TOO_LONG_INT},
    ),
    Row(
        "reject with a NUL comment",
        "POST",
        "/checkout/{waiting}/approve/",
        "Null characters",
        {"decision": "reject", "comment": NUL},
        role="approver",
    ),
    Row(
        "approve with a huge comment",
        "POST",
        "/checkout/{waiting}/approve/",
        "at most 1000 characters",
        {"decision": "approve", "comment": HUGE},
        role="approver",
    ),
    Row(
        "pay orders that are not ids",
        "POST",
        "/checkout/pay/confirm/",
        "Choose at least one order",
        {"order": [NOT_INT, NUL, TOO_LONG_INT]},
        role="finance",
    ),
    Row(
        "pay an order id no column holds",
        "POST",
        "/checkout/pay/confirm/",
        "",
        {"order": OVERFLOW, "confirmed": "1", "total_fen": "0"},
        role="finance",
    ),
    Row(
        "pay result of ids that are not ids",
        "GET",
        "/checkout/pay/result/",
        "",
        {"order": [NOT_INT, OVERFLOW, TOO_LONG_INT]},
        role="finance",
    ),
]


# -- an order's page: warehouse, voucher, clear attention, bulk actions, the list -------------
ORDERS = [
    Row(
        "NUL warehouse name",
        "POST",
        "/orders/{order}/warehouse/",
        "Null characters",
        {"warehouse_name": NUL, "warehouse_address": "Guangzhou"},
    ),
    Row(
        "huge warehouse address",
        "POST",
        "/orders/{order}/warehouse/",
        "at most 300",
        {"warehouse_name": "W1", "warehouse_address": HUGE},
    ),
    Row(
        "voucher that is a text file named .png",
        "POST",
        "/orders/{order}/voucher/",
        "must be an image",
        {"voucher": upload("pay.png", b"hello", "image/png")},
        role="finance",
    ),
    Row(
        "voucher that is a program named .pdf",
        "POST",
        "/orders/{order}/voucher/",
        "must be an image",
        {"voucher": upload("pay.pdf", EXE, "application/pdf")},
        role="finance",
    ),
    Row(
        "voucher that is HTML",
        "POST",
        "/orders/{order}/voucher/",
        "must be an image",
        {"voucher": upload("pay.html", b"<script>alert(1)</script>", "text/html")},
        role="finance",
    ),
    Row(
        "voucher over 5 MB",
        "POST",
        "/orders/{order}/voucher/",
        "at most 5 MB",
        {"voucher": upload("pay.png", PNG + b"\x00" * SIX_MB, "image/png")},
        role="finance",
    ),
    Row(
        "empty voucher",
        "POST",
        "/orders/{order}/voucher/",
        "empty",
        {"voucher": upload("pay.png", b"", "image/png")},
        role="finance",
    ),
    Row(
        "voucher as text, not a file",
        "POST",
        "/orders/{order}/voucher/",
        "Choose a file",
        {"voucher": "not a file"},
        role="finance",
    ),
    Row(
        "clear attention with NUL",
        "POST",
        "/orders/{order}/attention/clear/",
        "Null characters",
        {"comment": NUL},
    ),
    Row(
        "clear attention with a huge comment",
        "POST",
        "/orders/{order}/attention/clear/",
        "at most 1000 characters",
        {"comment": HUGE},
    ),
    Row(
        "bulk with ids that are not ids",
        "POST",
        "/orders/bulk/",
        "Tick orders from the list",
        {"action": "cancel", "orders": [NOT_INT], "confirmed": "1"},
    ),
    Row(
        "bulk with an id too long to read",
        "POST",
        "/orders/bulk/",
        "Tick orders",
        {"action": "cancel", "orders": [TOO_LONG_INT], "confirmed": "1"},
    ),
    Row(
        "bulk with an id no column holds",
        "POST",
        "/orders/bulk/",
        "Tick orders from the list",
        {"action": "cancel", "orders": [OVERFLOW], "confirmed": "1"},
    ),
    Row(
        "bulk cancel with a NUL reason",
        "POST",
        "/orders/bulk/",
        "Null characters",
        {"action": "cancel", "orders": ["{order}"], "confirmed": "1", "reason": NUL},
    ),
    Row(
        "bulk with an unknown action",
        "POST",
        "/orders/bulk/",
        "Select a valid choice",
        {"action": "refund\x00", "orders": ["{order}"]},
    ),
    Row("list search with NUL", "GET", "/orders/", "Null characters", {"q": NUL}),
    Row(
        "list search with broken UTF-8",
        "GET",
        f"/orders/?q={BROKEN_UTF8}&seller={BROKEN_UTF8}",
        "No orders",
    ),
    Row("list with a page that is no number", "GET", "/orders/", "", {"page": NOT_INT}),
    Row(
        "list filtered by a date that is not one",
        "GET",
        "/orders/",
        "Enter a valid date",
        {"date_from": "2024-02-30\x00"},
    ),
]


@pytest.mark.parametrize("row", [*CHECKOUT, *ORDERS], ids=str)
def test_staff_form(client_as, world, row):
    check(client_as, world, row)
