"""More of the case pages against the live sandbox: a 1688 case through the pages, the
evidence pack button, and pictures in the message thread (accepted, and refused)."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.models import CaseKind, CaseStatus, EvidencePack, RefundCase
from tests.aftersales.conftest import PDF, PNG, paid_order
from tests.aftersales.factories import open_params, save_case, text
from tests.orders.factories import client_for
from upstream.sandbox.models import RefundMessage, Voucher

GOODS_1688 = "refundWaitSellerSend"


def test_a_1688_case_opened_and_submitted_through_the_pages(live, people):
    order = paid_order(people, live, platform="1688")
    client = client_for(people.purchaser)
    options = client.get(
        reverse("aftersales:open", args=[order.pk]),
        {**open_params(order, goods=GOODS_1688), "ask": "1"},
    )
    assert 'data-testid="case-options"' in text(options)
    assert "Not shipped yet" in text(options)

    photo = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    saved, _ = save_case(client, order, goods=GOODS_1688, files=[photo])
    case = RefundCase.objects.get()
    assert saved.status_code == 302 and case.platform == "1688" and case.status == CaseStatus.OPEN
    sent = client.post(reverse("aftersales:submit", args=[case.pk]), follow=True)

    case.refresh_from_db()
    assert "Sent to the seller." in text(sent) and case.upstream_refund_id.startswith("TQ")
    assert "1688 refunds have no message thread here" in text(sent)
    listed = client.get(reverse("aftersales:index"), {"platform": "1688"})
    assert f'data-reference="{case.reference}"' in text(listed)
    assert text(listed).count('data-testid="case-row"') == 1
    live.control("tick")
    page = client.post(reverse("aftersales:refresh", args=[case.pk]), follow=True)
    assert 'data-testid="case-status">Refunded<' in text(page)


def test_the_evidence_pack_button_attaches_once_and_shows_the_pack(live, people):
    order = paid_order(people, live, shipped=True)
    client = client_for(people.purchaser)
    save_case(client, order)
    case = RefundCase.objects.get()
    page = client.get(reverse("aftersales:detail", args=[case.pk]))
    assert "Attach the evidence pack" in text(page)

    attached = client.post(reverse("aftersales:pack", args=[case.pk]), follow=True)
    again = client.post(reverse("aftersales:pack", args=[case.pk]), follow=True)

    assert "Evidence pack attached." in text(attached)
    body = text(again)
    assert "already attached and nothing has changed" in body
    assert EvidencePack.objects.filter(case=case).count() == 1
    assert 'data-testid="pack-preview"' in body and 'data-testid="pack-trace"' in body
    assert 'data-testid="pack-im"' in body and "Refresh the evidence pack" in body
    assert "in the claim&#x27;s description when you send the claim" in body
    assert body.count("evidence pack attached:") == 1  # one timeline entry


def _send(client, case, text_value: str, *files):
    return client.post(
        reverse("aftersales:message", args=[case.pk]),
        {"text": text_value, "pictures": list(files)},
        follow=True,
    )


def test_a_message_with_a_picture_and_pictures_refused(live, people):
    order = paid_order(people, live)
    client = client_for(people.purchaser)
    save_case(client, order)
    case = RefundCase.objects.get()
    client.post(reverse("aftersales:submit", args=[case.pk]))
    case.refresh_from_db()
    page = text(client.get(reverse("aftersales:detail", args=[case.pk])))
    assert 'enctype="multipart/form-data"' in page and 'name="pictures"' in page
    vouchers = Voucher.objects.count()

    pdf = SimpleUploadedFile("bill.pdf", PDF, content_type="image/png")
    fake = SimpleUploadedFile("notes.png", b"just text", content_type="image/png")
    big = SimpleUploadedFile("big.png", PNG + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    for bad, why in [(pdf, "is not a picture"), (fake, "is not a picture"), (big, "at most 5 MB")]:
        refused = _send(client, case, "看这个", bad)
        assert why in text(refused) and "The message was not sent." in text(refused)
    assert Voucher.objects.count() == vouchers
    assert not RefundMessage.objects.filter(text__startswith="看这个").exists()

    photo = SimpleUploadedFile("broken.png", PNG, content_type="image/png")
    sent = _send(client, case, "商品破损", photo)

    assert "Message sent with 1 picture." in text(sent)
    message = RefundMessage.objects.get(text="商品破损")
    assert len(message.pictures) == 1 and Voucher.objects.count() == vouchers + 1
    thread = re.search(r'data-testid="thread">(.*?)</ol>', text(sent), re.S).group(1)
    assert "商品破损" in thread and message.pictures[0] in thread
    assert "us (the buyer)" in thread and ">buyer<" not in thread


def test_a_1688_case_page_offers_no_message_form(live, people):
    order = paid_order(people, live, platform="1688")
    client = client_for(people.purchaser)
    photo = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    save_case(client, order, goods=GOODS_1688, kind=CaseKind.REFUND_ONLY, files=[photo])
    case = RefundCase.objects.get()
    client.post(reverse("aftersales:submit", args=[case.pk]))
    refused = _send(client, case, "hello")
    assert "1688 refunds have no message thread" in text(refused)
