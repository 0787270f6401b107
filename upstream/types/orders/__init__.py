"""Typed upstream orders: Taobao purchase orders and sub-orders, 1688 orders (TradeInfo), 1688
previews, create results, pages, payments and logistics traces.

Units: every amount here is integer fen. Taobao sends fen (`purchaseAmount "3990"`); the 1688
TradeInfo (`baseInfo.totalAmount`, `productItems[].price`) and preview cargo amounts are yuan and
are converted with `yuan_to_fen`; 1688 preview sums, create results and the TradeInfo `discount`
are fen. Ids are strings.
"""

from upstream.types.orders.addresses import DeliveryAddress
from upstream.types.orders.common import ALIBABA, CHINA, TAOBAO, parse_time
from upstream.types.orders.inputs import Cargo, TaobaoLine
from upstream.types.orders.order import Order, OrderCreated, OrderLine, OrderPage, SubOrder
from upstream.types.orders.paid import PAYMENT_BY_STATUS, Payment, payment_of
from upstream.types.orders.payments import PayResult
from upstream.types.orders.previews import Preview, PreviewLine
from upstream.types.orders.traces import LogisticsTrace, TraceEvent

__all__ = [
    "ALIBABA",
    "CHINA",
    "PAYMENT_BY_STATUS",
    "TAOBAO",
    "Cargo",
    "DeliveryAddress",
    "LogisticsTrace",
    "Order",
    "OrderCreated",
    "OrderLine",
    "OrderPage",
    "PayResult",
    "Payment",
    "Preview",
    "PreviewLine",
    "SubOrder",
    "TaobaoLine",
    "TraceEvent",
    "parse_time",
    "payment_of",
]
