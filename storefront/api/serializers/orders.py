"""Orders: what a storefront sends (strict, bounded) and what it reads back (the schema of
`order_representation`, which the views return as is)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from logistics.validation import LIMITS, AddressInvalid, clean_address
from purchasing.models import Platform
from purchasing.selectors.search import MAX_LENGTH as SEARCH_MAX_LENGTH
from storefront.api.serializers.base import (
    MAX_QUANTITY,
    StrictSerializer,
    fen_field,
    item_id_field,
)
from storefront.models import CustomerLineStatus, CustomerOrderStatus

MAX_LINES = 100


# -- input ----------------------------------------------------------------------------------
class CustomerSerializer(StrictSerializer):
    """The customer who bought the goods."""

    name = serializers.CharField(max_length=100)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class ShippingAddressSerializer(StrictSerializer):
    """Checked like every address Caigou ships to (phone and postcode per country)."""

    name = serializers.CharField(max_length=LIMITS["name"])
    phone = serializers.CharField(max_length=32)
    country = serializers.CharField(
        max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2, e.g. US."
    )
    province = serializers.CharField(
        max_length=LIMITS["province"],
        required=False,
        allow_blank=True,
        help_text="Province or state; required except in SG, HK and MO.",
    )
    city = serializers.CharField(max_length=LIMITS["city"])
    district = serializers.CharField(
        max_length=LIMITS["district"], required=False, allow_blank=True
    )
    address = serializers.CharField(max_length=LIMITS["address"])
    postcode = serializers.CharField(max_length=12, required=False, allow_blank=True)
    tax_id = serializers.CharField(
        max_length=LIMITS["tax_id"],
        required=False,
        allow_blank=True,
        help_text="The receiver's tax id; customs need it in BR, MX, KR, CL, AR, PE, TR, IL, ID.",
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            cleaned = clean_address({**attrs, "kind": "customer"})
        except AddressInvalid as exc:
            raise serializers.ValidationError(exc.errors) from exc
        cleaned.pop("kind")
        return cleaned


class OrderLineInputSerializer(StrictSerializer):
    """One SKU the customer bought, and how many."""

    platform = serializers.ChoiceField(choices=Platform.choices)
    item_id = item_id_field()
    sku_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_price_fen = fen_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="What the customer paid for one piece (fen), if known.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OrderCreateSerializer(StrictSerializer):
    """A customer order; keys not listed here are refused."""

    external_id = serializers.CharField(
        max_length=64, help_text="The storefront's own order number; unique per storefront."
    )
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        max_length=3,
        error_messages={"invalid": "Three capital letters (ISO 4217), e.g. USD."},
    )
    customer = CustomerSerializer()
    shipping_address = ShippingAddressSerializer()
    lines = serializers.ListField(
        child=OrderLineInputSerializer(), min_length=1, max_length=MAX_LINES
    )
    budget_fen = fen_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="The most (fen) the storefront lets Caigou spend without asking.",
    )


class DecisionSerializer(StrictSerializer):
    """The answer for one line that waits for the customer's decision."""

    line_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    action = serializers.ChoiceField(
        choices=[("accept_price", "Accept the new price"), ("drop", "Drop the line")]
    )


class DecisionsSerializer(StrictSerializer):
    """Answers for the lines an order asks about."""

    decisions = serializers.ListField(
        child=DecisionSerializer(), min_length=1, max_length=MAX_LINES
    )


class OrderListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CustomerOrderStatus.choices, required=False)
    external_id = serializers.CharField(max_length=64, required=False)
    updated_since = serializers.DateTimeField(
        required=False, help_text="ISO 8601, e.g. 2026-11-01T00:00:00Z: orders changed since."
    )
    q = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=(
            "Orders whose goods match: a word of a title (Chinese or English), the shop's name, "
            "an item or SKU id, a colour or size; or our purchase reference or an upstream order "
            "id."
        ),
    )


# -- output ----------------------------------------------------------------------------------
class CustomerOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)


class AmountsSerializer(serializers.Serializer):
    cost_fen = serializers.IntegerField(help_text="What the bought lines cost us (fen).")
    refunded_fen = serializers.IntegerField(help_text="Refunded by the sellers so far (fen).")


class SellerTrackingSerializer(serializers.Serializer):
    company = serializers.CharField(allow_blank=True)
    number = serializers.CharField()


class ParcelSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    service = serializers.CharField(allow_blank=True)
    tracking_number = serializers.CharField(allow_blank=True)


class LineDecisionSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=["price_rose", "unavailable"])
    price_fen = serializers.IntegerField(allow_null=True)
    answer = serializers.ChoiceField(choices=["accept_price", "drop"], allow_null=True)


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    line_no = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=Platform.choices)
    item_id = serializers.CharField()
    sku_id = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()
    unit_price_fen = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=CustomerLineStatus.choices)
    unit_cost_fen = serializers.IntegerField(allow_null=True)
    purchase_order = serializers.CharField(allow_null=True)
    seller_tracking = SellerTrackingSerializer(allow_null=True)
    parcel = ParcelSerializer(allow_null=True)
    decision = LineDecisionSerializer(allow_null=True)


class LinksSerializer(serializers.Serializer):
    self = serializers.CharField()
    # Only while the order can still be cancelled.
    cancel = serializers.CharField(required=False)
    decisions = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    """A customer order as the storefront reads it (also the `data` of order webhooks)."""

    id = serializers.IntegerField()
    external_id = serializers.CharField()
    status = serializers.ChoiceField(choices=CustomerOrderStatus.choices)
    status_reason = serializers.CharField(allow_blank=True)
    currency = serializers.CharField()
    customer = CustomerOutSerializer()
    shipping_address = serializers.DictField()
    budget_fen = serializers.IntegerField(allow_null=True)
    amounts = AmountsSerializer()
    lines = OrderLineSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    links = LinksSerializer()


class OrderPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OrderSerializer(many=True)
