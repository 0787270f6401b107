"""Goods and freight: query and body checks, and the shapes the views answer with."""

from __future__ import annotations

from rest_framework import serializers

from purchasing.models import Platform
from storefront.api.serializers.base import (
    MAX_QUANTITY,
    StrictSerializer,
    item_id_field,
)

MAX_FREIGHT_ITEMS = 50


# -- goods ----------------------------------------------------------------------------------
class GoodsSearchQuerySerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    q = serializers.CharField(max_length=100, help_text="Keywords (Chinese or English).")
    page = serializers.IntegerField(min_value=1, max_value=50, default=1)


class GoodsDetailQuerySerializer(serializers.Serializer):
    sku_id = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="The SKU the landed cost is estimated for (default: the lowest price).",
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, default=1)


class PriceTierSerializer(serializers.Serializer):
    start_quantity = serializers.IntegerField()
    price_fen = serializers.IntegerField()


class GoodsCardSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    item_id = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    title_en = serializers.CharField(allow_blank=True)
    picture = serializers.CharField(allow_blank=True)
    shop_name = serializers.CharField(allow_blank=True)
    price_fen = serializers.IntegerField()
    price_tiers = PriceTierSerializer(many=True)
    monthly_sales = serializers.IntegerField(allow_null=True)
    min_order_quantity = serializers.IntegerField()
    links = serializers.DictField(child=serializers.CharField())


class GoodsSearchSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    q = serializers.CharField()
    page = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    total = serializers.IntegerField()
    note = serializers.CharField(
        allow_blank=True, help_text="What the upstream could not apply, if anything."
    )
    results = GoodsCardSerializer(many=True)


class SkuPropertySerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    name_en = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    value_en = serializers.CharField(allow_blank=True)


class SkuSerializer(serializers.Serializer):
    sku_id = serializers.CharField()
    properties = SkuPropertySerializer(many=True)
    price_fen = serializers.IntegerField()
    stock = serializers.IntegerField()
    available = serializers.BooleanField()


class FreightPartSerializer(serializers.Serializer):
    price_fen = serializers.IntegerField()
    service = serializers.CharField()
    days_min = serializers.IntegerField()
    days_max = serializers.IntegerField()
    chargeable_weight_g = serializers.IntegerField()


class LandedCostSerializer(serializers.Serializer):
    """An estimate: the order preview prices the real thing."""

    country = serializers.CharField()
    sku_id = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()
    unit_price_fen = serializers.IntegerField()
    items_fen = serializers.IntegerField()
    domestic_post_fee_fen = serializers.IntegerField(
        allow_null=True, help_text="The seller's postage to the warehouse; null when unknown."
    )
    freight = FreightPartSerializer(
        allow_null=True, help_text="The cheapest overseas service; null when it failed."
    )
    freight_error = serializers.CharField(allow_blank=True)
    total_fen = serializers.IntegerField(help_text="The sum of the known parts.")
    complete = serializers.BooleanField(help_text="Every part is known.")


class GoodsDetailSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    item_id = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    title_en = serializers.CharField(allow_blank=True)
    shop_name = serializers.CharField(allow_blank=True)
    pictures = serializers.ListField(child=serializers.CharField())
    price_fen = serializers.IntegerField()
    price_tiers = PriceTierSerializer(many=True)
    min_order_quantity = serializers.IntegerField()
    weight_g = serializers.IntegerField(allow_null=True)
    skus = SkuSerializer(many=True)
    landed_cost = LandedCostSerializer()


# -- freight --------------------------------------------------------------------------------
class FreightItemSerializer(StrictSerializer):
    """Goods to ship."""

    platform = serializers.ChoiceField(choices=Platform.choices)
    item_id = item_id_field()
    sku_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class DestinationSerializer(StrictSerializer):
    """Where the parcel goes."""

    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        max_length=2,
        error_messages={"invalid": "Use the two-letter ISO country code, e.g. US."},
    )
    postal_code = serializers.CharField(max_length=12, required=False, allow_blank=True)
    city = serializers.CharField(max_length=50, required=False, allow_blank=True)
    province = serializers.CharField(max_length=50, required=False, allow_blank=True)


class FreightRequestSerializer(StrictSerializer):
    """Goods and a destination to price overseas freight for."""

    items = serializers.ListField(
        child=FreightItemSerializer(), min_length=1, max_length=MAX_FREIGHT_ITEMS
    )
    destination = DestinationSerializer()


class FreightServiceSerializer(serializers.Serializer):
    service_id = serializers.CharField()
    name = serializers.CharField()
    company = serializers.CharField(allow_blank=True)
    category = serializers.CharField(allow_blank=True)
    price_fen = serializers.IntegerField()
    chargeable_weight_g = serializers.IntegerField()
    weight_basis = serializers.CharField(help_text="`actual` or `volumetric`.")
    days_min = serializers.IntegerField()
    days_max = serializers.IntegerField()
    is_cheapest = serializers.BooleanField()
    is_fastest = serializers.BooleanField()


class FreightEstimateSerializer(serializers.Serializer):
    country = serializers.CharField()
    services = FreightServiceSerializer(many=True, help_text="Cheapest first.")
