"""Where an order is delivered, in our one neutral shape, and the shapes each platform wants.

Our address snapshot (`PurchaseOrder.address`, the warehouse setting) is a plain dict with
`name, mobile, phone, zip, country, state, city, district, address, district_code`; keys it
lacks are empty. Taobao's create and cart preview take a `receiver` / `orderAddress`, 1688's
preview and create an `addressParam`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class DeliveryAddress:
    """One delivery address in our neutral shape."""

    name: str = ""
    mobile: str = ""
    phone: str = ""
    zip: str = ""
    country: str = "中国"
    state: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    district_code: str = ""

    @classmethod
    def of(cls, snapshot: Mapping[str, Any]) -> DeliveryAddress:
        """From the stored snapshot; keys that are not address fields (a warehouse name) are
        left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in snapshot.items() if key in known})

    def as_taobao_receiver(self) -> dict[str, Any]:
        """Taobao `receiver` (create) and `orderAddress` (cart preview)."""
        return {
            "zip": self.zip,
            "country": self.country,
            "state": self.state,
            "city": self.city,
            "district": self.district,
            "address": self.address,
            "phone": self.phone,
            "mobile_phone": self.mobile,
            "name": self.name,
        }

    def as_alibaba_address(self) -> dict[str, Any]:
        """1688 `addressParam`; without a phone the mobile stands in for it."""
        return {
            "fullName": self.name,
            "mobile": self.mobile,
            "phone": self.phone or self.mobile,
            "postCode": self.zip,
            "provinceText": self.state,
            "cityText": self.city,
            "areaText": self.district,
            "townText": "",
            "address": self.address,
            "districtCode": self.district_code,
        }
