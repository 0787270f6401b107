"""What a page says where a route cannot do something (`purchasing.routes.missing`): one
sentence per missing capability, the seller's chat link when the goods carry one, PandaPon for
a step not bound to an order, and the order page's logistics block saying it."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from purchasing.models import Product
from purchasing.routes import ROUTES, Capability, route_of
from purchasing.routes.missing import COLUMNS, WHAT, capability_table, missing, sentence
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory, client_for
from tests.purchasing.factories import StaffUserFactory

CHAT = "https://amos.alicdn.com/getcid.aw?v=3&uid=seller-1"


def dajisaas():
    return route_of("1688", "dajisaas")


def test_every_capability_has_words():
    assert set(WHAT) == set(Capability)


@pytest.mark.parametrize("route", list(ROUTES.values()), ids=lambda r: type(r).__name__)
def test_a_route_has_a_sentence_for_exactly_what_it_cannot_do(route):
    for capability in Capability:
        words = sentence(route, capability)
        assert bool(words) == (capability in route.cannot)
        assert (missing(route, capability) is None) == (capability not in route.cannot)


def test_the_sentence_names_the_provider_the_step_and_the_platform():
    assert sentence(dajisaas(), Capability.AFTERSALES) == (
        "Dajisaas has no operation for refunds and returns on 1688."
    )
    assert sentence(dajisaas(), Capability.TRACE) == (
        "Dajisaas has no operation for the seller's logistics trace on 1688."
    )


def test_pandapon_is_offered_for_a_step_not_bound_to_an_order_when_it_is_configured(settings):
    assert missing(dajisaas(), Capability.CART).fallback is route_of("1688", "pandapon")
    # A refund or a trace can only come from the provider that holds the order.
    assert missing(dajisaas(), Capability.AFTERSALES).fallback is None
    assert missing(dajisaas(), Capability.TRACE).fallback is None
    settings.PANDAPON_ACCESS_KEY = ""
    assert missing(dajisaas(), Capability.CART).fallback is None


def _dajisaas_order(*, chat: str, item_id: str = "700001"):
    order = PurchaseOrderFactory(
        platform="1688",
        provider="dajisaas",
        status=OrderStatus.SHIPPED,
        upstream_order_id="DJ-1",
        upstream_order_ids=["DJ-1"],
    )
    product = Product.objects.create(
        platform="1688",
        item_id=item_id,
        title="杯子",
        raw={"wangwangUrl": chat} if chat else {},
        fetched_at=timezone.now(),
    )
    PurchaseOrderLineFactory(order=order, item_id=item_id, cached_product=product)
    return order


@pytest.mark.django_db
def test_the_seller_chat_link_is_offered_when_the_goods_carry_one():
    assert missing(dajisaas(), Capability.TRACE, order=_dajisaas_order(chat=CHAT)).chat_url == CHAT
    no_chat = _dajisaas_order(chat="", item_id="700002")
    assert missing(dajisaas(), Capability.TRACE, order=no_chat).chat_url == ""


@pytest.mark.django_db
def test_the_order_logistics_block_says_dajisaas_has_no_trace():
    order = _dajisaas_order(chat=CHAT)

    page = client_for(StaffUserFactory(role="purchaser")).get(
        reverse("orders:logistics", args=[order.pk])
    )

    body = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "Dajisaas has no operation for the seller's logistics trace on 1688." in body
    assert f'href="{CHAT}"' in body
    assert "No parcel yet" not in body


def test_the_readme_table_of_what_each_provider_can_do_is_made_from_route_cannot():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()

    assert capability_table() in readme, (
        "README.md's table of what each provider can do differs from Route.cannot; put this "
        "one between its <!-- capabilities --> markers:\n" + capability_table()
    )


def test_the_table_says_no_exactly_where_a_route_cannot():
    table = capability_table().splitlines()
    headings = [cell.strip() for cell in table[0].strip("|").split("|")][1:]
    for route, row in zip(ROUTES.values(), table[2:], strict=True):
        cells = dict(zip(headings, (c.strip() for c in row.strip("|").split("|")[1:]), strict=True))
        for heading, capability in COLUMNS:
            assert (cells[heading] == "yes") == (capability is None or route.can(capability))
    dajisaas_row = table[2 + list(ROUTES).index(("1688", "dajisaas"))]
    assert "| 1688 via Dajisaas |" in dajisaas_row
