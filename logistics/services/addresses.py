"""The address book: validated locally, synced with the upstream foundations API."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from logistics.models import Address
from logistics.services.common import LogisticsError, logger, now, require
from logistics.validation import NO_PROVINCE, clean_address
from purchasing.phrases import gettext as _
from purchasing.routes.warehouse import address_book
from upstream import errors
from upstream.types.logistics import Address as UpstreamAddress


def address_save(*, data: dict[str, Any], actor: Any, address: Address | None = None) -> Address:
    """Add or update an address (AddressInvalid names bad fields), then save it upstream and
    keep the upstream id. The local row is committed first; if the upstream call fails the
    address stays unsynced (no upstream id) and LogisticsError says so: save it again."""
    require(actor)
    cleaned = clean_address(data)
    with transaction.atomic():
        if address is None:
            address = Address()
        else:
            address = Address.objects.select_for_update().get(pk=address.pk)
        for name, value in cleaned.items():
            setattr(address, name, value)
        default = bool(data.get("is_default_warehouse")) and address.kind == "warehouse"
        if default:
            Address.objects.filter(is_default_warehouse=True).exclude(pk=address.pk).update(
                is_default_warehouse=False
            )
        address.is_default_warehouse = default
        address.save()
    _push(address)
    return address


def _push(address: Address) -> None:
    province = address.province or (address.city if address.country in NO_PROVINCE else "")
    try:
        upstream_id = address_book().save(
            address_id=address.upstream_address_id or "0",
            name=address.name,
            phone=address.phone,
            province=province,
            city=address.city,
            district=address.district,
            address=address.address,
            postcode=address.postcode,
            country=address.country,
            is_default=address.is_default_warehouse,
        )
    except errors.UpstreamError as exc:
        logger.warning("address %s: upstream save failed: %s", address.pk, exc)
        raise LogisticsError(
            _("saved here, but the upstream refused it: %(why)s") % {"why": exc.msg}
        ) from exc
    if not upstream_id:  # the real API answers no id: find ours in the book
        upstream_id = _find_upstream_id(address)
    with transaction.atomic():
        Address.objects.filter(pk=address.pk).update(
            upstream_address_id=upstream_id or "", upstream_synced_at=now()
        )
    address.upstream_address_id = upstream_id or ""


def _find_upstream_id(address: Address) -> str:
    known = set(
        Address.objects.exclude(pk=address.pk).values_list("upstream_address_id", flat=True)
    )
    for candidate in address_book().get():
        if (
            candidate.address_id not in known
            and candidate.name == address.name
            and candidate.phone == address.phone
            and candidate.address == address.address
        ):
            return candidate.address_id
    return ""


def addresses_pull(*, actor: Any) -> list[Address]:
    """Import the upstream's address book: new addresses are added, known ones updated. A CN
    address is a warehouse; the upstream's default becomes our default warehouse if we have none."""
    require(actor)
    found = address_book().get()
    pulled = []
    with transaction.atomic():
        has_default = Address.objects.filter(is_default_warehouse=True).exists()
        for item in found:
            pulled.append(_import(item, make_default=item.is_default and not has_default))
            has_default = has_default or pulled[-1].is_default_warehouse
    return pulled


def _import(item: UpstreamAddress, *, make_default: bool) -> Address:
    country = (item.country or "CN").upper()
    address = Address.objects.filter(upstream_address_id=item.address_id).first() or Address(
        upstream_address_id=item.address_id,
        kind=Address.Kind.WAREHOUSE if country == "CN" else Address.Kind.CUSTOMER,
    )
    address.name, address.phone, address.country = item.name, item.phone, country
    address.province, address.city, address.district = item.province, item.city, item.district
    address.address, address.postcode = item.address, item.postcode
    address.upstream_synced_at = now()
    if make_default and address.kind == Address.Kind.WAREHOUSE:
        address.is_default_warehouse = True
    address.save()
    return address


def default_warehouse() -> Address | None:
    return Address.objects.filter(is_default_warehouse=True).first()


def default_warehouse_snapshot() -> dict[str, str] | None:
    """The default warehouse in purchasing's neutral address shape, or None. The book keeps one
    phone, which is the mobile sellers call; it keeps no district code."""
    address = default_warehouse()
    if address is None:
        return None
    return {
        "name": address.name,
        "mobile": address.phone,
        "phone": "",
        "zip": address.postcode,
        "country": "中国" if address.country == "CN" else address.country,
        "state": address.province,
        "city": address.city,
        "district": address.district,
        "address": address.address,
        "district_code": "",
    }
