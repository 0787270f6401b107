"""Finding orders by what was bought: a word of a title (Chinese or English), the shop, an item
or SKU id, a colour or size, on the staff order list, the warehouse lines and the storefront
API's order list; the trigram index on PostgreSQL and the plain match on SQLite."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from purchasing.models import OrderEvent, PurchaseOrder, PurchaseOrderLine
from purchasing.selectors.search import matching_lines, may_be_an_id, search_orders
from purchasing.statuses import OrderStatus
from storefront.models import ALL_SCOPES, CustomerOrder, Storefront
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.storefront.api_fixtures import api_for

pytestmark = pytest.mark.django_db

YOGA_MAT = {
    "title": "加厚瑜伽垫防滑健身垫",
    "title_en": "Thick non-slip yoga mat",
    "seller_name": "静心运动旗舰店",
    "item_id": "652870374890",
    "sku_id": "4890123456789",
    "variant": "颜色分类: 蓝色 (blue); 尺码: 183cm",
    "picture": "https://img.example.com/yoga.jpg",
}
FLASK = {
    "title": "不锈钢保温杯",
    "title_en": "Stainless steel vacuum flask",
    "seller_name": "杯子工厂",
    "item_id": "700000000001",
    "sku_id": "700000000002",
    "variant": "颜色: 红色 (red)",
}
# Each finds the yoga mat's order and not the flask's.
WORDS = {
    "a Chinese title word": "瑜伽",
    "an English title word": "YOGA",
    "the shop's name": "静心运动",
    "the item id": "652870374890",
    "the SKU id": "4890123456789",
    "a SKU property value": "蓝色",
    "a SKU property value in English": "Blue",
}


def at_warehouse(goods: dict) -> PurchaseOrder:
    """An order of `goods` whose goods reached the warehouse (the warehouse lines list it)."""
    order = PurchaseOrderFactory(status=OrderStatus.AT_WAREHOUSE)
    OrderEvent.objects.create(
        order=order,
        from_status=OrderStatus.SHIPPED,
        to_status=OrderStatus.AT_WAREHOUSE,
        actor_label="warehouse",
        created_at=timezone.now(),
    )
    PurchaseOrderLineFactory(order=order, **goods)
    return order


@pytest.fixture
def orders() -> dict[str, PurchaseOrder]:
    """The yoga mat's order and the flask's, each bought for a customer of one storefront."""
    made = {"yoga": at_warehouse(YOGA_MAT), "flask": at_warehouse(FLASK)}
    shop = Storefront.objects.create(name="Search shop", scopes=list(ALL_SCOPES))
    for name, order in made.items():
        customer = CustomerOrder.objects.create(
            storefront=shop, external_id=f"SO-{name}", currency="USD", customer_name="Ada"
        )
        customer.purchase_orders.add(order)
    return made


def staff_list(q: str) -> list[str]:
    client = Client()
    client.force_login(_user("approver"))
    response = client.get(reverse("orders:index"), {"q": q})
    assert response.status_code == 200
    return [order.reference for order in response.context["rows"]]


def warehouse_lines(q: str) -> list[str]:
    client = Client()
    client.force_login(_user("purchaser"))
    response = client.get(reverse("logistics:warehouse"), {"q": q})
    assert response.status_code == 200
    return sorted({line.order.reference for line in response.context["lines"]})


def api_list(q: str) -> list[str]:
    api = api_for(Storefront.objects.get(name="Search shop"))
    response = api.get("orders/", {"q": q})
    assert response.status_code == 200, response.content
    ids = [body["external_id"] for body in response.json()["results"]]
    # The storefront knows its own ids; name the purchase orders behind them.
    return [
        CustomerOrder.objects.get(external_id=external_id).purchase_orders.get().reference
        for external_id in ids
    ]


def _user(role: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(username=f"search-{role}")
    if created:
        user.groups.add(Group.objects.get(name=role))
    return user


SURFACES: dict[str, Callable[[str], list[str]]] = {
    "the staff order list": staff_list,
    "the warehouse lines": warehouse_lines,
    "the API's order list": api_list,
}


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("what", WORDS)
def test_an_order_is_found_by_what_was_bought(orders, surface, what):
    found = SURFACES[surface](WORDS[what])

    assert found == [orders["yoga"].reference]


@pytest.mark.parametrize("surface", SURFACES)
def test_a_word_of_no_order_finds_nothing_and_an_empty_search_finds_all(orders, surface):
    assert SURFACES[surface]("帐篷") == []
    assert sorted(SURFACES[surface]("")) == sorted(o.reference for o in orders.values())


@pytest.mark.parametrize("surface", SURFACES)
def test_ids_are_still_found(orders, surface):
    yoga = orders["yoga"]
    PurchaseOrder.objects.filter(pk=yoga.pk).update(
        upstream_order_id="3377001", upstream_order_no="N9"
    )
    yoga.lines.update(upstream_sub_order_id="3377001-1")

    for q in (yoga.reference, yoga.reference[2:12].lower(), "3377001", "3377001-1"):
        assert SURFACES[surface](q) == [yoga.reference], q


@pytest.mark.parametrize(
    ("q", "id_like"),
    [("CG2026", True), ("3377001-1", True), ("yoga", False), ("瑜伽", False), ("a 1", False)],
)
def test_only_what_may_be_an_id_is_looked_for_among_the_ids(q, id_like):
    assert may_be_an_id(q) is id_like


def test_a_line_written_after_the_order_is_found_by_its_words(orders):
    """The words are the database's own column: no way of writing a line leaves them stale."""
    PurchaseOrderLine.objects.filter(order=orders["flask"]).update(title_en="Camping flask")

    assert list(search_orders(PurchaseOrder.objects.all(), "camping")) == [orders["flask"]]


def test_the_api_documents_the_search():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"]["/api/v1/orders/"]["get"]["parameters"]
    q = next(p for p in parameters if p["name"] == "q")
    assert "title" in q["description"] and q["schema"]["maxLength"] == 100


def test_a_search_longer_than_the_box_is_refused_not_failed(orders):
    api = api_for(Storefront.objects.get(name="Search shop"))
    assert api.get("orders/", {"q": "瑜" * 101}).status_code == 400


@pytest.mark.parametrize("q", ["yoga", "瑜伽垫", "静心运动"])
def test_the_search_reads_the_trigram_index_on_postgresql_and_every_line_on_sqlite(orders, q):
    """On PostgreSQL the table here is tiny, so the planner is told to avoid a full scan: what
    matters is that the search's own SQL can be answered from the index (bench/order_lists.py
    measures it at 100,000 orders). SQLite has no such index: a plain match of the words."""
    lines = matching_lines(q)
    assert [line.order for line in lines] == [orders["yoga"]]
    sql, params = lines.order_by().values("order_id").query.sql_with_params()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "po_line_search_trgm" in plan, plan
    else:
        assert "LIKE" in sql.upper() and "search_text" in sql
