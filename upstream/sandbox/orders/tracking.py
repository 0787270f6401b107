"""Parcels of sandbox orders: carriers, tracking numbers, traces and China time."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from upstream.sandbox.models.orders import Order

CHINA = ZoneInfo("Asia/Shanghai")
# (code, name, tracking-number prefix); the carrier of a package is chosen from its order id.
CARRIERS = (
    ("YTO", "圆通速递", "YT"),
    ("ZTO", "中通快递", "78"),
    ("STO", "申通快递", "77"),
    ("YUNDA", "韵达快递", "43"),
    ("SF", "顺丰速运", "SF"),
)
CARRIER_CODES = {name: code for code, name, _prefix in CARRIERS}


def _ship(order: Order) -> None:
    """One parcel per seller: a carrier and a tracking number on each of its lines."""
    for line in order.lines.select_related("product").filter(tracking_no=""):
        seed = hashlib.sha256(f"{order.order_id}:{line.product.shop_id}".encode()).hexdigest()
        _code, name, prefix = CARRIERS[int(seed[:8], 16) % len(CARRIERS)]
        digits = str(int(seed[8:24], 16))[: 15 - len(prefix)].rjust(15 - len(prefix), "0")
        line.logistics_company, line.tracking_no = name, prefix + digits
        line.save(update_fields=["logistics_company", "tracking_no"])


def trace_events(order: Order) -> list[dict]:
    """The parcel's trace, built from the order's timestamps: [{time, status, description,
    city}] oldest first, a second apart at least; empty before shipping. Stable once the parcel
    has arrived."""
    if order.shipped_at is None:
        return []
    shop = order.shop or order.lines.select_related("product__shop").first().product.shop
    origin = shop.city or shop.province or "杭州市"
    destination = order.address.get("cityText") or order.address.get("city") or "广州市"
    start, end = order.shipped_at, order.arrived_at
    events = [
        {"time": start, "status": "CONSIGN", "description": "卖家已发货，等待揽收", "city": origin},
        {"time": start, "status": "ACCEPT", "description": "快递员已揽收", "city": origin},
    ]
    if end is not None:
        gap = end - start
        events += [
            {
                "time": start + gap / 2,
                "status": "TRANSPORT",
                "description": f"快件已从{origin}发往{destination}",
                "city": origin,
            },
            {
                "time": start + gap * 9 / 10,
                "status": "DELIVERING",
                "description": "快件正在派送中",
                "city": destination,
            },
            {
                "time": end,
                "status": "SIGN",
                "description": "已签收，签收人：仓库",
                "city": destination,
            },
        ]
    # At least a second apart, so readers that sort by (second-resolution) time keep the order.
    for before, event in pairwise(events):
        event["time"] = max(event["time"], before["time"] + timedelta(seconds=1))
    return events


def china_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str | None:
    """A timestamp as the upstream writes it (China time)."""
    return value.astimezone(CHINA).strftime(fmt) if value else None
