"""The Dajisaas client: its 1688 cross-border calls and its Taobao calls."""

from __future__ import annotations

from upstream.client import Transport
from upstream.dajisaas.goods import DajisaasGoods
from upstream.dajisaas.orders import DajisaasOrders, DajisaasTaobaoOrders


class Dajisaas:
    """`client.goods.keyword_query(...)`, `client.orders.create_cross_order(...)`, ..."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.goods = DajisaasGoods(transport)
        self.orders = DajisaasOrders(transport)
        self.taobao_orders = DajisaasTaobaoOrders(transport)
