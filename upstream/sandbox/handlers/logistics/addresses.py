"""Sandbox handlers: the account's address book (foundations)."""

from __future__ import annotations

import re
from typing import Any

from upstream.sandbox.handlers.logistics.common import COUNTRY, _text
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import Address
from upstream.sandbox.router import SandboxCall, SandboxError, handles

PHONE = re.compile(r"^\+?\d{5,20}$")
POSTCODE = re.compile(r"^[0-9A-Za-z -]{3,10}$")


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
