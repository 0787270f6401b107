"""The admin speaks the reader's language: every app, model and field of Caigou's own apps has a
translatable name, so no admin page shows a code name (`cny_per_unit`) or an English-only word,
and a record's title names it in words. The sandbox stands in for the upstream and stays
English, as its console does."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django.utils.functional import Promise

from purchasing.models import OrderEvent, OrderPreview, OrderWait, PaymentAttempt, WaitReason
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


@pytest.mark.django_db
def test_an_admin_title_names_a_record_in_words_not_ids_and_codes():
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT)
    preview = OrderPreview.objects.create(order=order, total_fen=10_270, expires_at=timezone.now())
    attempt = PaymentAttempt.objects.create(order=order, key="K-1", amount_fen=10_270)
    wait = OrderWait.objects.create(order=order, reason=WaitReason.WAITING_SELLER)
    event = OrderEvent.objects.create(order=order, actor_label="purchaser", kind="note")

    with translation.override("zh-hans"):
        titles = [str(preview), str(attempt), str(wait), str(event)]

    when = f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M}"
    assert titles == [
        "预览：¥102.70",
        "K-1 待处理",
        f"{order.reference}: 等待卖家处理",
        f"{when} · purchaser",
    ]
