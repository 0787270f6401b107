"""Opening a case starts from what the order says: the goods status that matches where the
goods are, no reason chosen for the person; a provider with no after-sales says so in one
sentence and asks the upstream nothing; an upstream refusal of the choices reads as words."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from aftersales.forms import default_goods_status
from aftersales.models import RefundCase
from aftersales.routes import ROUTES
from purchasing.models import PurchaseOrder
from purchasing.services.orders.lifecycle import order_refresh
from purchasing.statuses import OrderStatus
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import ask, open_params, text
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory, client_for
from upstream.models import CallJournal
from upstream.types.aftersales import (
    ALIBABA_GOODS_IN_TRANSIT,
    ALIBABA_GOODS_NOT_SHIPPED,
    ALIBABA_GOODS_RECEIVED_AFTER_SALE,
    GOODS_NOT_RECEIVED,
    GOODS_RECEIVED,
)

ALIBABA = ROUTES[("1688", "pandapon")].goods_statuses
TAOBAO = ROUTES[("taobao", "pandapon")].goods_statuses


@pytest.mark.parametrize(
    ("status", "offered", "expected"),
    [
        (OrderStatus.PAID, ALIBABA, ALIBABA_GOODS_NOT_SHIPPED),
        (OrderStatus.SHIPPED, ALIBABA, ALIBABA_GOODS_IN_TRANSIT),
        (OrderStatus.AT_WAREHOUSE, ALIBABA, ALIBABA_GOODS_RECEIVED_AFTER_SALE),
        (OrderStatus.DELIVERED, ALIBABA, ALIBABA_GOODS_RECEIVED_AFTER_SALE),
        (OrderStatus.PAID, TAOBAO, str(GOODS_NOT_RECEIVED)),
        (OrderStatus.SHIPPED, TAOBAO, str(GOODS_NOT_RECEIVED)),
        (OrderStatus.AT_WAREHOUSE, TAOBAO, str(GOODS_RECEIVED)),
        (OrderStatus.PAID, (), ""),
    ],
)
def test_the_goods_status_follows_where_the_goods_are(status, offered, expected):
    assert default_goods_status(PurchaseOrder(status=status), offered) == expected


def _order(people, *, provider: str, status: str) -> PurchaseOrder:
    order = PurchaseOrderFactory(
        platform="1688",
        provider=provider,
        status=status,
        created_by=people.purchaser,
        upstream_order_id="U-1",
        upstream_order_ids=["U-1"],
    )
    PurchaseOrderLineFactory(order=order, upstream_sub_order_id="U-1-1")
    return order


@pytest.mark.django_db
def test_a_1688_order_at_the_warehouse_starts_at_received(people):
    order = _order(people, provider="pandapon", status=OrderStatus.AT_WAREHOUSE)

    page = client_for(people.purchaser).get(reverse("aftersales:open", args=[order.pk]))

    body = text(page)
    assert page.status_code == 200
    assert f'<option value="{ALIBABA_GOODS_RECEIVED_AFTER_SALE}" selected>' in body
    assert f'<option value="{ALIBABA_GOODS_NOT_SHIPPED}" selected>' not in body


@pytest.mark.django_db
def test_a_dajisaas_order_says_there_is_no_after_sales_and_asks_nothing(people):
    order = _order(people, provider="dajisaas", status=OrderStatus.AT_WAREHOUSE)
    client = client_for(people.purchaser)
    sentence = "Dajisaas has no operation for refunds and returns on 1688."

    shown = client.get(reverse("aftersales:open", args=[order.pk]))
    asked = ask(client, order, goods=ALIBABA_GOODS_RECEIVED_AFTER_SALE)
    posted = client.post(
        reverse("aftersales:open", args=[order.pk]),
        {**open_params(order), "reason": "1", "amount": "1.00", "description": "坏了"},
    )

    assert shown.status_code == asked.status_code == 200 and posted.status_code == 400
    for page in (shown, asked, posted):
        assert sentence in html.unescape(text(page))
        assert 'name="goods_status"' not in text(page)
    assert not CallJournal.objects.exists() and not RefundCase.objects.exists()


def test_the_reason_is_not_chosen_for_the_person(live, people):
    order = paid_order(people, live)
    client = client_for(people.purchaser)

    options = ask(client, order)
    saved = client.post(
        reverse("aftersales:open", args=[order.pk]),
        {**open_params(order), "amount": "1.00", "description": "不想要了"},
    )

    assert 'data-testid="case-options"' in text(options)
    radios = re.findall(r'<input type="radio" name="reason"[^>]*>', text(options))
    assert radios and not any("checked" in radio for radio in radios)
    assert saved.status_code == 400 and "Choose the reason." in text(saved)
    assert not RefundCase.objects.exists()


def test_a_goods_status_the_upstream_refuses_reads_as_words(live, people):
    order = paid_order(people, live, platform="1688", shipped=True)
    client = client_for(people.purchaser)

    # Our record still says paid: the refused goods status is the one it suggests.
    behind = html.unescape(text(ask(client, order, goods=ALIBABA_GOODS_NOT_SHIPPED)))
    order_refresh(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    wrong = html.unescape(text(ask(client, order, goods=ALIBABA_GOODS_NOT_SHIPPED)))

    assert "refused these choices for an order that is paid here." in behind
    assert "refresh it from the upstream" in behind
    assert "refused these choices for an order that is shipped by seller here." in wrong
    assert "(for this order: “Shipped, not received”)" in wrong
    for body in (behind, wrong):
        assert "goodsStatus" not in body and "The upstream refused:" not in body
        assert ALIBABA_GOODS_NOT_SHIPPED not in body.split('name="goods_status"')[0]
