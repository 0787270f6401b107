"""Sandbox handlers: warehouse bookings on a render, their lookup and their tracking."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from upstream.sandbox import freight
from upstream.sandbox.handlers.logistics.common import _check_query_sign, _text, _time
from upstream.sandbox.handlers.logistics.shipping import _items, _parcel, _receiver
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import Booking, FreightRender
from upstream.sandbox.router import SandboxCall, SandboxError, handles

# What each booking step adds to the timeline: (description, location).
STEP_EVENTS = {
    Booking.Status.PICKED: ("Picked up by {company} at the PandaPon warehouse", "Dongguan, CN"),
    Booking.Status.IN_TRANSIT: ("Departed China, in transit to {country}", "Shenzhen, CN"),
    Booking.Status.DELIVERED: ("Delivered and signed for", "{city}, {country}"),
}


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
        "clientRequestId": "" if booking.ref_ignored else booking.outer_ref,
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
        outer_ref=call.reference,
        ref_ignored=not call.reference_kept,
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
        rows = rows.filter(outer_ref=str(call.param("clientRequestId")), ref_ignored=False)
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
