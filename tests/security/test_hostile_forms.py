"""Hostile input on every staff form and upload, one table per area.

Each row posts (or gets) what a careless paste or a hostile person sends: NUL bytes, broken
UTF-8, oversized text, numbers that are not numbers (``²`` passes ``str.isdigit()`` and fails
``int()``), files of the wrong type or size, or named for another type. Every row must answer
200, 302 or 400 (never 500), say what is wrong in words a person understands (a form error or
a message), and leave the database exactly as it was: the row counts of every business table
and the fields the form would have changed.

The upstream is unreachable here: every row is refused before anything is sent. The after-sales
case opening checks its evidence against real upstream reasons, so it runs against the sandbox.
PostgreSQL refuses NUL bytes in text where SQLite stores them, so CI (which runs this file on
PostgreSQL) is the run that proves no NUL reaches a query.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.models import CaseEvent, CaseEvidence, CaseKind, CaseLine, CaseStatus, RefundCase
from backoffice.forms import SignInForm
from logistics.models import Address, Parcel, ParcelEvent, ParcelLine
from purchasing.models import OrderEvent, PaymentAttempt, PurchaseOrder, PurchaseOrderLine
from purchasing.statuses import OrderStatus
from tests.aftersales.conftest import paid_order
from tests.aftersales.test_pages import ask, first_reason, open_params
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory

NUL = "bad\x00value"
HUGE = "x" * 100_000
NOT_INT = "²"  # a digit to str.isdigit(), not to int()
TOO_LONG_INT = "9" * 5000  # past Python's limit for int("...")
OVERFLOW = "9" * 30  # an integer no database column holds
BROKEN_UTF8 = "%FF%FE%C3%28"  # percent-encoded bytes that are not UTF-8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64
SIX_MB = 6 * 1024 * 1024

COUNTED = (
    PurchaseOrder, PurchaseOrderLine, OrderEvent, PaymentAttempt, RefundCase, CaseLine,
    CaseEvent, CaseEvidence, Address, Parcel, ParcelLine, ParcelEvent, LogEntry,
)  # fmt: skip


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass(frozen=True)
class Row:
    """One hostile request: `{order}`, `{line}`, `{case}`, `{parcel}`, `{address}`,
    `{previewed}` and `{waiting}` (for approval) in the url and in string values are replaced
    by the objects' ids."""

    name: str
    method: str
    url: str
    says: str  # a part of the form error, message or page text that explains the refusal
    data: Any = None  # a dict (form or multipart), bytes (a raw urlencoded body), or None
    role: str = "purchaser"
    status: tuple = (200, 302, 400)

    def __str__(self) -> str:
        return self.name


@dataclass
class World:
    order: PurchaseOrder
    line: PurchaseOrderLine
    previewed: PurchaseOrder
    case: RefundCase
    address: Address
    parcel: Parcel
    ids: dict = field(default_factory=dict)

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            for name, pk in self.ids.items():
                value = value.replace("{" + name + "}", str(pk))
            return value
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {self.fill(k): self.fill(v) for k, v in value.items()}
        return value

    def fields(self) -> tuple:
        """What the forms below could change on the objects that exist."""
        order = PurchaseOrder.objects.get(pk=self.order.pk)
        line = PurchaseOrderLine.objects.get(pk=self.line.pk)
        case = RefundCase.objects.get(pk=self.case.pk)
        parcel = Parcel.objects.get(pk=self.parcel.pk)
        address = Address.objects.filter(pk=self.address.pk).values().get()
        return (
            order.status, order.address, order.needs_attention, order.attention_reason,
            line.tracking_company, line.tracking_no, case.status, case.asked_fen,
            case.description, case.return_tracking_no, parcel.status, address,
        )  # fmt: skip


def snapshot(world: World) -> tuple:
    return tuple(model.objects.count() for model in COUNTED), world.fields()


@pytest.fixture
def unreachable(settings) -> None:
    settings.PANDAPON_BASE_URL = "http://127.0.0.1:9/pandapon"
    settings.DAJISAAS_BASE_URL = "http://127.0.0.1:9/dajisaas"


@pytest.fixture
def world(db, unreachable) -> World:
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT, upstream_order_id="4000000001",
        needs_attention=True, attention_reason="price moved",
    )  # fmt: skip
    line = PurchaseOrderLineFactory(order=order)
    previewed = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)
    waiting = PurchaseOrderFactory(status=OrderStatus.AWAITING_APPROVAL)
    case = RefundCase.objects.create(
        order=order, platform="taobao", kind=CaseKind.RETURN_AND_REFUND, goods_status="2",
        reason_id="1", asked_fen=5000, max_fen=10_000, status=CaseStatus.RETURN_AGREED,
        upstream_refund_id="R1", description="broken",
    )  # fmt: skip
    address = Address.objects.create(
        kind="customer", name="Alice Smith", phone="+15035550100", country="US",
        province="OR", city="Portland", address="1 Main St", postcode="97201",
    )  # fmt: skip
    parcel = Parcel.objects.create(
        address=address, country="US", service_id="S1", customs_description="cups"
    )
    world = World(order, line, previewed, case, address, parcel)
    world.ids = {
        "order": order.pk, "line": line.pk, "previewed": previewed.pk, "waiting": waiting.pk,
        "case": case.pk,
        "address": address.pk, "parcel": parcel.pk,
    }  # fmt: skip
    return world


def send(client: Client, row: Row, world: World):
    url = world.fill(row.url)
    data = world.fill(row.data)
    if row.method == "GET":
        return client.get(url, data)
    if isinstance(data, bytes):
        return client.post(url, data, content_type="application/x-www-form-urlencoded")
    return client.post(url, data or {})


def said(response) -> str:
    """Everything the person is told: the page (when it is one) and the queued messages."""
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    if response.status_code != 302:
        page = response.content.decode(errors="replace")
        main = page.split("<main", 1)[-1]  # the page's own content, not the navigation
        text += " " + html.unescape(re.sub(r"<[^>]+>", " ", main))
    return " ".join(text.split())


def check(client_as, world: World, row: Row) -> None:
    before = snapshot(world)
    response = send(client_as(row.role), row, world)
    assert response.status_code in row.status, (row.name, response.status_code)
    assert row.says in said(response), (row.name, said(response)[:1500])
    assert snapshot(world) == before, row.name


# -- goods: the search, pasted ids and links, the picture search ------------------------------
GOODS = [
    Row("huge keyword", "GET", "/goods/", "at most 200 characters", {"q": HUGE[:5000]}),
    Row("NUL in the keyword", "GET", "/goods/", "Null characters are not allowed", {"q": NUL}),
    Row("NUL in a raw query string", "GET", "/goods/?q=cup%00&mode=keyword", "Null characters"),
    Row("broken UTF-8 in the query string", "GET", f"/goods/?q={BROKEN_UTF8}&mode=keyword",
        "upstream"),
    Row("broken UTF-8 and NUL in pasted ids", "GET", f"/goods/?mode=items&items={BROKEN_UTF8}%00",
        "Null characters"),
    Row("huge paste of ids", "GET", "/goods/", "at most 5000 characters",
        {"mode": "items", "items": "1234567 " * 1000}),
    Row("a link to another site", "GET", "/goods/", "",
        {"mode": "items", "items": "https://evil.example/item.htm?id=12345"}),
    Row("page that is no number", "GET", "/goods/", "Enter a whole number", {"q": "cup",
        "page": NOT_INT}),
    Row("price with a huge exponent", "GET", "/goods/", "no more than 10 digits",
        {"q": "cup", "price_min": "1e999999"}),
    Row("category with NUL", "GET", "/goods/", "Null characters", {"q": "cup", "category": NUL}),
    Row("picture that is a text file", "POST", "/goods/", "not a picture we can read",
        {"platform": "taobao", "picture": upload("cup.png", b"hello", "image/png")}),
    Row("picture that is a GIF named .png", "POST", "/goods/", "PNG, JPEG or WEBP",
        {"platform": "taobao", "picture": upload("cup.png", GIF, "image/png")}),
    Row("picture that is a program", "POST", "/goods/", "not a picture we can read",
        {"platform": "taobao", "picture": upload("cup.jpg", EXE, "image/jpeg")}),
    Row("picture over 3 MB", "POST", "/goods/", "at most 3 MB",
        {"platform": "taobao", "picture": upload("big.png", PNG + b"\x00" * SIX_MB)}),
    Row("picture search without a file", "POST", "/goods/", "Choose, drop or paste a picture",
        {"platform": "taobao"}),
    Row("broken UTF-8 in a posted body", "POST", "/goods/", "Choose, drop or paste",
        b"platform=%FF%FE&picture=%00"),
]  # fmt: skip

# -- carts ---------------------------------------------------------------------------------
CARTS = [
    Row("NUL item id", "POST", "/carts/add/", "Open an item first",
        {"platform": "taobao", "item_id": NUL, "sku_id": "1", "quantity": "1"}),
    Row("huge item id", "POST", "/carts/add/", "Open an item first",
        {"platform": "taobao", "item_id": HUGE, "sku_id": "1", "quantity": "1"}),
    Row("quantity not a number", "POST", "/carts/add/", "quantity of at least 1",
        {"platform": "taobao", "item_id": "123", "sku_id": "1", "quantity": NOT_INT}),
    Row("quantity below one", "POST", "/carts/add/", "Open the item page first",
        {"platform": "taobao", "item_id": "123", "sku_id": "1", "quantity": "-5"}),
    Row("unknown platform", "POST", "/carts/add/", "Choose Taobao or 1688",
        {"platform": "amazon\x00", "item_id": "123", "sku_id": "1", "quantity": "1"}),
    Row("NUL cart line", "POST", "/carts/quantity/", "Choose a line of the cart",
        {"platform": "taobao", "cart_id": NUL, "quantity": "2"}),
    Row("NUL cart line removed", "POST", "/carts/remove/", "Choose a line of the cart",
        {"platform": "taobao", "cart_id": NUL}),
    Row("selection of no platform", "POST", "/carts/selection/", "Choose Taobao or 1688",
        {"platform": NUL, "selected": NOT_INT}, status=(400,)),
]  # fmt: skip

# -- checkout: a staff-built order, the cart's preview, confirm, approve, pay ----------------
CHECKOUT = [
    Row("NUL in the items", "POST", "/checkout/new/", "Null characters",
        {"platform": "taobao", "items": f"123 456 1\n{NUL}"}),
    Row("quantity zero", "POST", "/checkout/new/", "must be a whole number from 1 to 9999",
        {"platform": "taobao", "items": "123 456 0"}),
    Row("quantity past the bound", "POST", "/checkout/new/", "from 1 to 9999",
        {"platform": "taobao", "items": f"123 456 {OVERFLOW}"}),
    Row("quantity not a number", "POST", "/checkout/new/", "from 1 to 9999",
        {"platform": "taobao", "items": f"123 456 {NOT_INT}"}),
    Row("quantity in words", "POST", "/checkout/new/", "from 1 to 9999",
        {"platform": "taobao", "items": "123 456 two"}),
    Row("item id not digits", "POST", "/checkout/new/", "must be digits",
        {"platform": "taobao", "items": f"{NOT_INT}12 456 1"}),
    Row("thousands of lines", "POST", "/checkout/new/", "At most 100 lines",
        {"platform": "taobao", "items": "123 456 1\n" * 5000}),
    Row("unknown platform", "POST", "/checkout/new/", "Select a valid choice",
        {"platform": "ebay", "items": "123 456 1"}),
    Row("cart lines that are not ids", "POST", "/checkout/from-cart/", "Tick at least one",
        {"platform": "taobao", "cart_id": [NOT_INT, NUL, TOO_LONG_INT]}),
    Row("confirm with a total that is no number", "POST", "/checkout/{previewed}/confirm/",
        "The total changed", {"total_fen": NOT_INT}),
    Row("confirm with a huge total", "POST", "/checkout/{previewed}/confirm/",
        "The total changed", {"total_fen": TOO_LONG_INT}),
    Row("reject with a NUL comment", "POST", "/checkout/{waiting}/approve/", "Null characters",
        {"decision": "reject", "comment": NUL}, role="approver"),
    Row("approve with a huge comment", "POST", "/checkout/{waiting}/approve/",
        "at most 1000 characters", {"decision": "approve", "comment": HUGE}, role="approver"),
    Row("pay orders that are not ids", "POST", "/checkout/pay/confirm/",
        "Choose at least one order", {"order": [NOT_INT, NUL, TOO_LONG_INT]}, role="finance"),
    Row("pay an order id no column holds", "POST", "/checkout/pay/confirm/", "",
        {"order": OVERFLOW, "confirmed": "1", "total_fen": "0"}, role="finance"),
    Row("pay result of ids that are not ids", "GET", "/checkout/pay/result/", "",
        {"order": [NOT_INT, OVERFLOW, TOO_LONG_INT]}, role="finance"),
]  # fmt: skip

# -- an order's page: warehouse, voucher, clear attention, bulk actions, the list -------------
ORDERS = [
    Row("NUL warehouse name", "POST", "/orders/{order}/warehouse/", "Null characters",
        {"warehouse_name": NUL, "warehouse_address": "Guangzhou"}),
    Row("huge warehouse address", "POST", "/orders/{order}/warehouse/", "at most 300",
        {"warehouse_name": "W1", "warehouse_address": HUGE}),
    Row("voucher that is a text file named .png", "POST", "/orders/{order}/voucher/",
        "must be an image", {"voucher": upload("pay.png", b"hello", "image/png")},
        role="finance"),
    Row("voucher that is a program named .pdf", "POST", "/orders/{order}/voucher/",
        "must be an image", {"voucher": upload("pay.pdf", EXE, "application/pdf")},
        role="finance"),
    Row("voucher that is HTML", "POST", "/orders/{order}/voucher/", "must be an image",
        {"voucher": upload("pay.html", b"<script>alert(1)</script>", "text/html")},
        role="finance"),
    Row("voucher over 5 MB", "POST", "/orders/{order}/voucher/", "at most 5 MB",
        {"voucher": upload("pay.png", PNG + b"\x00" * SIX_MB, "image/png")}, role="finance"),
    Row("empty voucher", "POST", "/orders/{order}/voucher/", "empty",
        {"voucher": upload("pay.png", b"", "image/png")}, role="finance"),
    Row("voucher as text, not a file", "POST", "/orders/{order}/voucher/", "Choose a file",
        {"voucher": "not a file"}, role="finance"),
    Row("clear attention with NUL", "POST", "/orders/{order}/attention/clear/", "Null characters",
        {"comment": NUL}),
    Row("clear attention with a huge comment", "POST", "/orders/{order}/attention/clear/",
        "at most 1000 characters", {"comment": HUGE}),
    Row("bulk with ids that are not ids", "POST", "/orders/bulk/", "Tick orders from the list",
        {"action": "cancel", "orders": [NOT_INT], "confirmed": "1"}),
    Row("bulk with an id too long to read", "POST", "/orders/bulk/", "Tick orders",
        {"action": "cancel", "orders": [TOO_LONG_INT], "confirmed": "1"}),
    Row("bulk with an id no column holds", "POST", "/orders/bulk/", "Tick orders from the list",
        {"action": "cancel", "orders": [OVERFLOW], "confirmed": "1"}),
    Row("bulk cancel with a NUL reason", "POST", "/orders/bulk/", "Null characters",
        {"action": "cancel", "orders": ["{order}"], "confirmed": "1", "reason": NUL}),
    Row("bulk with an unknown action", "POST", "/orders/bulk/", "Select a valid choice",
        {"action": "refund\x00", "orders": ["{order}"]}),
    Row("list search with NUL", "GET", "/orders/", "Null characters", {"q": NUL}),
    Row("list search with broken UTF-8", "GET", f"/orders/?q={BROKEN_UTF8}&seller={BROKEN_UTF8}",
        "No orders"),
    Row("list with a page that is no number", "GET", "/orders/", "", {"page": NOT_INT}),
    Row("list filtered by a date that is not one", "GET", "/orders/", "Enter a valid date",
        {"date_from": "2024-02-30\x00"}),
]  # fmt: skip

# -- after-sales: the case's forms (opening one is below, against the sandbox) --------------
AFTERSALES = [
    Row("message with NUL", "POST", "/aftersales/{case}/message/", "Null characters",
        {"text": NUL}),
    Row("huge message", "POST", "/aftersales/{case}/message/", "at most 500 characters",
        {"text": HUGE}),
    Row("message picture that is a PDF", "POST", "/aftersales/{case}/message/", "picture",
        {"text": "see", "pictures": upload("a.png", b"%PDF-1.7\n", "image/png")}),
    Row("message picture that is a program", "POST", "/aftersales/{case}/message/",
        "is not a picture", {"text": "see", "pictures": upload("a.jpg", EXE, "image/jpeg")}),
    Row("message picture over 5 MB", "POST", "/aftersales/{case}/message/", "at most 5 MB",
        {"text": "see", "pictures": upload("a.png", PNG + b"\x00" * SIX_MB, "image/png")}),
    Row("four message pictures", "POST", "/aftersales/{case}/message/", "t most 3 pictures may go",
        {"text": "see", "pictures": [upload(f"{n}.png", PNG, "image/png") for n in range(4)]}),
    Row("modify to an amount in words", "POST", "/aftersales/{case}/modify/",
        "Amount (yuan): Enter a number", {"amount": "twelve", "description": ""}),
    Row("modify to a huge exponent", "POST", "/aftersales/{case}/modify/",
        "no more than 12 digits", {"amount": "1e999999", "description": ""}),
    Row("modify with a NUL description", "POST", "/aftersales/{case}/modify/",
        "Null characters", {"amount": "12.00", "description": NUL}),
    Row("return tracking with NUL", "POST", "/aftersales/{case}/return/", "Null characters",
        {"company_code": "ZTO", "tracking_no": NUL}),
    Row("return tracking huge", "POST", "/aftersales/{case}/return/", "at most 40 characters",
        {"company_code": "ZTO", "tracking_no": HUGE}),
    Row("return company with NUL", "POST", "/aftersales/{case}/return/", "Null characters",
        {"company_code": NUL, "tracking_no": "78123456789012"}),
    Row("open a case with lines that are not ids", "GET", "/aftersales/open/{order}/", "",
        {"preselect": [NOT_INT, TOO_LONG_INT], "line": [NOT_INT, OVERFLOW]}),
    Row("open a case with a NUL description", "POST", "/aftersales/open/{order}/",
        "Null characters", {"line": ["{line}"], "qty_{line}": "1", "kind": "refund_only",
            "goods_status": "1", "reason": "1", "amount": "1.00", "description": NUL}),
    Row("open a case with a NUL reason", "POST", "/aftersales/open/{order}/",
        "Null characters", {"line": ["{line}"], "qty_{line}": "1", "kind": "refund_only",
            "goods_status": "1", "reason": NUL, "amount": "1.00"}),
    Row("case list filtered by NUL", "GET", "/aftersales/", "", {"status": NUL, "page": NOT_INT}),
]  # fmt: skip

# -- logistics: addresses, freight estimate, parcels, domestic tracking ----------------------
LOGISTICS = [
    Row("address name with NUL", "POST", "/logistics/addresses/", "Null characters",
        {"kind": "customer", "name": NUL, "country": "US", "city": "Portland"}),
    Row("huge street address", "POST", "/logistics/addresses/", "at most 300 characters",
        {"kind": "customer", "name": "Bob", "country": "US", "address": HUGE}),
    Row("address edit with broken UTF-8", "POST", "/logistics/addresses/{address}/",
        "Select a valid choice", b"kind=%FF%FE&name=%C3%28"),
    Row("freight for a NUL item", "GET", "/logistics/freight/", "Null characters",
        {"item_id": NUL, "country": "US"}),
    Row("freight for lines that are not ids", "GET", "/logistics/freight/",
        "Line ids are numbers", {"lines": f"{NOT_INT},1", "country": "US"}),
    Row("freight for a line id no column holds", "GET", "/logistics/freight/", "",
        {"lines": OVERFLOW, "country": "US"}),
    Row("freight for quantity zero", "GET", "/logistics/freight/", "greater than or equal to 1",
        {"item_id": "123", "quantity": "0", "country": "US"}),
    Row("freight for a huge quantity", "GET", "/logistics/freight/", "Enter a whole number",
        {"item_id": "123", "quantity": TOO_LONG_INT, "country": "US"}),
    Row("parcel from lines that are not ids", "POST", "/logistics/parcels/new/", "",
        {"lines": [NOT_INT, TOO_LONG_INT], "address": NUL, "service": "S1",
         "declared_value": "10", "description": "cups"}),
    Row("parcel with a negative value", "POST", "/logistics/parcels/new/?lines={line}",
        "greater than or equal to 0.01", {"lines": ["{line}"], "address": "{address}",
            "service": "S1", "declared_value": "-1", "description": "cups"}),
    Row("parcel with a NUL description", "POST", "/logistics/parcels/new/", "Null characters",
        {"lines": ["{line}"], "address": "{address}", "service": "S1", "declared_value": "10",
            "description": NUL}),
    Row("parcel with a huge tax id", "POST", "/logistics/parcels/new/", "at most 40 characters",
        {"lines": ["{line}"], "address": "{address}", "service": "S1", "declared_value": "10",
            "description": "cups", "tax_id": HUGE}),
    Row("parcel cancelled with a NUL reason", "POST", "/logistics/parcels/{parcel}/cancel/",
        "Null characters", {"reason": NUL}),
    Row("domestic tracking with NUL", "POST", "/logistics/lines/{line}/domestic/",
        "Null characters", {"company": "ZTO", "tracking_no": NUL}),
    Row("domestic carrier with NUL", "POST", "/logistics/lines/{line}/domestic/",
        "Null characters", {"company": NUL, "tracking_no": "78123456789012"}),
    Row("domestic tracking huge", "POST", "/logistics/lines/{line}/domestic/",
        "at most 60 characters", {"company": "ZTO", "tracking_no": HUGE}),
    Row("parcel list filtered by NUL", "GET", "/logistics/", "", {"country": NUL}),
    Row("warehouse lines waiting for no number", "GET", "/logistics/warehouse/",
        "Days are a whole number", {"min_days": NOT_INT}),
    Row("warehouse lines searched for a huge text", "GET", "/logistics/warehouse/",
        "Search for at most 100 characters", {"q": HUGE}),
    Row("warehouse lines searched for NUL", "GET", "/logistics/warehouse/", "Null characters",
        {"q": NUL}),
]  # fmt: skip


@pytest.mark.parametrize(
    "row", [*GOODS, *CARTS, *CHECKOUT, *ORDERS, *AFTERSALES, *LOGISTICS], ids=str
)
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
