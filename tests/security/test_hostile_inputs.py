"""Hostile input on every entry point, found by walking the URL table rather than listed by hand.

Where `test_hostile_forms.py` asks each staff form its own questions, this module sends the
same few hostile bodies to every URL Caigou serves (staff pages, uploads, the storefront API,
the upstream callbacks): JSON nested thousands deep, a body past the upload cap, bytes that are
not UTF-8, a lone surrogate, NUL bytes, and a polyglot picture (a GIF with HTML behind it) in
every file field. A new URL is covered the day it is added.

Every answer must be a refusal or a page, never a 5xx (the test client re-raises an exception a
view lets escape), and no business row may appear or change: the row count of every Caigou model
is the same after the request as before it. The machine-facing entry points (the API and the
callbacks) must answer 4xx with a message. The upstream is unreachable, so nothing can be sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from aftersales.models import CaseKind, CaseStatus, RefundCase
from logistics.models import Address, Parcel
from purchasing.statuses import OrderStatus
from storefront.models import ALL_SCOPES, Storefront
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.purchasing.factories import StaffUserFactory
from tests.security.factories import signed_headers
from tests.storefront.api_fixtures import api_for

pytestmark = pytest.mark.django_db

# The apps whose rows are Caigou's books. The call journal and the axes log record attempts by
# design; sessions are the sign-in itself.
BOOKS = ("purchasing", "carts", "aftersales", "logistics", "storefront", "reports")
NOT_BOOKS = {"calljournal", "upstreammessage", "idempotencykey"}

# Django's own admin is tested by Django; the sandbox stands in for the upstream.
SKIPPED_PREFIXES = ("admin/", "sandbox/", "api/schema", "api/docs")

NESTED = ("[" * 5000 + "]" * 5000).encode()
NESTED_OBJECT = ('{"a":' * 5000 + "1" + "}" * 5000).encode()
SURROGATE = b'{"external_id": "\\ud800", "q": "\\udfff", "message": "\\ud800"}'
NOT_UTF8 = b'{"external_id": "\xff\xfe\xc3\x28", "q": "\xed\xa0\x80"}'
POLYGLOT = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><script>alert(1)</script></html>"
FILE_FIELDS = ("picture", "pictures", "file", "voucher", "evidence", "image")


@dataclass(frozen=True)
class Entry:
    """One URL with its placeholders filled in."""

    path: str
    name: str

    @property
    def machine(self) -> bool:
        """Spoken to by programs, not people: refusals must be 4xx with a message."""
        return self.path.startswith(("/api/", "/callbacks/"))

    def __str__(self) -> str:
        return self.path


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern) and "^" not in route:
            yield route, pattern.name or ""


def entries(ids: dict[str, int]) -> list[Entry]:
    """Every URL Caigou serves to staff, the storefront and the upstream, with real ids."""

    def pk_for(route: str) -> int:
        for prefix, key in (
            ("aftersales/open/", "order"),
            ("aftersales/", "case"),
            ("logistics/addresses/", "address"),
            ("logistics/lines/", "line"),
            ("logistics/parcels/", "parcel"),
            ("reports/exports/", "order"),
            ("checkout/", "previewed"),
            ("api/", "order"),
        ):
            if route.startswith(prefix):
                return ids[key]
        return ids["order"]

    found = []
    for route, name in _patterns(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES) or "(?P<" in route:
            continue
        path = re.sub(r"<int:\w+>", str(pk_for(route)), route)
        path = path.replace("<str:platform>", "taobao").replace("<str:item_id>", "652870374890")
        path = path.replace("<slug:name>", "orders")
        found.append(Entry("/" + path, name))
    return found


def books() -> dict[str, int]:
    """The row count of every model in Caigou's books."""
    counts = {}
    for label in BOOKS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            if model._meta.model_name not in NOT_BOOKS:
                counts[model._meta.label] = model.objects.count()
    return counts


@pytest.fixture
def entry_ids(db, settings) -> dict[str, int]:
    settings.PANDAPON_BASE_URL = "http://127.0.0.1:9/pandapon"
    settings.DAJISAAS_BASE_URL = "http://127.0.0.1:9/dajisaas"
    order = PurchaseOrderFactory(status=OrderStatus.PAID, upstream_order_id="4000000001")
    line = PurchaseOrderLineFactory(order=order)
    previewed = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)
    case = RefundCase.objects.create(
        order=order,
        platform="taobao",
        kind=CaseKind.REFUND_ONLY,
        goods_status="1",
        reason_id="1",
        asked_fen=500,
        max_fen=1000,
        status=CaseStatus.OPEN,
        description="broken",
    )
    address = Address.objects.create(
        kind="customer",
        name="Alice Smith",
        phone="+15035550100",
        country="US",
        province="OR",
        city="Portland",
        address="1 Main St",
        postcode="97201",
    )
    parcel = Parcel.objects.create(
        address=address, country="US", service_id="S1", customs_description="cups"
    )
    return {
        "order": order.pk,
        "line": line.pk,
        "previewed": previewed.pk,
        "case": case.pk,
        "address": address.pk,
        "parcel": parcel.pk,
    }


class Sender:
    """Sends as someone each entry point lets in, so that its own checks are what is tested:
    the admin for staff pages, a storefront's key for the API, PandaPon's signed headers for
    its callbacks (PandaPon signs its headers, not the body)."""

    def __init__(self) -> None:
        self.client = Client()
        self.client.force_login(StaffUserFactory(role="admin"))
        storefront = Storefront.objects.create(name="Hostile shop", scopes=list(ALL_SCOPES))
        self.api_key = api_for(storefront).raw

    def headers(self, entry: Entry) -> dict[str, str]:
        if entry.path.startswith("/api/"):
            return {"Authorization": f"Bearer {self.api_key}"}
        if entry.path.startswith("/callbacks/pandapon/"):
            return signed_headers()
        return {}

    def post(self, entry: Entry, data, **kwargs):
        return self.client.post(entry.path, data, headers=self.headers(entry), **kwargs)

    def get(self, entry: Entry, query: str):
        return self.client.get(f"{entry.path}?{query}", headers=self.headers(entry))


@pytest.fixture
def sender(db) -> Sender:
    return Sender()


def _polyglot_fields() -> dict[str, SimpleUploadedFile]:
    return {
        name: SimpleUploadedFile("cup.png", POLYGLOT, content_type="image/png")
        for name in FILE_FIELDS
    }


BODIES = {
    "JSON nested 5,000 deep (array)": (NESTED, "application/json"),
    "JSON nested 5,000 deep (object)": (NESTED_OBJECT, "application/json"),
    "JSON with lone surrogates": (SURROGATE, "application/json"),
    "JSON that is not UTF-8": (NOT_UTF8, "application/json"),
    "form body that is not UTF-8": (
        b"q=%FF%FE%C3%28&quantity=%ED%A0%80&note=%00",
        "application/x-www-form-urlencoded",
    ),
    "form with NUL bytes": (
        b"q=a%00b&name=a%00b&quantity=1%00&comment=%00&items=%00",
        "application/x-www-form-urlencoded",
    ),
}


def _said_something(response) -> bool:
    return bool(response.content.strip()) or response.status_code in (302, 405)


def _check(entry: Entry, response, before: dict[str, int]) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{entry}: {response.status_code}")
    if entry.machine and not 400 <= response.status_code < 500:
        problems.append(f"{entry}: {response.status_code} where a 4xx refusal belongs")
    if entry.machine and not _said_something(response):
        problems.append(f"{entry}: {response.status_code} with no message")
    after = books()
    if after != before:
        changed = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
        problems.append(f"{entry}: stored {changed}")
    return problems


@pytest.mark.parametrize("body", BODIES, ids=list(BODIES))
def test_every_entry_point_refuses_a_hostile_body(entry_ids, sender, body):
    raw, content_type = BODIES[body]
    problems = []
    for entry in entries(entry_ids):
        before = books()
        response = sender.post(entry, raw, content_type=content_type)
        problems += _check(entry, response, before)
    assert not problems, "\n".join(problems)


def test_every_entry_point_refuses_a_polyglot_upload(entry_ids, sender):
    problems = []
    for entry in entries(entry_ids):
        before = books()
        response = sender.post(entry, _polyglot_fields())
        problems += _check(entry, response, before)
    assert not problems, "\n".join(problems)


def test_every_entry_point_refuses_a_body_past_the_cap(entry_ids, sender, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    settings.CAIGOU_CALLBACK_MAX_BYTES = 64 * 1024
    big = b"q=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    problems = []
    for entry in entries(entry_ids):
        before = books()
        response = sender.post(entry, big, content_type="application/x-www-form-urlencoded")
        problems += _check(entry, response, before)
        response = sender.post(
            entry, b'{"q": "' + b"x" * len(big) + b'"}', content_type="application/json"
        )
        problems += _check(entry, response, before)
    assert not problems, "\n".join(problems)


QUERIES = {
    "page that is no number": "page=abc&page_size=abc",
    "negative page size": "page=-1&page_size=-1",
    "zero page size": "page=0&page_size=0",
    "huge numbers": "page=" + "9" * 400 + "&page_size=" + "9" * 400,
    "NUL and broken UTF-8": "q=%00%FF%FE&status=%ED%A0%80&ordering=%00",
    "huge search": "q=" + "x" * 20_000,
}


@pytest.mark.parametrize("query", QUERIES, ids=list(QUERIES))
def test_every_entry_point_answers_a_hostile_query_string(entry_ids, sender, query):
    """A GET may ignore what it does not read; it must not fail or store anything. A read that
    reaches the (unreachable) upstream answers 503, which says so: that is not a failure."""
    problems = []
    for entry in entries(entry_ids):
        before = books()
        response = sender.get(entry, QUERIES[query])
        if response.status_code == 503 and b"upstream" in response.content.lower():
            continue
        problems += [p for p in _check(entry, response, before) if "4xx" not in p]
    assert not problems, "\n".join(problems)


def test_the_walk_reaches_every_area():
    """The URL walk finds the staff pages, the API and both callbacks: if it stopped finding
    them, every test above would pass by testing nothing."""
    ids = dict.fromkeys(("order", "line", "previewed", "case", "address", "parcel"), 1)
    paths = {entry.path for entry in entries(ids)}
    for expected in (
        "/callbacks/pandapon/",
        "/callbacks/dajisaas/",
        "/api/v1/orders/",
        "/carts/add/",
        "/checkout/pay/confirm/",
        "/aftersales/1/message/",
        "/orders/1/voucher/",
        "/goods/",
        "/logistics/parcels/new/",
        "/reports/export/",
        "/login/",
    ):
        assert expected in paths, expected
    assert len(paths) > 60
