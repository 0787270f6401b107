"""The admin speaks the reader's language: every app, model and field of Caigou's own apps has a
translatable name, so no admin page shows a code name (`cny_per_unit`) or an English-only word,
and a record's title names it in words. The sandbox stands in for the upstream and stays
English, as its console does."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from purchasing import phrases
from purchasing.models import (
    OrderEvent,
    OrderPreview,
    OrderWait,
    PaymentAttempt,
    UpstreamMessage,
    WaitReason,
)
from purchasing.services.orders.events import flag_attention
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory

CAIGOU = (
    "purchasing",
    "aftersales",
    "logistics",
    "storefront",
    "reports",
    "upstream",
    "backoffice",
    "carts",
)


def test_every_app_model_and_field_has_a_translatable_name():
    unnamed = []
    for label in CAIGOU:
        config = apps.get_app_config(label)
        if not isinstance(config.verbose_name, Promise):
            unnamed.append(label)
        for model in config.get_models():
            name = f"{label}.{model.__name__}"
            for option in ("verbose_name", "verbose_name_plural"):
                if not isinstance(model._meta.original_attrs.get(option), Promise):
                    unnamed.append(f"{name} ({option})")
            for field in model._meta.get_fields():
                named = field.concrete or field.many_to_many
                if named and not field.auto_created and not isinstance(field.verbose_name, Promise):
                    unnamed.append(f"{name}.{field.name}")

    assert unnamed == []


def test_the_sign_in_lockouts_section_has_a_name_in_chinese():
    with translation.override("zh-hans"):
        assert str(apps.get_app_config("axes").verbose_name) == "登录锁定"


@pytest.mark.django_db
def test_an_admin_title_names_a_record_in_words_not_ids_and_codes():
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT)
    preview = OrderPreview.objects.create(order=order, total_fen=10_270, expires_at=timezone.now())
    attempt = PaymentAttempt.objects.create(order=order, key="K-1", amount_fen=10_270)
    wait = OrderWait.objects.create(order=order, reason=WaitReason.WAITING_SELLER)
    event = OrderEvent.objects.create(order=order, actor_label="purchaser", kind="note")
    by_system = OrderEvent.objects.create(order=order, actor_label="system", kind="note")

    with translation.override("zh-hans"):
        titles = [str(preview), str(attempt), str(wait), str(event), str(by_system)]

    when = f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M}"
    assert titles == [
        "预览：¥102.70",
        "K-1 待处理",
        f"{order.reference}: 等待卖家处理",
        f"{when} · purchaser",
        f"{timezone.localtime(by_system.created_at):%Y-%m-%d %H:%M} · 系统",
    ]


@pytest.mark.django_db
def test_an_orders_admin_page_says_its_timeline_and_reason_in_words(staff_user):
    order = PurchaseOrderFactory(
        status=OrderStatus.PREVIEWED, upstream_status="WAIT_SELLER_SEND_GOODS"
    )
    OrderEvent.objects.create(
        order=order, actor_label="system", from_status="draft", to_status="previewed"
    )
    flag_attention(order, phrases.gettext("the price changed since the preview"))
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(staff_user("admin"))

    page = client.get(reverse("admin:purchasing_purchaseorder_change", args=[order.pk]))
    events = client.get(reverse("admin:purchasing_orderevent_changelist"))

    for text in (page.content.decode(), events.content.decode()):
        assert "草稿 → 已预览" in text and "系统" in text and "需处理" in text
        assert ">previewed<" not in text and ">system<" not in text and ">attention<" not in text
    assert "价格自预览后已变动" in page.content.decode()
    assert '"msgid"' not in page.content.decode()
    assert "WAIT_SELLER_SEND_GOODS" not in page.content.decode()
    listed = reverse("admin:purchasing_orderevent_changelist")
    for query, count in (({"to_status": "previewed"}, 2), ({"kind": "attention"}, 1)):
        assert client.get(listed, query).context["cl"].result_count == count, query


@pytest.mark.django_db
def test_the_stored_callbacks_list_names_each_message_in_words(staff_user):
    UpstreamMessage.objects.create(
        provider="dajisaas", dedupe_key="k1", message_type="ORDER_BUYER_VIEW_ORDER_PAY"
    )
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(staff_user("admin"))

    listed = client.get(reverse("admin:purchasing_upstreammessage_changelist"))

    shown = re.sub(r"<[^>]*>", " ", listed.content.decode().split("<main", 1)[1])
    assert "ORDER_BUYER_VIEW_ORDER_PAY" not in shown and "dajisaas" not in shown
    assert "采购单已付款" in shown and "Dajisaas" in shown
