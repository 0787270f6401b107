"""What was bought, shown where people decide: a small picture and the variant in words on the
order list, preview, approval, pay pages and order page, at a fixed number of queries; and the
purchaser's note to the approver."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from purchasing.models import OrderPreview, PurchaseOrder
from purchasing.services.orders.approval import order_confirm, order_note_approver
from purchasing.services.orders.common import NotAllowed
from purchasing.services.orders.preview import NewLine, order_create
from purchasing.statuses import OrderStatus
from purchasing.variants import variant_words
from tests.orders.factories import (
    ADDRESS,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    client_for,
)

pytestmark = pytest.mark.django_db

MAT = {
    "title": "加厚瑜伽垫防滑健身垫",
    "title_en": "Thick non-slip yoga mat",
    "variant": "颜色分类: 蓝色 (blue)",
    "picture": "https://img.example.com/yoga-mat.jpg",
}
THUMB = 'alt="加厚瑜伽垫防滑健身垫" class="{cls}" width="48" height="48" loading="lazy"'


def order_of_mats(lines: int = 1, **fields) -> PurchaseOrder:
    order = PurchaseOrderFactory(**fields)
    for number in range(1, lines + 1):
        PurchaseOrderLineFactory(order=order, line_no=number, seller_id="s1", **MAT)
    return order


def shows_the_goods(page, cls: str = "line-thumb") -> bool:
    html = page.content.decode()
    return THUMB.format(cls=cls) in html and "颜色分类: 蓝色 (blue)" in html


def with_preview(order: PurchaseOrder) -> PurchaseOrder:
    """A fresh preview of the order's one seller, listing its lines as the upstream priced them."""
    lines = [
        {
            "item_id": line.item_id,
            "sku_id": line.sku_id,
            "quantity": 1,
            "unit_price_fen": line.unit_price_fen,
            "amount_fen": line.amount_fen,
            "available": True,
        }
        for line in order.lines.all()
    ]
    OrderPreview.objects.create(
        order=order,
        sellers=[
            {
                "seller_id": "s1",
                "lines": lines,
                "goods_fen": order.quoted_total_fen,
                "freight_fen": 0,
                "discount_fen": 0,
                "total_fen": order.quoted_total_fen,
            }
        ],
        total_fen=order.quoted_total_fen,
        goods_fen=order.quoted_total_fen,
        expires_at=timezone.now() + timedelta(minutes=30),
    )
    return order


def test_the_order_page_and_the_order_list_show_the_picture_and_the_variant(staff_user):
    order = order_of_mats(status=OrderStatus.PAID)
    client = client_for(staff_user("approver"))

    assert shows_the_goods(client.get(reverse("orders:detail", args=[order.pk])), "order-line-pic")
    assert (
        "Thick non-slip yoga mat"
        in client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    )
    assert shows_the_goods(client.get(reverse("orders:index")))


def test_the_pay_page_and_its_confirmation_show_the_picture_and_the_variant(staff_user):
    order = order_of_mats(status=OrderStatus.AWAITING_PAYMENT, upstream_order_id="900001")
    client = client_for(staff_user("finance"))

    assert shows_the_goods(client.get(reverse("checkout:pay")))
    confirmation = client.post(reverse("checkout:pay_confirm"), {"order": [order.pk]})
    assert shows_the_goods(confirmation)


def test_the_preview_and_the_approval_show_the_picture_the_variant_and_the_note(
    purchaser, staff_user
):
    order = with_preview(
        order_of_mats(status=OrderStatus.PREVIEWED, created_by=purchaser, quoted_total_fen=600_000)
    )
    mine = client_for(purchaser)
    assert shows_the_goods(mine.get(reverse("checkout:preview", args=[order.pk])))

    saved = mine.post(
        reverse("checkout:note", args=[order.pk]), {"note": "Blue only: the shop's red is out."}
    )
    assert saved.status_code == 302
    order_confirm(order=order, actor=purchaser)

    approver = client_for(staff_user("approver"))
    queue = approver.get(reverse("checkout:approvals")).content.decode()
    decision = approver.get(reverse("checkout:approve", args=[order.pk]))
    page = approver.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Blue only: the shop&#x27;s red is out." in queue
    assert shows_the_goods(decision)
    assert 'data-testid="approver-note"' in decision.content.decode()
    assert "Blue only: the shop&#x27;s red is out." in decision.content.decode()
    assert "Blue only: the shop&#x27;s red is out." in page
    assert THUMB.format(cls="line-thumb") in queue


def test_only_its_purchaser_writes_the_note_and_only_until_an_approver_decides(
    purchaser, staff_user
):
    order = with_preview(order_of_mats(status=OrderStatus.PREVIEWED, created_by=purchaser))
    other = staff_user("purchaser")

    with pytest.raises(NotAllowed):
        order_note_approver(order=order, actor=other, note="not mine to say")
    order_note_approver(order=order, actor=purchaser, note="  for the  spring catalogue ")
    PurchaseOrder.objects.filter(pk=order.pk).update(status=OrderStatus.APPROVED)
    with pytest.raises(NotAllowed):
        order_note_approver(order=order, actor=purchaser, note="too late")

    order.refresh_from_db()
    assert order.approver_note == "for the spring catalogue"
    notes = [e.message for e in order.events.all()]
    assert notes == ["note to the approver: for the spring catalogue"]


def test_another_purchaser_is_refused_with_a_message_not_an_error(purchaser, staff_user):
    order = with_preview(order_of_mats(status=OrderStatus.PREVIEWED, created_by=purchaser))
    other = client_for(staff_user("purchaser"))

    response = other.post(reverse("checkout:note", args=[order.pk]), {"note": "x"}, follow=True)

    assert response.status_code == 200
    assert "Only its purchaser writes the note" in response.content.decode()
    order.refresh_from_db()
    assert order.approver_note == ""


@pytest.mark.parametrize(
    ("page", "role", "status"),
    [
        ("/orders/?q=瑜伽", "approver", OrderStatus.PAID),
        ("/checkout/pay/", "finance", OrderStatus.AWAITING_PAYMENT),
        ("/checkout/approvals/", "approver", OrderStatus.AWAITING_APPROVAL),
    ],
)
def test_the_pictures_add_no_query_per_row(staff_user, page, role, status):
    client = client_for(staff_user(role))
    counts = []
    for rows in (2, 20):
        for _ in range(rows - len(counts) * 2):
            order_of_mats(lines=3, status=status)
        client.get(page)  # permissions and session warmed like any later request
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        assert response.content.decode().count(THUMB.format(cls="line-thumb")) >= rows
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_a_new_line_keeps_the_english_title_and_the_variant_in_words(purchaser):
    line = NewLine(
        item_id="652870374890",
        quantity=1,
        unit_price_fen=5900,
        title="加厚瑜伽垫",
        title_en="Thick yoga mat",
        seller_id="s1",
        properties=[{"propName": "颜色分类", "valueName": "蓝色", "valueNameEn": "blue"}],
    )
    order = order_create(platform="taobao", lines=[line], address=ADDRESS, actor=purchaser)

    made = order.lines.get()
    assert (made.title_en, made.variant) == ("Thick yoga mat", "颜色分类: 蓝色 (blue)")


@pytest.mark.parametrize(
    "properties",
    [
        [{"name": "颜色分类", "value": "蓝色", "value_en": "blue"}],  # our goods cache
        [{"prop_name": "颜色分类", "value_name": "蓝色", "value_name_en": "blue"}],  # an item read
        [{"propName": "颜色分类", "valueName": "蓝色", "valueNameEn": "blue"}],  # a cart line
    ],
)
def test_the_variant_reads_every_shape_of_properties(properties):
    assert (
        variant_words([*properties, {"name": "尺码", "value": "M"}])
        == "颜色分类: 蓝色 (blue); 尺码: M"
    )
