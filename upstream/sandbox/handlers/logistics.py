"""Sandbox handlers: the address book (foundations) and warehouse logistics.

Warehouse-logistics paths also carry `timestamp` and `sign` in the query (upstream-api.md 6.1);
the router verified the headers, and these handlers check that the query repeats them.
Freight comes from the tariff in `upstream.sandbox.freight`; money is fen, weights grams.
Bookings are never deduplicated: the same clientRequestId twice makes two bookings.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from upstream.sandbox import freight
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import Address, Booking, FreightRender, Order, Product, Sku
from upstream.sandbox.router import SandboxCall, SandboxError, handles, tick_step

RENDER_TTL = timedelta(minutes=30)
PHONE = re.compile(r"^\+?\d{5,20}$")
POSTCODE = re.compile(r"^[0-9A-Za-z -]{3,10}$")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")
# What each booking step adds to the timeline: (description, location).
STEP_EVENTS = {
    Booking.Status.PICKED: ("Picked up by {company} at the PandaPon warehouse", "Dongguan, CN"),
    Booking.Status.IN_TRANSIT: ("Departed China, in transit to {country}", "Shenzhen, CN"),
    Booking.Status.DELIVERED: ("Delivered and signed for", "{city}, {country}"),
}


def _time(value: Any) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _check_query_sign(call: SandboxCall) -> None:
    """The query's timestamp and sign must repeat the signed headers (section 6.1)."""
    query, headers = call.request.GET, call.request.headers
    if query.get("timestamp") != headers.get("timestamp") or query.get("sign") != headers.get(
        "signature"
    ):
        raise SandboxError(401, "query timestamp and sign must repeat the signed headers")
    call.params.pop("timestamp", None)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def _quantity(value: Any, where: str) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, f"{where} must be an integer") from exc
    if not 1 <= quantity <= 9999:
        raise SandboxError(400, f"{where} must be 1-9999")
    return quantity


# -- addresses -------------------------------------------------------------------------------
def _address_payload(address: Address) -> dict[str, Any]:
    return {
        "id": address.address_id,
        "name": address.name,
        "phone": address.phone,
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "address": address.address,
        "postcode": address.postcode,
        "country": address.country,
        "isDefault": address.is_default,
    }


@handles("address_get")
def address_get(call: SandboxCall) -> list[dict[str, Any]]:
    """The account's addresses, default first (ASSUMED shape): `[{id, name, phone, province,
    city, district, address, postcode, country, isDefault}]`; optional `id` narrows to one."""
    rows = Address.objects.filter(user_id=call.user_id).order_by("-is_default", "id")
    if call.param("id") not in (None, "", 0, "0"):
        rows = rows.filter(address_id=str(call.param("id")))
    return [_address_payload(address) for address in rows]


def _address_fields(call: SandboxCall) -> dict[str, Any]:
    """The validated fields of an address; 400 names the first bad one."""
    names = ("name", "phone", "province", "city", "district", "address", "postcode", "country")
    fields = {name: _text(call.params, name) for name in names}
    limits = {"name": 50, "province": 50, "city": 50, "district": 50, "address": 200}
    for name in ("name", "province", "city", "address"):
        if not fields[name]:
            raise SandboxError(400, f"{name} is required")
    for name, limit in limits.items():
        if len(fields[name]) > limit:
            raise SandboxError(400, f"{name} is longer than {limit} characters")
    fields["phone"] = re.sub(r"[\s-]", "", fields["phone"])
    if not PHONE.match(fields["phone"]):
        raise SandboxError(400, "phone must be 5-20 digits (an optional leading +)")
    if fields["postcode"] and not POSTCODE.match(fields["postcode"]):
        raise SandboxError(400, "postcode must be 3-10 letters or digits")
    fields["country"] = (fields["country"] or "CN").upper()
    if not COUNTRY.match(fields["country"]):
        raise SandboxError(400, "country must be a two-letter code")
    return fields


@handles("address_add_or_update")
def address_add_or_update(call: SandboxCall) -> str:
    """Add (`id` 0 or absent) or update an address. The real API answers only `{code, msg}`;
    the sandbox also returns the address id as `data` (our addition: clients must not need it).
    `isDefault` true makes it the only default; an account's first address is its default."""
    fields = _address_fields(call)
    address_id = str(call.param("id", "") or "")
    mine = Address.objects.select_for_update().filter(user_id=call.user_id)
    if address_id in ("", "0"):
        address = Address(user_id=call.user_id, address_id=new_id())
        address.is_default = not mine.exists()
    else:
        address = mine.filter(address_id=address_id).first()
        if address is None:
            raise SandboxError(404, f"no address {address_id}")
    for name, value in fields.items():
        setattr(address, name, value)
    if str(call.param("isDefault", "")).lower() in ("true", "1"):
        mine.exclude(address_id=address.address_id).update(is_default=False)
        address.is_default = True
    address.save()
    return address.address_id


# -- freight ---------------------------------------------------------------------------------
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
        items.append({
            "itemId": product.item_id,
            "skuId": _text(entry, "skuId"),
            "quantity": _quantity(entry.get("quantity"), f"{where}.quantity"),
            "weightG": product.weight_g,
        })  # fmt: skip
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


# -- bookings --------------------------------------------------------------------------------
def _event(status: str, description: str, location: str) -> dict[str, str | None]:
    return {
        "time": _time(timezone.now()),
        "status": status,
        "description": description,
        "location": location,
    }


def _booking_payload(booking: Booking) -> dict[str, Any]:
    return {
        "bookingId": booking.booking_id,
        "clientRequestId": booking.outer_ref,
        "renderId": booking.render.render_id,
        "status": booking.status,
        "trackingNo": booking.tracking_no,
        "serviceId": booking.service_id,
        "serviceName": booking.service_name,
        "companyName": booking.company_name,
        "currency": "CNY",
        "freight": booking.freight_fen,
        "actualWeight": booking.weight_g,
        "chargeableWeight": booking.chargeable_weight_g,
        "receiverAddress": booking.receiver,
        "lineItems": booking.line_items,
        "tmallOrderId": booking.tmall_order_id,
        "remark": booking.remark,
        "createTime": _time(booking.created_at),
        "events": booking.events,
    }


@handles("logistics_order_booking")
def logistics_order_booking(call: SandboxCall) -> dict[str, Any]:
    """Book a parcel on a live render (upstream-api.md 1.5.11 plus clientRequestId). The
    service is the lineItems' freightInfo.serviceId or the render's selected one; if the
    lineItems no longer price as the render did, 1002 (render again). Answers the booking:
    `{bookingId, clientRequestId, renderId, status, trackingNo, serviceId, serviceName,
    companyName, currency, freight, actualWeight, chargeableWeight, receiverAddress, lineItems,
    tmallOrderId, remark, createTime, events[{time, status, description, location}]}`."""
    _check_query_sign(call)
    render_id = str(call.param("renderId", ""))
    render = FreightRender.objects.filter(render_id=render_id, user_id=call.user_id).first()
    if render is None:
        raise SandboxError(404, f"no render {render_id}")
    if render.expired:
        raise SandboxError(
            1005, f"render {render_id} expired at {_time(render.expires_at)}; render again"
        )
    receiver = _receiver(call)
    if receiver["country"] != render.country:
        raise SandboxError(400, f"receiverAddress.country must be {render.country}, as rendered")
    items, service_id = _items(call, "lineItems")
    service_id = service_id or render.selected_service_id
    if not service_id:
        raise SandboxError(
            400, "lineItems[].freightInfo.serviceId is required: the render chose none"
        )
    rendered = render.quote(service_id)
    if rendered is None:
        raise SandboxError(400, f"service {service_id} was not offered by render {render_id}")
    now = freight.quote(
        freight.SERVICES[service_id], freight.zone_for(render.country), _parcel(items)
    )
    if now is None or now["freight"] != rendered["freight"]:
        price = now["freight"] if now else "no price"
        raise SandboxError(
            1002,
            f"lineItems cost {price} fen, the render said {rendered['freight']}: render again",
        )
    tmall = call.json_param("tmallOrderInfo") or {}
    booking = Booking.objects.create(
        booking_id=new_id(),
        user_id=call.user_id,
        outer_ref=str(call.param("clientRequestId", "")),
        render=render,
        service_id=service_id,
        service_name=rendered["serviceName"],
        company_name=rendered["companyName"],
        receiver=receiver,
        line_items=call.json_param("lineItems"),
        tmall_order_id=_text(tmall, "tmallOrderId") if isinstance(tmall, dict) else "",
        remark=str(call.param("remark", "") or "")[:500],
        weight_g=now["actualWeight"],
        chargeable_weight_g=now["chargeableWeight"],
        freight_fen=now["freight"],
        tracking_no=f"PP{new_id()[-12:]}CN",
        events=[
            _event(Booking.Status.CREATED, "International logistics order created", "Dongguan, CN")
        ],
    )
    call.ledger_ids.append(booking.booking_id)
    return _booking_payload(booking)


@handles("logistics_booking_query")
def logistics_booking_query(call: SandboxCall) -> list[dict[str, Any]]:
    """Bookings by bookingId (404 when unknown) or clientRequestId (every booking made with it,
    oldest first; empty when none): always a list of booking payloads (our shape)."""
    _check_query_sign(call)
    rows = Booking.objects.filter(user_id=call.user_id).select_related("render").order_by("id")
    booking_id = str(call.param("bookingId", "") or "")
    if booking_id:
        rows = rows.filter(booking_id=booking_id)
    if call.param("clientRequestId"):
        rows = rows.filter(outer_ref=str(call.param("clientRequestId")))
    found = [_booking_payload(booking) for booking in rows]
    if booking_id and not found:
        raise SandboxError(404, f"no booking {booking_id}")
    return found


@handles("logistics_booking_track")
def logistics_booking_track(call: SandboxCall) -> dict[str, Any]:
    """`{bookingId, trackingNo, status, events[{time, status, description, location}]}`,
    events oldest first (our shape)."""
    _check_query_sign(call)
    booking_id = str(call.param("bookingId", ""))
    booking = Booking.objects.filter(booking_id=booking_id, user_id=call.user_id).first()
    if booking is None:
        raise SandboxError(404, f"no booking {booking_id}")
    return {
        "bookingId": booking.booking_id,
        "trackingNo": booking.tracking_no,
        "status": booking.status,
        "events": booking.events,
    }


@tick_step
def advance_bookings() -> int:
    """Every undelivered booking takes its next step, with a tracking event."""
    moved = 0
    with transaction.atomic():
        for booking in Booking.objects.select_for_update().exclude(status=Booking.Status.DELIVERED):
            to = Booking.NEXT[Booking.Status(booking.status)]
            description, location = STEP_EVENTS[to]
            names = {
                "company": booking.company_name,
                "country": booking.receiver.get("country", ""),
                "city": booking.receiver.get("city", "") or "-",
            }
            booking.events = [
                *booking.events,
                _event(to, description.format(**names), location.format(**names)),
            ]
            booking.status = to
            booking.save(update_fields=["status", "events", "updated_at"])
            moved += 1
    return moved
