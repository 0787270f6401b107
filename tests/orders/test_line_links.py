"""A Taobao cart order links its lines to the sub-orders of the documented v2 answer: by
`itemMapId` (seed 001, taken from the seed page as it is), with `itemId` as a fallback and the
SKU when it is unique; never to a neighbour's sub-order. The upstream is a stubbed HTTP edge."""

from __future__ import annotations

import copy

import pytest

from purchasing.routes import route_for
from purchasing.services.orders.lifecycle import sync_lines
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.upstream.factories import SEEDS, seed_response

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SEEDS.exists(), reason="the seeds sit beside the repository"),
]

MAP_ID = "NeZYO6vIHuENAqbW6iWQb7dqmzNNcIX-IQGrQ53mhv0"  # seed 001's line
SKU = "7579055774996"
SUB_ORDER = "1232730479996699501"


def cart_order(*lines: tuple[str, str]):
    """A Taobao cart order being submitted, one line per (item id, sku id)."""
    order = PurchaseOrderFactory(status=OrderStatus.SUBMITTING, source="cart")
    for number, (item_id, sku_id) in enumerate(lines, start=1):
        PurchaseOrderLineFactory(
            order=order, line_no=number, item_id=item_id, sku_id=sku_id, cart_id=str(380 + number)
        )
    return order


def created(edge, order, data: dict) -> list:
    """The route's create, answered with `data`, then the lines linked as the adoption does."""
    edge.answer("taobao_cart_create_order", data)
    made = route_for(order).create(order, list(order.lines.all()), budget_fen=10_000)
    sync_lines(order, made.orders)
    return list(order.lines.order_by("line_no"))


def seed_data() -> dict:
    return copy.deepcopy(seed_response("001")["data"])


def test_the_seed_answer_links_the_line_ordered_by_its_item_map_id(edge):
    order = cart_order((MAP_ID, SKU))

    [line] = created(edge, order, seed_data())

    assert line.upstream_sub_order_id == SUB_ORDER
    assert line.upstream_order_id == "1232730479761817723"
    assert line.status == "WAIT_BUYER_P"


def test_each_line_takes_its_own_sub_order_whatever_the_answer_order(edge):
    data = seed_data()
    other = dict(data["subOrderVOS"][0], subOrderId="S-OTHER", itemMapId="other-map-id")
    other["skuId"] = SKU  # the same SKU id on both: only the item map id tells them apart
    data["subOrderVOS"] = [other, data["subOrderVOS"][0]]
    order = cart_order((MAP_ID, SKU), ("other-map-id", SKU))

    first, second = created(edge, order, data)

    assert (first.upstream_sub_order_id, second.upstream_sub_order_id) == (SUB_ORDER, "S-OTHER")


def test_item_id_is_the_fallback_when_the_answer_names_it(edge):
    data = seed_data()
    sub = data["subOrderVOS"][0]
    del sub["itemMapId"]
    sub["itemId"] = "600123"
    sub["subOrderResult"] = "{}"
    order = cart_order(("600123", SKU))

    [line] = created(edge, order, data)

    assert line.upstream_sub_order_id == SUB_ORDER


def test_a_line_ordered_by_its_plain_item_id_is_linked_by_its_unique_sku(edge):
    order = cart_order(("600123", SKU))

    [line] = created(edge, order, seed_data())

    assert line.upstream_sub_order_id == SUB_ORDER


def test_a_line_nothing_proves_stays_unlinked(edge):
    # Two of our lines share the SKU and neither was ordered by the answer's item map id.
    order = cart_order(("600123", SKU), ("600124", SKU), ("600125", "1"))

    lines = created(edge, order, seed_data())

    assert [line.upstream_sub_order_id for line in lines] == ["", "", ""]
