"""Payment vouchers on the order page: what is refused, what is kept and sent upstream, and
who may see or download them."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory
from tests.security.files import tiny_png
from upstream import errors
from upstream.pandapon.orders import TaobaoOrders

pytestmark = pytest.mark.django_db

PNG = tiny_png()  # a real picture: vouchers are decoded and saved again
PDF = b"%PDF-1.7\n" + b"0" * 64 + b"\n%%EOF\n"


@pytest.fixture
def voucher_order():
    return PurchaseOrderFactory(status=OrderStatus.PAID, upstream_order_id="3300001")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.txt", b"just some text", "A voucher must be an image (PNG, JPEG, GIF or WEBP)"),
        ("fake.png", b"GIF? no: plain bytes", "A voucher must be an image"),
        ("huge.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "at most 5 MB; this file is 5.0 MB"),
        ("empty.png", b"", "The submitted file is empty."),
    ],
)
def test_voucher_refusals_save_nothing(
    signed_in, voucher_order, monkeypatch, name, content, message
):
    client, _ = signed_in("finance")
    calls = []
    monkeypatch.setattr(TaobaoOrders, "upload_voucher", lambda self, **kw: calls.append(kw))

    response = client.post(
        f"/orders/{voucher_order.pk}/voucher/",
        {"voucher": SimpleUploadedFile(name, content, content_type="image/png")},
        follow=True,
    )

    assert message in response.content.decode()
    assert calls == [] and not voucher_order.events.exists()


def test_voucher_upload_sends_the_sniffed_type_and_writes_an_event(
    signed_in, voucher_order, monkeypatch
):
    client, user = signed_in("finance")
    sent = {}

    def upload_voucher(self, **kwargs):
        sent.update(kwargs)
        return "https://sandbox/vouchers/1"

    monkeypatch.setattr(TaobaoOrders, "upload_voucher", upload_voucher)

    response = client.post(
        f"/orders/{voucher_order.pk}/voucher/",
        {"voucher": SimpleUploadedFile("slip.pdf", PDF, content_type="text/plain")},
        follow=True,
    )

    assert "Payment voucher slip.pdf uploaded." in response.content.decode()
    assert sent["content_type"] == "application/pdf" and sent["order_id"] == "3300001"
    event = voucher_order.events.get()
    assert event.kind == "voucher" and event.actor == user
    # Kept as sent, shown on the order page and downloaded through it by those who may pay.
    kept = voucher_order.vouchers.get()
    assert (kept.file_name, kept.content_type, kept.size) == (
        "slip.pdf",
        "application/pdf",
        len(PDF),
    )
    assert kept.upstream_url == "https://sandbox/vouchers/1" and kept.uploaded_by == user
    download = f"/orders/{voucher_order.pk}/vouchers/{kept.pk}/"
    assert download in response.content.decode()
    got = client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["Content-Type"] == "application/pdf" and "slip.pdf" in got["Content-Disposition"]
    assert got["Cache-Control"] == "private, no-store"


def stored_vouchers() -> list[str]:
    if not default_storage.exists("vouchers"):
        return []
    folders, _ = default_storage.listdir("vouchers")
    return [f"{d}/{f}" for d in folders for f in default_storage.listdir(f"vouchers/{d}")[1]]


def test_a_voucher_the_upstream_refuses_leaves_no_event(signed_in, voucher_order, monkeypatch):
    client, _ = signed_in("finance")
    before = stored_vouchers()

    def upload_voucher(self, **kwargs):
        raise errors.BadRequest("file too strange", request_id="r-9")

    monkeypatch.setattr(TaobaoOrders, "upload_voucher", upload_voucher)
    response = client.post(
        f"/orders/{voucher_order.pk}/voucher/",
        {"voucher": SimpleUploadedFile("slip.png", PNG)},
        follow=True,
    )

    assert (
        "The upstream refused: file too strange (upstream request r-9)" in response.content.decode()
    )
    assert not voucher_order.events.exists()
    assert not voucher_order.vouchers.exists()
    assert stored_vouchers() == before  # the file stored before the upload is gone again


def test_purchasers_may_not_upload_vouchers(client_as, voucher_order):
    response = client_as("purchaser").post(
        f"/orders/{voucher_order.pk}/voucher/", {"voucher": SimpleUploadedFile("a.png", PNG)}
    )
    assert response.status_code == 403


def test_purchasers_neither_see_nor_download_vouchers(client_as, staff_user, voucher_order):
    kept = voucher_order.vouchers.create(
        file=SimpleUploadedFile("slip.png", PNG),
        file_name="slip.png",
        content_type="image/png",
        size=len(PNG),
        uploaded_by=staff_user("finance"),
    )
    purchaser = client_as("purchaser")
    download = f"/orders/{voucher_order.pk}/vouchers/{kept.pk}/"

    assert download not in purchaser.get(f"/orders/{voucher_order.pk}/").content.decode()
    assert purchaser.get(download).status_code == 403
    assert (
        client_as("finance").get(f"/orders/{voucher_order.pk + 1}/vouchers/{kept.pk}/").status_code
        == 404
    )
