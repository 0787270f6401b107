"""Forms of the logistics pages; address rules live in logistics.validation."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.models import Address, ParcelStatus
from purchasing.countries import COUNTRIES
from purchasing.links import TAOBAO, LinkError, parse_item_input
from purchasing.models import PurchaseOrderLine

MAX_ORDERS = 20  # orders one estimate may price together


class ParcelFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", _("Any status")), *ParcelStatus.choices], label=_("Status")
    )
    country = forms.CharField(required=False, max_length=2, label=_("Destination (country code)"))
    attention = forms.BooleanField(required=False, label=_("Needs attention only"))


class WarehouseLinesForm(forms.Form):
    min_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        label=_("Waiting at least (days)"),
        error_messages={
            "min_value": _("Days start at 0."),
            "invalid": _("Days are a whole number."),
        },
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    q = forms.CharField(
        required=False,
        max_length=100,
        strip=True,
        label=_("Order or item"),
        error_messages={"max_length": _("Search for at most 100 characters.")},
    )


TRACKING_NO = re.compile(r"^[A-Za-z0-9-]{6,40}$")


class DomesticForm(forms.Form):
    """The seller's carrier and tracking number of an order line, where we know better."""

    company = forms.CharField(
        max_length=60,
        label=_("Carrier"),
        error_messages={"required": _("Name the carrier (e.g. 中通快递 or ZTO).")},
    )
    tracking_no = forms.CharField(
        max_length=60,
        label=_("Tracking number"),
        error_messages={"required": _("Enter the tracking number.")},
    )

    def clean_company(self) -> str:
        return " ".join(self.cleaned_data["company"].split())

    def clean_tracking_no(self) -> str:
        value = "".join(self.cleaned_data["tracking_no"].split()).upper()
        if not TRACKING_NO.match(value):
            raise forms.ValidationError(
                _("A tracking number is 6 to 40 letters, digits or dashes (e.g. 78123456789012).")
            )
        return value


class AddressForm(forms.Form):
    kind = forms.ChoiceField(choices=Address.Kind.choices, label=_("Kind"))
    name = forms.CharField(required=False, max_length=100, label=_("Name"))
    phone = forms.CharField(required=False, max_length=40, label=_("Phone"))
    country = forms.CharField(required=False, max_length=10, label=_("Country (ISO code)"))
    province = forms.CharField(required=False, max_length=100, label=_("Province or state"))
    city = forms.CharField(required=False, max_length=100, label=_("City"))
    district = forms.CharField(required=False, max_length=100, label=_("District"))
    address = forms.CharField(required=False, max_length=300, label=_("Street address"))
    postcode = forms.CharField(required=False, max_length=20, label=_("Postcode"))
    tax_id = forms.CharField(required=False, max_length=80, label=_("Tax id"))
    email = forms.CharField(required=False, max_length=254, label=_("Email"))
    is_default_warehouse = forms.BooleanField(required=False, label=_("Default warehouse"))


class FreightForm(forms.Form):
    """An item (its link or id, SKU and quantity) or the lines of orders (by reference), to a
    customer address or a country from the ISO list."""

    item_id = forms.CharField(
        required=False,
        max_length=500,
        label=_("Item link or id"),
        help_text=_("A Taobao, Tmall or 1688 link, or the item id in it."),
    )
    sku_id = forms.CharField(required=False, max_length=32, label=_("SKU id"))
    quantity = forms.IntegerField(
        required=False, min_value=1, max_value=9999, initial=1, label=_("Quantity")
    )
    orders = forms.CharField(
        required=False,
        max_length=500,
        label=_("Or order references"),
        help_text=_("CG… references, separated by commas: every line of those orders."),
    )
    address = forms.ModelChoiceField(
        required=False,
        queryset=Address.objects.filter(kind=Address.Kind.CUSTOMER),
        label=_("Destination address"),
        empty_label=_("— or a country below —"),
    )
    country = forms.ChoiceField(
        required=False, choices=[("", _("— choose —")), *COUNTRIES], label=_("Or country")
    )
    city = forms.CharField(required=False, max_length=50, label=_("City"))
    postcode = forms.CharField(required=False, max_length=12, label=_("Postcode"))

    def clean_item_id(self) -> str:
        text = (self.cleaned_data.get("item_id") or "").strip()
        if not text:
            return ""
        try:
            refs = parse_item_input(text, default_platform=TAOBAO)
        except LinkError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if len(refs) != 1:
            raise forms.ValidationError(_("Estimate one item at a time, or use order references."))
        return refs[0].item_id

    def clean_orders(self) -> list[PurchaseOrderLine]:
        """The lines of the orders named, in the order named; unknown references refused."""
        refs = [r for r in re.split(r"[\s,;，；]+", self.cleaned_data.get("orders") or "") if r]
        refs = list(dict.fromkeys(r.upper() for r in refs))
        if len(refs) > MAX_ORDERS:
            raise forms.ValidationError(
                _("Estimate at most %(count)d orders at once.") % {"count": MAX_ORDERS}
            )
        lines = list(
            PurchaseOrderLine.objects.filter(order__reference__in=refs)
            .select_related("order")
            .order_by("order__reference", "pk")
        )
        unknown = sorted(set(refs) - {line.order.reference for line in lines})
        if unknown:
            raise forms.ValidationError(
                _("No order with lines has the reference %(refs)s.") % {"refs": ", ".join(unknown)}
            )
        return lines

    def clean(self):
        data = super().clean()
        if not data.get("item_id") and not data.get("orders") and not self.errors:
            raise forms.ValidationError(
                _("Give an item link or id (and SKU and quantity) or order references.")
            )
        if not data.get("address") and not data.get("country") and "country" not in self.errors:
            raise forms.ValidationError(_("Choose a destination address or a country."))
        return data


class ParcelForm(forms.Form):
    service = forms.CharField(max_length=64, error_messages={"required": _("Pick a service.")})
    declared_value = forms.DecimalField(
        min_value=0.01, max_digits=12, decimal_places=2, label=_("Declared value (CNY)")
    )
    description = forms.CharField(max_length=200, label=_("Customs description (HS-style)"))
    tax_id = forms.CharField(required=False, max_length=40, label=_("Receiver's tax id"))


class CancelParcelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, label=_("Reason"))
