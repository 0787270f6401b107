"""Purchase orders for tests that do not talk to the upstream."""

from __future__ import annotations

import factory

from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.services.orders.common import DEFAULT_WAREHOUSE_ADDRESS

ADDRESS = dict(DEFAULT_WAREHOUSE_ADDRESS)


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
