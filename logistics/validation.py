"""Address validation with a message per field, and which destinations need a tax id.

Phones are normalised (spaces, dashes, dots and brackets dropped) before they are checked and
stored: the upstream accepts only `+` and 5-20 digits.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Destinations whose customs clear a parcel only with the receiver's tax id: Brazil (CPF/CNPJ),
# Mexico (RFC), South Korea (personal customs clearance code), Chile (RUT), Argentina (CUIT/
# CUIL), Peru (DNI/RUC), Turkey (TC kimlik), Israel (ID) and Indonesia (NIK/NPWP).
TAX_ID_COUNTRIES = frozenset({"BR", "MX", "KR", "CL", "AR", "PE", "TR", "IL", "ID"})

# Countries without provinces or states: the upstream still wants one, so the city is sent.
NO_PROVINCE = frozenset({"SG", "HK", "MO"})

PHONE_RULES: dict[str, tuple[str, str]] = {
    "CN": (
        r"^(\+?86)?(1[3-9]\d{9}|0\d{9,11})$",
        gettext_lazy("a mainland mobile (1xx xxxx xxxx) or landline"),
    ),
    "US": (r"^(\+?1)?[2-9]\d{2}[2-9]\d{6}$", gettext_lazy("10 digits, optionally after +1")),
    "CA": (r"^(\+?1)?[2-9]\d{2}[2-9]\d{6}$", gettext_lazy("10 digits, optionally after +1")),
    "GB": (r"^(\+44|0)\d{9,10}$", gettext_lazy("+44 or 0 and 9-10 digits")),
    "DE": (r"^(\+49|0)\d{6,13}$", gettext_lazy("+49 or 0 and 6-13 digits")),
    "FR": (r"^(\+33|0)[1-9]\d{8}$", gettext_lazy("+33 or 0 and 9 digits")),
    "AU": (r"^(\+61|0)[2-478]\d{8}$", gettext_lazy("+61 or 0 and 9 digits")),
    "JP": (r"^(\+81|0)\d{9,10}$", gettext_lazy("+81 or 0 and 9-10 digits")),
    "SG": (
        r"^(\+65)?[689]\d{7}$",
        gettext_lazy("8 digits starting 6, 8 or 9, optionally after +65"),
    ),
    "MY": (r"^(\+?60|0)\d{8,10}$", gettext_lazy("+60 or 0 and 8-10 digits")),
}
GENERIC_PHONE = (r"^\+?\d{6,15}$", gettext_lazy("6-15 digits with an optional leading +"))

POSTCODE_RULES: dict[str, tuple[str, str]] = {
    "CN": (r"^\d{6}$", gettext_lazy("6 digits")),
    "US": (r"^\d{5}(-\d{4})?$", gettext_lazy("5 digits or ZIP+4")),
    "CA": (r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$", gettext_lazy("like K1A 0B1")),
    "GB": (r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", gettext_lazy("like SW1A 1AA")),
    "DE": (r"^\d{5}$", gettext_lazy("5 digits")),
    "FR": (r"^\d{5}$", gettext_lazy("5 digits")),
    "AU": (r"^\d{4}$", gettext_lazy("4 digits")),
    "JP": (r"^\d{3}-?\d{4}$", gettext_lazy("like 100-0001")),
    "SG": (r"^\d{6}$", gettext_lazy("6 digits")),
    "MY": (r"^\d{5}$", gettext_lazy("5 digits")),
    "BR": (r"^\d{5}-?\d{3}$", gettext_lazy("like 01310-100")),
    "MX": (r"^\d{5}$", gettext_lazy("5 digits")),
    "KR": (r"^\d{5}$", gettext_lazy("5 digits")),
    "CL": (r"^\d{7}$", gettext_lazy("7 digits")),
}
GENERIC_POSTCODE = (r"^[A-Z0-9 -]{3,10}$", gettext_lazy("3-10 letters, digits, spaces or dashes"))
# Where a postcode is optional (no postal codes in general use).
NO_POSTCODE = frozenset({"HK", "MO", "AE", "QA", "IE"})

REQUIRED = ("name", "phone", "country", "city", "address")
LIMITS = {"name": 50, "province": 50, "city": 50, "district": 50, "address": 200, "tax_id": 40}
FIELDS = (
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


class AddressInvalid(Exception):
    """The address has errors: `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def normalise_phone(phone: str) -> str:
    return re.sub(r"[\s\-().]", "", phone or "")


def clean_address(data: dict[str, Any]) -> dict[str, Any]:
    """The cleaned fields of an address, or AddressInvalid naming every bad field."""
    cleaned = {name: str(data.get(name) or "").strip() for name in FIELDS}
    cleaned["kind"] = cleaned["kind"] or "customer"
    cleaned["country"] = cleaned["country"].upper()
    cleaned["postcode"] = cleaned["postcode"].upper()
    cleaned["phone"] = normalise_phone(cleaned["phone"])
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if cleaned["kind"] not in ("warehouse", "customer"):
        add("kind", _("Choose warehouse or customer."))
    for name in REQUIRED:
        if not cleaned[name]:
            add(name, _("This field is required."))
    country = cleaned["country"]
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        add("country", _("Use the two-letter ISO country code, e.g. US."))
    if not cleaned["province"] and country not in NO_PROVINCE:
        add("province", _("This field is required (province or state)."))
    for name, limit in LIMITS.items():
        if len(cleaned[name]) > limit:
            add(name, _("At most %(limit)d characters.") % {"limit": limit})
    if cleaned["phone"]:
        pattern, hint = PHONE_RULES.get(country, GENERIC_PHONE)
        if not re.fullmatch(pattern, cleaned["phone"]):
            add(
                "phone",
                _("Not a valid phone number for %(country)s: %(hint)s.")
                % {"country": country or _("this country"), "hint": hint},
            )
    postcode = cleaned["postcode"]
    if postcode:
        pattern, hint = POSTCODE_RULES.get(country, GENERIC_POSTCODE)
        if not re.fullmatch(pattern, postcode):
            add(
                "postcode",
                _("Not a valid postcode for %(country)s: %(hint)s.")
                % {"country": country or _("this country"), "hint": hint},
            )
    elif country and country not in NO_POSTCODE:
        add("postcode", _("This field is required."))
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            add("email", _("Enter a valid email address."))
    if cleaned["kind"] == "warehouse" and country and country != "CN":
        add("country", _("A warehouse address is in China (CN)."))
    if errors:
        raise AddressInvalid(errors)
    return cleaned


def needs_tax_id(country: str) -> bool:
    return country.upper() in TAX_ID_COUNTRIES
