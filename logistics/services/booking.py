"""Booking a parcel upstream exactly once (DESIGN.md, rule 2), and following its tracking.

The reference (clientRequestId) is committed with the parcel before anything is sent. A run
that may have booked (a lease taken, or an unknown outcome recorded) looks the booking up by
that reference before it books again, and no run overtakes a call that may be in flight.
"""

from __future__ import annotations

from django.db import transaction

from logistics.models import Parcel, ParcelLine, ParcelStatus
from logistics.services.common import Busy, lease, logger, now
from logistics.services.freight import freight_items, receiver_of
from logistics.services.parcels import parse_upstream_time
from purchasing.models import PurchaseOrder
from purchasing.money import format_cny, within_tolerance
from purchasing.phrases import gettext as _
from purchasing.phrases import ngettext
from purchasing.routes.warehouse import warehouse
from purchasing.services.orders.common import unless_taken_meanwhile
from purchasing.services.orders.events import advance_to
from purchasing.statuses import OrderStatus
from purchasing.upstream_errors import what_happened
from upstream import errors
from upstream.types.logistics import Booking

# Booking statuses upstream -> ours. "picked" means the carrier has it: it left the warehouse.
BOOKING_STATUS = {
    "created": ParcelStatus.BOOKED,
    "picked": ParcelStatus.IN_TRANSIT,
    "in_transit": ParcelStatus.IN_TRANSIT,
    "delivered": ParcelStatus.DELIVERED,
}
RANK = {
    ParcelStatus.BOOKING: 0,
    ParcelStatus.BOOKED: 1,
    ParcelStatus.IN_TRANSIT: 2,
    ParcelStatus.DELIVERED: 3,
}
RENDER_AGAIN = {1002, 1005, "1002", "1005"}  # the render moved or expired


def _locked(parcel_id: int) -> Parcel:
    return Parcel.objects.select_for_update().get(pk=parcel_id)


def parcel_book_upstream(*, parcel_id: int) -> Parcel:
    """The booking task's work; safe to run any number of times, at once or not. Raises Busy
    or a RetryableError when the task should run again later."""
    with transaction.atomic():
        parcel = _locked(parcel_id)
        if parcel.status != ParcelStatus.BOOKING or parcel.booking_id:
            logger.info(
                "parcel %s: not waiting for a booking (%s)", parcel.reference, parcel.status
            )
            return parcel
        # An unknown booking may still land under its lease: looked up at once, but booked
        # again only once the lease has run out.
        under_lease = bool(parcel.booking_lease_until and parcel.booking_lease_until > now())
        if under_lease and not parcel.booking_in_doubt:
            raise Busy(
                f"{parcel.reference}: a booking may be in flight", until=parcel.booking_lease_until
            )
        must_look_up = parcel.booking_in_doubt or parcel.booking_lease_until is not None
        attempts = parcel.booking_attempts

    if must_look_up:
        found = warehouse().bookings_by_request(client_request_id=parcel.reference)
        found = [b for b in found if b.client_request_id in ("", parcel.reference)]
        if found:
            return _adopt(parcel_id, found, _("found upstream by our reference"))
        if under_lease:
            raise Busy(
                f"{parcel.reference}: the booking may still land; looking again later",
                until=parcel.booking_lease_until,
            )
        with transaction.atomic():
            parcel = _locked(parcel_id)
            if parcel.status != ParcelStatus.BOOKING or parcel.booking_id:
                return parcel
            unless_taken_meanwhile(
                parcel.reference,
                seen=attempts,
                attempts=parcel.booking_attempts,
                until=parcel.booking_lease_until,
            )
            parcel.booking_in_doubt, parcel.booking_lease_until = False, None
            parcel.save(update_fields=["booking_in_doubt", "booking_lease_until", "updated_at"])
            parcel.note(_("not found upstream by our reference: booking"), kind="lookup")

    if not _render_holds(parcel_id):
        return Parcel.objects.get(pk=parcel_id)

    with transaction.atomic():
        parcel = _locked(parcel_id)
        if parcel.status != ParcelStatus.BOOKING or parcel.booking_id or parcel.booking_in_doubt:
            return parcel
        if parcel.booking_lease_until and parcel.booking_lease_until > now():
            raise Busy(
                f"{parcel.reference}: a booking may be in flight", until=parcel.booking_lease_until
            )
        parcel.booking_lease_until = now() + lease()
        parcel.booking_attempts += 1
        parcel.save(update_fields=["booking_lease_until", "booking_attempts", "updated_at"])
        parcel.note(
            _("booking upstream (attempt %(attempt)s)") % {"attempt": parcel.booking_attempts},
            kind="booking",
        )

    lines = [
        pl.line
        for pl in ParcelLine.objects.filter(parcel=parcel, active=True).select_related("line")
    ]
    try:
        booking = warehouse().book(
            render_id=parcel.render_id,
            receiver=receiver_of(parcel.address, parcel.tax_id),
            items=freight_items(lines, service_id=parcel.service_id),
            client_request_id=parcel.reference,
            # The booking call has no customs fields: they travel in the remark.
            remark=f"customs: {parcel.customs_description}; "
            f"declared {parcel.declared_value_fen} fen",
        )
    except errors.UpstreamError as exc:
        _book_failed(parcel_id, exc)
        if exc.retryable or exc.outcome_unknown:
            raise
        return Parcel.objects.get(pk=parcel_id)
    return _adopt(parcel_id, [booking], _("booked upstream"))


def _render_holds(parcel_id: int) -> bool:
    """An expired render is taken again; a price move beyond the tolerance sends the parcel
    back to draft for a person (nobody pays a freight they did not see)."""
    parcel = Parcel.objects.select_related("address").get(pk=parcel_id)
    if parcel.render_expires_at and parcel.render_expires_at > now():
        return True
    lines = [pl.line for pl in parcel.parcel_lines.filter(active=True).select_related("line")]
    render = warehouse().render_freight(
        receiver=receiver_of(parcel.address, parcel.tax_id),
        items=freight_items(lines, service_id=parcel.service_id),
    )
    quote = render.quote(parcel.service_id)
    with transaction.atomic():
        parcel = _locked(parcel_id)
        if quote is None or not within_tolerance(parcel.quoted_freight_fen, quote.price_fen):
            price = (
                _("no longer offered")
                if quote is None
                else _("now %(price)s") % {"price": format_cny(quote.price_fen)}
            )
            parcel.transition(
                ParcelStatus.DRAFT,
                message=_(
                    "freight moved: %(service)s %(price)s, accepted %(accepted)s; "
                    "confirm the parcel again"
                )
                % {
                    "service": parcel.service_name,
                    "price": price,
                    "accepted": format_cny(parcel.quoted_freight_fen),
                },
            )
            return False
        parcel.render_id = render.render_id
        parcel.render_expires_at = parse_upstream_time(render.expires_at)
        parcel.save(update_fields=["render_id", "render_expires_at", "updated_at"])
        parcel.note(
            _("render expired: rendered again (%(render)s)") % {"render": render.render_id},
            kind="render",
        )
    return True


def _adopt(parcel_id: int, found: list[Booking], how: str) -> Parcel:
    with transaction.atomic():
        parcel = _locked(parcel_id)
        if parcel.status != ParcelStatus.BOOKING or parcel.booking_id:
            logger.info("parcel %s: already adopted; a second run stops", parcel.reference)
            return parcel
        booking = found[0]  # oldest first: the first booking made under our reference
        if len(found) > 1:
            parcel.note(
                ngettext(
                    "%(count)d booking carries our reference: kept %(booking)s",
                    "%(count)d bookings carry our reference: kept %(booking)s",
                    len(found),
                )
                % {"count": len(found), "booking": booking.booking_id},
                kind="attention",
            )
        parcel.booking_id = booking.booking_id
        parcel.tracking_no = booking.tracking_no
        parcel.freight_fen = booking.freight_fen
        parcel.upstream_status = booking.status
        parcel.booking_lease_until, parcel.booking_in_doubt = None, False
        parcel.save()
        parcel.note(
            _("%(how)s: booking %(booking)s, tracking %(tracking)s")
            % {"how": how, "booking": booking.booking_id, "tracking": booking.tracking_no},
            kind="booked",
            actor_label="upstream",
        )
        _apply(parcel, booking.status, how)
        return parcel


def _book_failed(parcel_id: int, exc: errors.UpstreamError) -> None:
    with transaction.atomic():
        parcel = _locked(parcel_id)
        rid = exc.request_id
        if exc.outcome_unknown:
            parcel.booking_in_doubt = True  # the lease stays: the booking may still land
            parcel.save(update_fields=["booking_in_doubt", "updated_at"])
            parcel.note(
                _("booking outcome unknown (%(error)s); looking it up before any new booking")
                % {"error": what_happened(exc)},
                kind="booking_unknown",
                upstream_request_id=rid,
            )
            return
        parcel.booking_lease_until = None
        if exc.retryable:
            parcel.save(update_fields=["booking_lease_until", "updated_at"])
            parcel.note(
                _("upstream busy, will retry: %(error)s") % {"error": what_happened(exc)},
                kind="retry",
                upstream_request_id=rid,
            )
        elif exc.code in RENDER_AGAIN:
            parcel.render_expires_at = None  # the next confirmation renders again
            parcel.save(update_fields=["booking_lease_until", "render_expires_at", "updated_at"])
            parcel.transition(
                ParcelStatus.DRAFT,
                actor_label="upstream",
                upstream_request_id=rid,
                message=_("refused: %(error)s; confirm the parcel again")
                % {"error": what_happened(exc)},
            )
        else:
            parcel.failure_reason = what_happened(exc)[:2000]
            parcel.save(update_fields=["booking_lease_until", "updated_at"])
            parcel.transition(
                ParcelStatus.FAILED,
                actor_label="upstream",
                upstream_request_id=rid,
                message=_("refused: %(error)s") % {"error": what_happened(exc)},
                fields=("failure_reason",),
            )


def _apply(parcel: Parcel, upstream_status: str, message: str) -> None:
    """Move the parcel forward (never back) and its orders with it. Caller holds the lock."""
    target = BOOKING_STATUS.get(upstream_status)
    if target and RANK.get(target, -1) > RANK.get(parcel.status, 99):
        parcel.upstream_status = upstream_status
        parcel.transition(
            target, actor_label="upstream", message=message, fields=("upstream_status",)
        )
    if parcel.status in (ParcelStatus.BOOKED, ParcelStatus.IN_TRANSIT, ParcelStatus.DELIVERED):
        _move_orders(parcel)


def _move_orders(parcel: Parcel) -> None:
    """An order is dispatched once any of its lines left in a parcel, and delivered once every
    line of it is in a delivered parcel."""
    order_ids = set(
        parcel.parcel_lines.filter(active=True).values_list("line__order_id", flat=True)
    )
    for order in PurchaseOrder.objects.select_for_update().filter(pk__in=order_ids):
        advance_to(
            order,
            OrderStatus.DISPATCHED,
            actor_label="logistics",
            message=_("dispatched in parcel %(parcel)s") % {"parcel": parcel.reference},
        )
        all_lines = set(order.lines.values_list("pk", flat=True))
        delivered = set(
            ParcelLine.objects.filter(
                active=True, line__order=order, parcel__status=ParcelStatus.DELIVERED
            ).values_list("line_id", flat=True)
        )
        if all_lines and all_lines <= delivered:
            advance_to(
                order,
                OrderStatus.DELIVERED,
                actor_label="logistics",
                message=_("delivered in parcel %(parcel)s") % {"parcel": parcel.reference},
            )


def parcel_refresh(*, parcel_id: int) -> Parcel:
    """Read the booking and its tracking upstream: new tracking events go on the timeline,
    the parcel and its orders move forward. Safe to run any number of times."""
    parcel = Parcel.objects.get(pk=parcel_id)
    if not parcel.booking_id:
        return parcel
    booking = warehouse().booking_get(booking_id=parcel.booking_id)
    events = warehouse().track(booking_id=parcel.booking_id)
    with transaction.atomic():
        parcel = _locked(parcel_id)
        seen = set(parcel.events.filter(kind="tracking").values_list("happened_at", "message"))
        for event in events:
            if (event.time, event.description) not in seen:
                parcel.note(
                    event.description,
                    kind="tracking",
                    actor_label="upstream",
                    location=event.location,
                    happened_at=event.time,
                )
        parcel.tracking_no = booking.tracking_no or parcel.tracking_no
        parcel.tracked_at = now()
        parcel.save(update_fields=["tracking_no", "tracked_at", "updated_at"])
        _apply(parcel, booking.status, _("tracking: %(status)s") % {"status": booking.status})
    return parcel


parcel_track = parcel_refresh
