"""Hostile input on every staff form and upload, one table per area: goods, carts and sign-in
here; checkout and orders, after-sales, and logistics in the `test_hostile_forms_*` modules
beside this one (the rows and their check are in `tests/security/factories.py`).

Each row posts (or gets) what a careless paste or a hostile person sends: NUL bytes, broken
UTF-8, oversized text, numbers that are not numbers (``²`` passes ``str.isdigit()`` and fails
``int()``), files of the wrong type or size, or named for another type. Every row must answer
200, 302 or 400 (never 500), say what is wrong in words a person understands (a form error or
a message), and leave the database exactly as it was: the row counts of every business table
and the fields the form would have changed.

The upstream is unreachable here: every row is refused before anything is sent. The after-sales
case opening checks its evidence against real upstream reasons, so it runs against the sandbox.
PostgreSQL refuses NUL bytes in text where SQLite stores them, so CI (which runs these files on
PostgreSQL) is the run that proves no NUL reaches a query.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client

from backoffice.forms import SignInForm
from tests.security.factories import (
    BROKEN_UTF8,
    EXE,
    GIF,
    HUGE,
    NOT_INT,
    NUL,
    PNG,
    SIX_MB,
    Row,
    check,
    upload,
)

# -- goods: the search, pasted ids and links, the picture search ------------------------------
GOODS = [
    Row("huge keyword", "GET", "/goods/", "at most 200 characters", {"q": HUGE[:5000]}),
    Row("NUL in the keyword", "GET", "/goods/", "Null characters are not allowed", {"q": NUL}),
    Row("NUL in a raw query string", "GET", "/goods/?q=cup%00&mode=keyword", "Null characters"),
    Row(
        "broken UTF-8 in the query string",
        "GET",
        f"/goods/?q={BROKEN_UTF8}&mode=keyword",
        "upstream",
    ),
    Row(
        "broken UTF-8 and NUL in pasted ids",
        "GET",
        f"/goods/?mode=items&items={BROKEN_UTF8}%00",
        "Null characters",
    ),
    Row(
        "huge paste of ids",
        "GET",
        "/goods/",
        "at most 5000 characters",
        {"mode": "items", "items": "1234567 " * 1000},
    ),
    Row(
        "a link to another site",
        "GET",
        "/goods/",
        "",
        {"mode": "items", "items": "https://evil.example/item.htm?id=12345"},
    ),
    Row(
        "page that is no number",
        "GET",
        "/goods/",
        "Enter a whole number",
        {"q": "cup", "page": NOT_INT},
    ),
    Row(
        "price with a huge exponent",
        "GET",
        "/goods/",
        "no more than 10 digits",
        {"q": "cup", "price_min": "1e999999"},
    ),
    Row("category with NUL", "GET", "/goods/", "Null characters", {"q": "cup", "category": NUL}),
    Row(
        "picture that is a text file",
        "POST",
        "/goods/",
        "not a picture we can read",
        {"platform": "taobao", "picture": upload("cup.png", b"hello", "image/png")},
    ),
    Row(
        "picture that is a GIF named .png",
        "POST",
        "/goods/",
        "PNG, JPEG or WEBP",
        {"platform": "taobao", "picture": upload("cup.png", GIF, "image/png")},
    ),
    Row(
        "picture that is a program",
        "POST",
        "/goods/",
        "not a picture we can read",
        {"platform": "taobao", "picture": upload("cup.jpg", EXE, "image/jpeg")},
    ),
    Row(
        "picture over 3 MB",
        "POST",
        "/goods/",
        "at most 3 MB",
        {"platform": "taobao", "picture": upload("big.png", PNG + b"\x00" * SIX_MB)},
    ),
    Row(
        "picture search without a file",
        "POST",
        "/goods/",
        "Choose, drop or paste a picture",
        {"platform": "taobao"},
    ),
    Row(
        "broken UTF-8 in a posted body",
        "POST",
        "/goods/",
        "Choose, drop or paste",
        b"platform=%FF%FE&picture=%00",
    ),
]


# -- carts ---------------------------------------------------------------------------------
CARTS = [
    Row(
        "NUL item id",
        "POST",
        "/carts/add/",
        "Open an item first",
        {"platform": "taobao", "item_id": NUL, "sku_id": "1", "quantity": "1"},
    ),
    Row(
        "huge item id",
        "POST",
        "/carts/add/",
        "Open an item first",
        {"platform": "taobao", "item_id": HUGE, "sku_id": "1", "quantity": "1"},
    ),
    Row(
        "quantity not a number",
        "POST",
        "/carts/add/",
        "quantity of at least 1",
        {"platform": "taobao", "item_id": "123", "sku_id": "1", "quantity": NOT_INT},
    ),
    Row(
        "quantity below one",
        "POST",
        "/carts/add/",
        "Open the item page first",
        {"platform": "taobao", "item_id": "123", "sku_id": "1", "quantity": "-5"},
    ),
    Row(
        "unknown platform",
        "POST",
        "/carts/add/",
        "Choose Taobao or 1688",
        {"platform": "amazon\x00", "item_id": "123", "sku_id": "1", "quantity": "1"},
    ),
    Row(
        "NUL cart line",
        "POST",
        "/carts/quantity/",
        "Choose a line of the cart",
        {"platform": "taobao", "cart_id": NUL, "quantity": "2"},
    ),
    Row(
        "NUL cart line removed",
        "POST",
        "/carts/remove/",
        "Choose a line of the cart",
        {"platform": "taobao", "cart_id": NUL},
    ),
    Row(
        "selection of no platform",
        "POST",
        "/carts/selection/",
        "Choose Taobao or 1688",
        {"platform": NUL, "selected": NOT_INT},
        status=(400,),
    ),
]


@pytest.mark.parametrize("row", [*GOODS, *CARTS], ids=str)
def test_staff_form(client_as, world, row):
    check(client_as, world, row)


# -- sign-in ---------------------------------------------------------------------------------
LOGIN = [
    pytest.param({"username": HUGE, "password": "x"}, id="huge username"),
    pytest.param({"username": NUL, "password": "x"}, id="NUL username"),
    pytest.param({"username": "someone", "password": NUL}, id="NUL password"),
    pytest.param(b"username=%FF%FE%00&password=%C3%28", id="broken UTF-8"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", LOGIN)
def test_login(data):
    """The sign-in page says what it says to any wrong sign-in, and no attempt is recorded
    under a username nobody can have (django-axes would store it, NUL and all)."""
    client = Client()
    before = (AccessAttempt.objects.count(), AccessLog.objects.count())
    if isinstance(data, bytes):
        response = client.post("/login/", data, content_type="application/x-www-form-urlencoded")
    else:
        response = client.post("/login/", data)
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    assert (AccessAttempt.objects.count(), AccessLog.objects.count()) == before


@pytest.mark.django_db
def test_the_sign_in_form_refuses_a_username_longer_than_the_column():
    """Django's AuthenticationForm sets the username's max_length after the field is built, so
    the limit is never checked: a 100,000-character name reaches authenticate(), and
    django-axes writes it to a 255-character column (a 500 on PostgreSQL)."""
    form = SignInForm(data={"username": HUGE, "password": "x"})

    assert not form.is_valid()
    assert "at most 150 characters" in form.errors["username"][0]
    assert AccessAttempt.objects.count() == 0
