"""Purchase orders for tests that do not talk to the upstream."""

from __future__ import annotations

import factory

from purchasing.models import PurchaseOrder, PurchaseOrderLine

ADDRESS = {
    "name": "集货仓",
    "mobile": "15068763421",
    "phone": "",
    "zip": "510000",
    "country": "中国",
    "state": "广东省",
    "city": "广州市",
    "district": "白云区",
    "address": "太和镇集货仓 A-12",
    "district_code": "440111",
}


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder

    platform = "taobao"
    provider = "pandapon"
    address = factory.LazyFunction(lambda: dict(ADDRESS))
    quoted_total_fen = 10_000


class PurchaseOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrderLine

    order = factory.SubFactory(PurchaseOrderFactory)
    item_id = factory.Sequence(lambda n: f"{600000 + n}")
    sku_id = factory.Sequence(lambda n: f"{900000 + n}")
    quantity = 1
    unit_price_fen = 10_000
    amount_fen = 10_000
