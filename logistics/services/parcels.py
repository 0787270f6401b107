"""Parcels: built from arrived lines of one customer, then booked by a task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics.models import Address, Parcel, ParcelLine, ParcelStatus
from logistics.rules import can_book, can_cancel
from logistics.services.common import LogisticsError, require
from logistics.services.freight import freight_items, receiver_of
from logistics.validation import AddressInvalid, clean_address, needs_tax_id
from purchasing.models import PurchaseOrderLine
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.routes.warehouse import warehouse
from purchasing.statuses import OrderStatus
from upstream import errors


@dataclass
class Customs:
    declared_value_fen: int
    description: str  # HS-style description, e.g. "cotton T-shirts (6109.10)"
    tax_id: str = ""


def parse_upstream_time(value: str) -> datetime | None:
    """The upstream's "yyyy-MM-dd HH:mm:ss", in the site's time zone (as the sandbox writes)."""
    try:
        naive = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(naive)


def parcel_create(
    *,
    lines: Sequence[PurchaseOrderLine],
    address: Address,
    service: str,
    customs: Customs | dict[str, Any],
    actor: Any,
) -> Parcel:
    """A draft parcel of arrived lines to `address`, priced on `service` by a fresh render.
    Refused with a sentence: lines not at the warehouse, lines already in a parcel, customs
    missing, an address that does not validate, a service not offered."""
    require(actor)
    if isinstance(customs, dict):
        customs = Customs(
            declared_value_fen=int(customs.get("declared_value_fen") or 0),
            description=str(customs.get("description") or "").strip(),
            tax_id=str(customs.get("tax_id") or "").strip(),
        )
    lines = list(
        PurchaseOrderLine.objects.filter(pk__in=[line.pk for line in lines]).select_related("order")
    )
    if not lines:
        raise LogisticsError(_("choose at least one arrived line"))
    if address.kind != Address.Kind.CUSTOMER:
        raise LogisticsError(_("a parcel goes to a customer address, not a warehouse"))
    try:
        clean_address(
            {
                f: getattr(address, f)
                for f in (
                    "kind",
                    "name",
                    "phone",
                    "country",
                    "province",
                    "city",
                    "district",
                    "address",
                    "postcode",
                    "tax_id",
                    "email",
                )
            }
        )
    except AddressInvalid as exc:
        raise LogisticsError(_("the address needs fixing first: %(why)s") % {"why": exc}) from exc
    away = [line for line in lines if line.order.status != OrderStatus.AT_WAREHOUSE]
    if away:
        names = ", ".join(
            _("%(ref)s line %(line)s") % {"ref": line.order.reference, "line": line.line_no}
            for line in away
        )
        raise LogisticsError(
            _("only lines at the warehouse can be sent; not yet: %(names)s") % {"names": names}
        )
    _refuse_taken(lines)
    if customs.declared_value_fen <= 0:
        raise LogisticsError(_("the declared value must be above zero"))
    if not customs.description:
        raise LogisticsError(_("the customs description is required"))
    tax_id = customs.tax_id or address.tax_id
    if needs_tax_id(address.country) and not tax_id:
        raise LogisticsError(
            _("parcels to %(country)s need the receiver's tax id") % {"country": address.country}
        )

    # A render is a quote, not a purchase: it is taken before anything is saved.
    try:
        render = warehouse().render_freight(
            receiver=receiver_of(address, tax_id), items=freight_items(lines, service_id=service)
        )
    except errors.FinalError as exc:
        raise LogisticsError(
            _("the upstream would not price this parcel: %(why)s") % {"why": exc.msg}
        ) from exc
    quote = render.quote(service)
    if quote is None:
        raise LogisticsError(
            _("service %(service)s is not offered to %(country)s")
            % {"service": service, "country": address.country}
        )
    try:
        with transaction.atomic():
            parcel = Parcel.objects.create(
                address=address,
                country=address.country,
                service_id=service,
                service_name=quote.name,
                render_id=render.render_id,
                render_expires_at=parse_upstream_time(render.expires_at),
                quoted_freight_fen=quote.price_fen,
                declared_value_fen=customs.declared_value_fen,
                customs_description=customs.description[:200],
                tax_id=tax_id,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            ParcelLine.objects.bulk_create([ParcelLine(parcel=parcel, line=line) for line in lines])
            parcel.note(
                _("parcel of %(count)d lines, %(service)s at %(price)s")
                % {
                    "count": len(lines),
                    "service": quote.name,
                    "price": format_cny(quote.price_fen),
                },
                actor=actor,
                kind="created",
            )
    except IntegrityError as exc:  # another parcel took a line meanwhile
        _refuse_taken(lines)
        raise LogisticsError(_("a line was just put in another parcel")) from exc
    return parcel


def _refuse_taken(lines: Sequence[PurchaseOrderLine]) -> None:
    taken = ParcelLine.objects.filter(line__in=lines, active=True).select_related(
        "parcel", "line__order"
    )
    if taken:
        names = ", ".join(
            _("line %(line)s of order %(order)s (in %(parcel)s)")
            % {
                "line": t.line.line_no,
                "order": t.line.order.reference,
                "parcel": t.parcel.reference,
            }
            for t in taken
        )
        raise LogisticsError(_("already in a parcel: %(names)s") % {"names": names})


@transaction.atomic
def parcel_book(*, parcel: Parcel, actor: Any) -> Parcel:
    """Send a draft parcel to the warehouse: -> booking, and the booking task after commit.
    Booking one already under way changes nothing."""
    from logistics.tasks import book_parcel

    require(actor)
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    if not can_book(parcel):
        return parcel
    parcel.transition(
        ParcelStatus.BOOKING,
        actor=actor,
        message=_("booking as %(reference)s") % {"reference": parcel.reference},
    )
    parcel_id = parcel.pk
    transaction.on_commit(lambda: book_parcel.delay(parcel_id=parcel_id))
    return parcel


@transaction.atomic
def parcel_cancel(*, parcel: Parcel, actor: Any, reason: str = "") -> Parcel:
    """Give up a draft (or failed) parcel; its lines are free for another one."""
    require(actor)
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    if parcel.status == ParcelStatus.CANCELLED:
        return parcel
    if not can_cancel(parcel):
        raise LogisticsError(
            _("a %(status)s parcel cannot be cancelled")
            % {"status": parcel.get_status_display().lower()}
        )
    # A reason is the person's own words, kept as written.
    parcel.transition(ParcelStatus.CANCELLED, actor=actor, message=reason or _("cancelled"))
    return parcel
