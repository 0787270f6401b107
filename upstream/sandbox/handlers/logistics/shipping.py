"""Sandbox handlers: freight quotes and renders, and the domestic tracking of order lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from upstream.sandbox import freight
from upstream.sandbox.handlers.logistics.common import (
    COUNTRY,
    _check_query_sign,
    _quantity,
    _text,
    _time,
)
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import FreightRender, Order, Product, Sku
from upstream.sandbox.router import SandboxCall, SandboxError, handles

RENDER_TTL = timedelta(minutes=30)


def _receiver(call: SandboxCall, name: str = "receiverAddress") -> dict[str, Any]:
    receiver = call.json_param(name)
    if not isinstance(receiver, dict):
        raise SandboxError(400, f"{name} must be an object")
    if not COUNTRY.match(_text(receiver, "country")):
        raise SandboxError(400, f"{name}.country must be a two-letter country code")
    if not _text(receiver, "name"):
        raise SandboxError(400, f"{name}.name is required")
    return {**receiver, "country": _text(receiver, "country").upper()}


def _product(item_id: Any, sku_id: Any, where: str) -> Product:
    product = Product.objects.filter(item_id=str(item_id or "")).first()
    if product is None:
        raise SandboxError(404, f"{where}: no item {item_id}")
    if (
        sku_id not in (None, "")
        and not Sku.objects.filter(product=product, sku_id=str(sku_id)).exists()
    ):
        raise SandboxError(404, f"{where}: item {item_id} has no SKU {sku_id}")
    return product


def _items(call: SandboxCall, name: str) -> tuple[list[dict[str, Any]], str]:
    """Checked item lines as {itemId, skuId, quantity, weightG}, and the one service they name."""
    raw = call.json_param(name)
    if not isinstance(raw, list) or not raw:
        raise SandboxError(400, f"{name} must be a non-empty list")
    if len(raw) > 100:
        raise SandboxError(400, f"{name} takes at most 100 items")
    items, services = [], set()
    for index, entry in enumerate(raw):
        where = f"{name}[{index}]"
        if not isinstance(entry, dict):
            raise SandboxError(400, f"{where} must be an object")
        product = _product(entry.get("itemId"), entry.get("skuId"), where)
        info = entry.get("freightInfo") or {}
        if isinstance(info, dict) and _text(info, "serviceId"):
            services.add(_text(info, "serviceId"))
        items.append(
            {
                "itemId": product.item_id,
                "skuId": _text(entry, "skuId"),
                "quantity": _quantity(entry.get("quantity"), f"{where}.quantity"),
                "weightG": product.weight_g,
            }
        )
    if len(services) > 1:
        raise SandboxError(
            400, f"{name}: one parcel travels with one service, not {sorted(services)}"
        )
    return items, next(iter(services), "")


def _parcel(items: list[dict[str, Any]]) -> freight.Parcel:
    return freight.parcel((item["itemId"], item["weightG"], item["quantity"]) for item in items)


@handles("logistics_item_price")
def logistics_item_price(call: SandboxCall) -> dict[str, Any]:
    """Every service offered to ship `quantity` of one item to the receiver's country (our
    shape): `{itemId, skuId, quantity, country, countryName, currency, actualWeight,
    volumeWeight (at the 5000 cm3/kg courier divisor), freightList[{serviceId, serviceName,
    companyName, serviceCategory, currency, freight (fen), chargeableWeight, weightType
    (ACTUAL/VOLUME), actualWeight, volumeWeight, deliveryMinDays, deliveryMaxDays}]}`, in
    tariff order (not sorted)."""
    _check_query_sign(call)
    receiver = _receiver(call)
    product = _product(call.param("itemId"), call.param("skuId"), "itemId")
    quantity = _quantity(call.param("quantity"), "quantity")
    box = freight.parcel([(product.item_id, product.weight_g, quantity)])
    zone = freight.zone_for(receiver["country"])
    return {
        "itemId": product.item_id,
        "skuId": str(call.param("skuId", "") or ""),
        "quantity": quantity,
        "country": receiver["country"],
        "countryName": zone.name,
        "currency": "CNY",
        "actualWeight": box.actual_g,
        "volumeWeight": box.volume_weight_g(5000),
        "freightList": freight.quotes(receiver["country"], box),
    }


@handles("logistics_order_render_freight")
def logistics_order_render_freight(call: SandboxCall) -> dict[str, Any]:
    """Price a set of items for every service offered (our shape): `{renderId, expireTime,
    country, currency, actualWeight, volumeWeight, selectedServiceId, freightList[...]}`, the
    list as in itemLogisticsPrice. The render is kept 30 minutes for a booking to name it; a
    freightInfo.serviceId on the items selects that service (it must be offered)."""
    _check_query_sign(call)
    receiver = _receiver(call)
    items, service_id = _items(call, "renderItems")
    box = _parcel(items)
    offers = freight.quotes(receiver["country"], box)
    if service_id and not any(offer["serviceId"] == service_id for offer in offers):
        raise SandboxError(
            400, f"freightInfo.serviceId {service_id} is not offered to {receiver['country']}"
        )
    render = FreightRender.objects.create(
        render_id=f"FR{new_id()}",
        user_id=call.user_id,
        country=receiver["country"],
        receiver=receiver,
        items=items,
        quotes=offers,
        selected_service_id=service_id,
        expires_at=timezone.now() + RENDER_TTL,
    )
    return {
        "renderId": render.render_id,
        "expireTime": _time(render.expires_at),
        "country": render.country,
        "currency": "CNY",
        "actualWeight": box.actual_g,
        "volumeWeight": box.volume_weight_g(5000),
        "selectedServiceId": service_id,
        "freightList": offers,
    }


@handles("logistics_update_domestic")
def logistics_update_domestic(call: SandboxCall) -> bool:
    """Domestic tracking of an order's lines (upstream-api.md 1.5.11; `logisticNumer` sic):
    each logisticInfos[] names its line by lineItem{itemId, skuId}; the first
    domesticLogisticInfo (or logisticNumer) becomes that line's tracking number."""
    _check_query_sign(call)
    order_id = str(call.param("orderId", ""))
    order = Order.objects.filter(order_id=order_id, user_id=call.user_id).first()
    if order is None:
        raise SandboxError(404, f"no order {order_id}")
    infos = call.json_param("logisticInfos")
    if not isinstance(infos, list) or not infos:
        raise SandboxError(400, "logisticInfos must be a non-empty list")
    lines = list(order.lines.select_related("product", "sku"))
    updates = []
    for index, info in enumerate(infos):
        where = f"logisticInfos[{index}]"
        item = (info or {}).get("lineItem") if isinstance(info, dict) else None
        if not isinstance(item, dict):
            raise SandboxError(400, f"{where}.lineItem is required")
        item_id, sku_id = _text(item, "itemId"), _text(item, "skuId")
        line = next(
            (
                line
                for line in lines
                if line.product.item_id == item_id
                and (not sku_id or (line.sku is not None and line.sku.sku_id == sku_id))
            ),
            None,
        )
        if line is None:
            raise SandboxError(
                400, f"{where}.lineItem: {item_id}/{sku_id} is not in order {order_id}"
            )
        domestic = [d for d in info.get("domesticLogisticInfo") or [] if isinstance(d, dict)]
        first = domestic[0] if domestic else {}
        number = _text(first, "logisticNumer") or _text(info, "logisticNumer")
        if not number:
            raise SandboxError(400, f"{where}.logisticNumer is required")
        line.tracking_no = number[:40]
        line.logistics_company = _text(first, "logisticCompanyName")[:60] or line.logistics_company
        updates.append(line)
    for line in updates:
        line.save(update_fields=["tracking_no", "logistics_company"])
    return True
