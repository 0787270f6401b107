"""Uploads are judged before anything is kept or sent upstream (`purchasing.uploads`).

A picture's size is read from its header and refused past the pixel limit before it is
decoded; pictures that pass are decoded and saved again, so bytes appended to them (HTML after a
GIF) never leave Caigou; a PDF that carries scripts or actions, even inside a compressed stream,
is refused. Each entry point is checked with the upstream replaced by a recorder: what it
received is what the test looks at.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from aftersales.models import CaseStatus, RefundCase
from aftersales.services import CaseError, case_send_message
from aftersales.services.common import check_evidence
from purchasing import uploads
from purchasing.models import OrderEvent
from purchasing.statuses import OrderStatus
from tests.aftersales.factories import RefundCaseFactory
from tests.orders.factories import PurchaseOrderFactory
from tests.security.files import (
    GIF_WITH_HTML,
    HTML_TAIL,
    PDF_WITH_SCRIPT,
    PLAIN_PDF,
    pdf_hiding,
    png_claiming,
    tiny_png,
)
from upstream.pandapon.orders import TaobaoOrders

HUGE_PNG = png_claiming(20_000, 20_000)  # 400 megapixels, a few hundred bytes on the wire
VOUCHER_URL = "https://upstream.example/v/1"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- the module itself -----------------------------------------------------------------------
@pytest.mark.parametrize("size", [(20_000, 20_000), (10_000, 10_000), (8_000, 7_000)])
def test_pictures_past_the_pixel_limit_are_refused_from_their_header(size):
    with pytest.raises(uploads.UploadRefused, match="too large"):
        uploads.clean_file(png_claiming(*size))
    with pytest.raises(uploads.UploadRefused, match="too large"):
        uploads.picture_format(png_claiming(*size))


@pytest.mark.parametrize(
    "content",
    [tiny_png((64, 64))[:70], b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"GIF89a<html>"],
    ids=["truncated", "header only", "gif signature then html"],
)
def test_pictures_that_cannot_be_decoded_are_refused(content):
    with pytest.raises(uploads.UploadRefused, match="not a picture that can be read"):
        uploads.clean_file(content)


def test_a_picture_is_saved_again_without_what_was_appended_or_its_metadata():
    clean = uploads.clean_file(GIF_WITH_HTML)

    assert clean.content_type == "image/png" and HTML_TAIL not in clean.content
    assert clean.name_for("slip.gif") == "slip.png"
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "PNG" and image.size == (4, 4)


def test_a_jpeg_stays_a_jpeg_without_its_exif():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # the camera maker
    Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    assert b"SecretCam" in buffer.getvalue()

    clean = uploads.clean_file(buffer.getvalue() + HTML_TAIL)

    assert clean.content_type == "image/jpeg"
    assert b"SecretCam" not in clean.content and HTML_TAIL not in clean.content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PDF_WITH_SCRIPT, "scripts, actions or embedded files"),
        (pdf_hiding(b"JavaScript"), "JavaScript"),
        (pdf_hiding(b"J#61vaScript"), "JavaScript"),  # a name spelled with an escape
        (pdf_hiding(b"Launch"), "Launch"),
        (b"%PDF-1.4\n1 0 obj << /Type /EmbeddedFile >> endobj\n%%EOF\n", "EmbeddedFile"),
        (b"%PDF-1.4\ntrailer << /Encrypt 3 0 R >>\n%%EOF\n", "encrypted"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n", "damaged or incomplete"),
    ],
)
def test_pdfs_that_do_more_than_show_pages_are_refused(content, message):
    with pytest.raises(uploads.UploadRefused, match=message):
        uploads.clean_file(content)


def test_a_plain_pdf_passes_unchanged():
    clean = uploads.clean_file(PLAIN_PDF)

    assert (clean.content_type, clean.content) == ("application/pdf", PLAIN_PDF)


# -- picture search --------------------------------------------------------------------------
@pytest.fixture
def searches(monkeypatch) -> list:
    sent: list = []
    monkeypatch.setattr(
        "purchasing.services.goods.goods_search_by_picture",
        lambda **kwargs: sent.append(kwargs),
    )
    return sent


def test_a_huge_picture_search_is_a_400_and_sends_nothing(staff_user, searches):
    upload = SimpleUploadedFile("shot.png", HUGE_PNG, content_type="image/png")

    response = signed_in(staff_user("purchaser")).post(
        reverse("goods:index"), {"platform": "taobao", "picture": upload}
    )

    assert response.status_code == 400
    assert "The picture is too large" in response.content.decode()
    assert searches == []


# -- payment vouchers ------------------------------------------------------------------------
@pytest.fixture
def voucher_order(db):
    return PurchaseOrderFactory(status=OrderStatus.PAID, upstream_order_id="3300001")


@pytest.fixture
def vouchers_sent(monkeypatch) -> list[dict]:
    sent: list[dict] = []

    def upload_voucher(self, **kwargs):
        sent.append(kwargs)
        return "https://upstream.example/vouchers/1"

    # The upstream client's operation is the edge: the route and the service run as they do.
    monkeypatch.setattr(TaobaoOrders, "upload_voucher", upload_voucher)
    return sent


def post_voucher(staff_user, order, name: str, content: bytes):
    return signed_in(staff_user("finance")).post(
        f"/orders/{order.pk}/voucher/",
        {"voucher": SimpleUploadedFile(name, content, content_type="image/gif")},
        follow=True,
    )


def test_a_gif_with_html_appended_is_forwarded_as_a_clean_picture(
    staff_user, voucher_order, vouchers_sent
):
    response = post_voucher(staff_user, voucher_order, "slip.gif", GIF_WITH_HTML)

    assert "Payment voucher slip.gif uploaded." in response.content.decode()
    [sent] = vouchers_sent
    assert HTML_TAIL not in sent["content"] and b"<script" not in sent["content"]
    assert sent["content_type"] == "image/png" and sent["filename"] == "slip.png"
    with Image.open(io.BytesIO(sent["content"])) as image:
        assert image.format == "PNG"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("slip.pdf", PDF_WITH_SCRIPT, "carries scripts, actions or embedded files"),
        ("slip.pdf", pdf_hiding(b"JavaScript"), "carries scripts, actions or embedded files"),
        ("slip.png", HUGE_PNG, "The picture is too large"),
    ],
)
def test_hostile_vouchers_are_refused_and_nothing_is_sent(
    staff_user, voucher_order, vouchers_sent, name, content, message
):
    response = post_voucher(staff_user, voucher_order, name, content)

    assert message in response.content.decode()
    assert vouchers_sent == []
    assert not OrderEvent.objects.filter(order=voucher_order, kind="voucher").exists()


# -- after-sales evidence and message pictures ----------------------------------------------
def test_evidence_is_kept_as_a_clean_picture_and_hostile_pdfs_are_refused():
    [(name, ctype, content)] = check_evidence([("photo.gif", GIF_WITH_HTML)])
    assert (name, ctype) == ("photo.png", "image/png") and HTML_TAIL not in content

    with pytest.raises(CaseError, match=r"bill\.pdf: The PDF carries scripts"):
        check_evidence([("ok.png", tiny_png()), ("bill.pdf", pdf_hiding(b"JS"))])
    with pytest.raises(CaseError, match=r"huge\.png: The picture is too large"):
        check_evidence([("huge.png", HUGE_PNG)])


@pytest.fixture
def waiting_case(db) -> RefundCase:
    order = PurchaseOrderFactory(status=OrderStatus.PAID, upstream_order_id="4000000001")
    return RefundCaseFactory(
        order=order, platform="taobao", status=CaseStatus.WAITING_SELLER, upstream_refund_id="R1"
    )


@pytest.fixture
def upstream_pictures(monkeypatch) -> dict[str, list]:
    received: dict[str, list] = {"vouchers": [], "messages": []}

    class Voucher:
        url = VOUCHER_URL

    class Alibaba:
        def upload_voucher(self, **kwargs):
            received["vouchers"].append(kwargs)
            return Voucher()

    class Taobao:
        def send_message(self, **kwargs):
            received["messages"].append(kwargs)

    monkeypatch.setattr("aftersales.routes.clients.alibaba", lambda: Alibaba())
    monkeypatch.setattr("aftersales.routes.clients.taobao", lambda: Taobao())
    return received


def test_message_pictures_reach_the_upstream_saved_again(
    waiting_case, staff_user, upstream_pictures
):
    case_send_message(
        case=waiting_case,
        text="see",
        pictures=[("a.gif", GIF_WITH_HTML)],
        actor=staff_user("purchaser"),
    )

    [voucher] = upstream_pictures["vouchers"]
    assert HTML_TAIL not in voucher["content"] and voucher["content_type"] == "image/png"
    assert upstream_pictures["messages"][0]["pictures"] == [VOUCHER_URL]


def test_a_huge_message_picture_sends_nothing(waiting_case, staff_user, upstream_pictures):
    with pytest.raises(CaseError, match="too large"):
        case_send_message(
            case=waiting_case,
            text="see",
            pictures=[("a.png", HUGE_PNG)],
            actor=staff_user("purchaser"),
        )

    assert upstream_pictures == {"vouchers": [], "messages": []}
