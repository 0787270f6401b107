"""Hostile input on the after-sales case's forms, and on opening a case against the sandbox,
whose reasons and maximum are real.

The rows, the world they run against and the check they pass are in `tests/security/factories.py`;
the general rule is in `test_hostile_forms.py`.
"""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.models import CaseEvent, CaseEvidence, CaseLine, RefundCase
from purchasing.models import OrderEvent
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import ask, first_reason, open_params
from tests.security.factories import (
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
    said,
    upload,
)

# -- after-sales: the case's forms (opening one is below, against the sandbox) --------------
AFTERSALES = [
    Row(
        "message with NUL", "POST", "/aftersales/{case}/message/", "Null characters", {"text": NUL}
    ),
    Row(
        "huge message",
        "POST",
        "/aftersales/{case}/message/",
        "at most 500 characters",
        {"text": HUGE},
    ),
    Row(
        "message picture that is a PDF",
        "POST",
        "/aftersales/{case}/message/",
        "picture",
        {"text": "see", "pictures": upload("a.png", b"%PDF-1.7\n", "image/png")},
    ),
    Row(
        "message picture that is a program",
        "POST",
        "/aftersales/{case}/message/",
        "is not a picture",
        {"text": "see", "pictures": upload("a.jpg", EXE, "image/jpeg")},
    ),
    Row(
        "message picture over 5 MB",
        "POST",
        "/aftersales/{case}/message/",
        "at most 5 MB",
        {"text": "see", "pictures": upload("a.png", PNG + b"\x00" * SIX_MB, "image/png")},
    ),
    Row(
        "four message pictures",
        "POST",
        "/aftersales/{case}/message/",
        "t most 3 pictures may go",
        {"text": "see", "pictures": [upload(f"{n}.png", PNG, "image/png") for n in range(4)]},
    ),
    Row(
        "modify to an amount in words",
        "POST",
        "/aftersales/{case}/modify/",
        "Amount (yuan): Enter a number",
        {"amount": "twelve", "description": ""},
    ),
    Row(
        "modify to a huge exponent",
        "POST",
        "/aftersales/{case}/modify/",
        "no more than 12 digits",
        {"amount": "1e999999", "description": ""},
    ),
    Row(
        "modify with a NUL description",
        "POST",
        "/aftersales/{case}/modify/",
        "Null characters",
        {"amount": "12.00", "description": NUL},
    ),
    Row(
        "return tracking with NUL",
        "POST",
        "/aftersales/{case}/return/",
        "Null characters",
        {"company_code": "ZTO", "tracking_no": NUL},
    ),
    Row(
        "return tracking huge",
        "POST",
        "/aftersales/{case}/return/",
        "at most 40 characters",
        {"company_code": "ZTO", "tracking_no": HUGE},
    ),
    Row(
        "return company with NUL",
        "POST",
        "/aftersales/{case}/return/",
        "Null characters",
        {"company_code": NUL, "tracking_no": "78123456789012"},
    ),
    Row(
        "open a case with lines that are not ids",
        "GET",
        "/aftersales/open/{order}/",
        "",
        {"preselect": [NOT_INT, TOO_LONG_INT], "line": [NOT_INT, OVERFLOW]},
    ),
    Row(
        "open a case with a NUL description",
        "POST",
        "/aftersales/open/{order}/",
        "Null characters",
        {
            "line": ["{line}"],
            "qty_{line}": "1",
            "kind": "refund_only",
            "goods_status": "1",
            "reason": "1",
            "amount": "1.00",
            "description": NUL,
        },
    ),
    Row(
        "open a case with a NUL reason",
        "POST",
        "/aftersales/open/{order}/",
        "Null characters",
        {
            "line": ["{line}"],
            "qty_{line}": "1",
            "kind": "refund_only",
            "goods_status": "1",
            "reason": NUL,
            "amount": "1.00",
        },
    ),
    Row("case list filtered by NUL", "GET", "/aftersales/", "", {"status": NUL, "page": NOT_INT}),
]


@pytest.mark.parametrize("row", [*AFTERSALES], ids=str)
def test_staff_form(client_as, world, row):
    check(client_as, world, row)


# -- opening a case, against the sandbox: its reasons and maximum are real ---------------------
OPEN_CASE = [
    # (what, extra fields, evidence files, what the page says)
    ("a program as evidence", {}, [upload("photo.jpg", EXE, "image/jpeg")], "is not a picture"),
    ("evidence over 5 MB", {}, [upload("a.pdf", b"%PDF-1.7\n" + b"0" * SIX_MB)], "at most 5 MB"),
    ("empty evidence", {}, [upload("a.png", b"", "image/png")], "png is empty"),
    ("seven evidence files", {}, [upload(f"{n}.png", PNG) for n in range(7)], "evidence files"),
    ("a NUL description", {"description": NUL}, [], "Null characters"),
    ("a huge description", {"description": HUGE}, [], "at most 2000 characters"),
    ("a NUL reason", {"reason": NUL}, [], "Null characters"),
    ("an amount with a huge exponent", {"amount": "1e999999"}, [], "Enter the amount in yuan"),
    ("an amount that is not a number", {"amount": "NaN"}, [], "Enter the amount in yuan"),
    ("an endless amount", {"amount": "-Infinity"}, [], "Enter the amount in yuan"),
    ("a quantity that is no number", {"qty": NOT_INT}, [], ""),
]


def test_opening_a_case_with_hostile_input_saves_nothing(live, people):
    order = paid_order(people, live)
    client = Client()
    client.force_login(people.purchaser)
    body = ask(client, order).content.decode()
    base = {**open_params(order), "reason": first_reason(body), "amount": "1.00"}
    line_field = next(key for key in base if key.startswith("qty_"))
    counted = (RefundCase, CaseLine, CaseEvidence, CaseEvent, OrderEvent)
    before = [model.objects.count() for model in counted]
    for what, extra, files, says in OPEN_CASE:
        data = {**base, **extra}
        if "qty" in data:
            data[line_field] = data.pop("qty")
        if files:
            data["evidence"] = files
        response = client.post(f"/aftersales/open/{order.pk}/", data)
        told = said(response)
        assert response.status_code in (200, 400), what
        assert says in told, (what, told[:1500])
        if says:
            assert "Traceback" not in told
        assert [model.objects.count() for model in counted] == before, what
