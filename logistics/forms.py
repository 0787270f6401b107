"""Forms of the logistics pages; address rules live in logistics.validation."""

from __future__ import annotations

import re

from django import forms

from logistics.models import Address, ParcelStatus
from purchasing.forms_input import as_ids


class ParcelFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *ParcelStatus.choices])
    country = forms.CharField(required=False, max_length=2, label="Destination (country code)")
    attention = forms.BooleanField(required=False, label="Needs attention only")


class WarehouseLinesForm(forms.Form):
    min_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        label="Waiting at least (days)",
        error_messages={"min_value": "Days start at 0.", "invalid": "Days are a whole number."},
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")
    q = forms.CharField(
        required=False,
        max_length=100,
        strip=True,
        label="Order or item",
        error_messages={"max_length": "Search for at most 100 characters."},
    )


TRACKING_NO = re.compile(r"^[A-Za-z0-9-]{6,40}$")


class DomesticForm(forms.Form):
    """The seller's carrier and tracking number of an order line, where we know better."""

    company = forms.CharField(
        max_length=60,
        label="Carrier",
        error_messages={"required": "Name the carrier (e.g. 中通快递 or ZTO)."},
    )
    tracking_no = forms.CharField(
        max_length=60,
        label="Tracking number",
        error_messages={"required": "Enter the tracking number."},
    )

    def clean_company(self) -> str:
        return " ".join(self.cleaned_data["company"].split())

    def clean_tracking_no(self) -> str:
        value = "".join(self.cleaned_data["tracking_no"].split()).upper()
        if not TRACKING_NO.match(value):
            raise forms.ValidationError(
                "A tracking number is 6 to 40 letters, digits or dashes (e.g. 78123456789012)."
            )
        return value


class AddressForm(forms.Form):
    kind = forms.ChoiceField(choices=Address.Kind.choices)
    name = forms.CharField(required=False, max_length=100)
    phone = forms.CharField(required=False, max_length=40)
    country = forms.CharField(required=False, max_length=10, label="Country (ISO code)")
    province = forms.CharField(required=False, max_length=100, label="Province or state")
    city = forms.CharField(required=False, max_length=100)
    district = forms.CharField(required=False, max_length=100)
    address = forms.CharField(required=False, max_length=300, label="Street address")
    postcode = forms.CharField(required=False, max_length=20)
    tax_id = forms.CharField(required=False, max_length=80, label="Tax id")
    email = forms.CharField(required=False, max_length=254)
    is_default_warehouse = forms.BooleanField(required=False, label="Default warehouse")


class FreightForm(forms.Form):
    item_id = forms.CharField(required=False, max_length=32, label="Item id")
    sku_id = forms.CharField(required=False, max_length=32, label="SKU id")
    quantity = forms.IntegerField(required=False, min_value=1, max_value=9999, initial=1)
    lines = forms.CharField(required=False, label="Or order line ids (comma separated)")
    address = forms.ModelChoiceField(
        required=False,
        queryset=Address.objects.filter(kind=Address.Kind.CUSTOMER),
        label="Destination address",
        empty_label="— or a country below —",
    )
    country = forms.CharField(required=False, max_length=2, label="Or country code")
    city = forms.CharField(required=False, max_length=50)
    postcode = forms.CharField(required=False, max_length=12)

    def clean_lines(self) -> list[int]:
        raw = [p for p in (self.cleaned_data.get("lines") or "").replace(" ", "").split(",") if p]
        ids = as_ids(raw)
        if len(ids) != len(raw):
            raise forms.ValidationError("Line ids are numbers separated by commas.")
        return ids

    def clean(self):
        data = super().clean()
        if not data.get("item_id") and not data.get("lines"):
            raise forms.ValidationError("Give an item id (and SKU and quantity) or order lines.")
        if not data.get("address") and not (data.get("country") or "").strip():
            raise forms.ValidationError("Choose a destination address or a country.")
        return data


class ParcelForm(forms.Form):
    service = forms.CharField(max_length=64, error_messages={"required": "Pick a service."})
    declared_value = forms.DecimalField(
        min_value=0.01, max_digits=12, decimal_places=2, label="Declared value (CNY)"
    )
    description = forms.CharField(max_length=200, label="Customs description (HS-style)")
    tax_id = forms.CharField(required=False, max_length=40, label="Receiver's tax id")


class CancelParcelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, label="Reason")
