"""Hostile input for the security tests: the values a careless paste or a hostile person sends,
the staff-form rows built from them and the check every row passes (`tests/security/
test_hostile_forms*.py`), and callback headers signed as the upstream would sign them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.models import CaseEvent, CaseEvidence, CaseLine, RefundCase
from logistics.models import Address, Parcel, ParcelEvent, ParcelLine
from purchasing.models import OrderEvent, PaymentAttempt, PurchaseOrder, PurchaseOrderLine
from upstream.accounts import pandapon_account
from upstream.signing import pandapon_headers


def signed_headers(**overrides: str) -> dict[str, str]:
    account = pandapon_account()
    return pandapon_headers(
        account.key,
        account.secret,
        account.user_id,
        fields=account.sign_fields,
        secret_key=account.sign_secret_key,
        **overrides,
    )


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
    PurchaseOrder,
    PurchaseOrderLine,
    OrderEvent,
    PaymentAttempt,
    RefundCase,
    CaseLine,
    CaseEvent,
    CaseEvidence,
    Address,
    Parcel,
    ParcelLine,
    ParcelEvent,
    LogEntry,
)


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
            order.status,
            order.address,
            order.needs_attention,
            order.attention_reason,
            line.tracking_company,
            line.tracking_no,
            case.status,
            case.asked_fen,
            case.description,
            case.return_tracking_no,
            parcel.status,
            address,
        )


def snapshot(world: World) -> tuple:
    return tuple(model.objects.count() for model in COUNTED), world.fields()


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
