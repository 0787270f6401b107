"""The PandaPon client: every operation of its menus, grouped by domain."""

from __future__ import annotations

from upstream.client import Transport
from upstream.pandapon.aftersales import AlibabaAftersales, TaobaoAftersales
from upstream.pandapon.carts import AlibabaCart, TaobaoCart
from upstream.pandapon.goods import AlibabaGoods, Marketing, TaobaoGoods
from upstream.pandapon.logistics import Addresses, WarehouseLogistics
from upstream.pandapon.orders import AlibabaOrders, TaobaoOrders


class PandaPon:
    """`client.taobao_goods.product_get(...)`, `client.alibaba_orders.create(...)`, ..."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.taobao_goods = TaobaoGoods(transport)
        self.taobao_orders = TaobaoOrders(transport)
        self.taobao_aftersales = TaobaoAftersales(transport)
        self.taobao_cart = TaobaoCart(transport)
        self.alibaba_goods = AlibabaGoods(transport)
        self.alibaba_orders = AlibabaOrders(transport)
        self.alibaba_aftersales = AlibabaAftersales(transport)
        self.alibaba_cart = AlibabaCart(transport)
        self.marketing = Marketing(transport)
        self.addresses = Addresses(transport)
        self.warehouse_logistics = WarehouseLogistics(transport)
