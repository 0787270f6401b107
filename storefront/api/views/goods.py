"""Goods search and detail (with a landed-cost estimate), and overseas freight estimates."""

from __future__ import annotations

import re

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from purchasing.models import Platform
from purchasing.services.goods import goods_search, product_get
from purchasing.services.landed_cost import landed_cost_estimate
from storefront.api import schema
from storefront.api.auth import FreightRead, GoodsRead
from storefront.api.errors import ApiError
from storefront.api.goods import (
    estimate_dict,
    estimate_freight,
    product_dict,
    search_dict,
)
from storefront.api.serializers.goods import (
    FreightEstimateSerializer,
    FreightRequestSerializer,
    GoodsDetailQuerySerializer,
    GoodsDetailSerializer,
    GoodsSearchQuerySerializer,
    GoodsSearchSerializer,
)
from storefront.api.views.base import StorefrontView, validated

ITEM_ID = re.compile(r"^[0-9]{1,20}$")  # Taobao itemId and 1688 offerId are numbers
NOT_FOUND = schema.error(
    "The upstream has no such item.",
    "not_found",
    "The upstream has no such item (it may have been delisted).",
)


class GoodsSearchView(StorefrontView):
    permission_classes = [GoodsRead]

    @extend_schema(
        tags=["goods"],
        operation_id="goods_search",
        summary="Search goods",
        parameters=[GoodsSearchQuerySerializer],
        responses=schema.responses(
            {200: GoodsSearchSerializer}, {400: schema.INVALID}, schema.UPSTREAM
        ),
    )
    def get(self, request: Request) -> Response:
        query = validated(GoodsSearchQuerySerializer, request.query_params)
        results = goods_search(platform=query["platform"], keyword=query["q"], page=query["page"])
        return Response(search_dict(results, platform=query["platform"], q=query["q"]))


class GoodsDetailView(StorefrontView):
    permission_classes = [GoodsRead]

    @extend_schema(
        tags=["goods"],
        operation_id="goods_read",
        summary="Read an item",
        description=(
            "SKUs with price and stock, and a landed-cost estimate (items, the seller's postage "
            "to the warehouse, the cheapest overseas freight to the default destination)."
        ),
        parameters=[
            OpenApiParameter("platform", str, OpenApiParameter.PATH, enum=Platform.values),
            OpenApiParameter("item_id", str, OpenApiParameter.PATH, pattern=ITEM_ID.pattern),
            GoodsDetailQuerySerializer,
        ],
        responses=schema.responses(
            {200: GoodsDetailSerializer}, {400: schema.INVALID, 404: NOT_FOUND}, schema.UPSTREAM
        ),
    )
    def get(self, request: Request, platform: str, item_id: str) -> Response:
        if platform not in Platform.values or not ITEM_ID.fullmatch(item_id):
            raise Http404
        query = validated(GoodsDetailQuerySerializer, request.query_params)
        product = product_get(platform=platform, item_id=item_id)
        sku = None
        if query["sku_id"]:
            sku = next((s for s in product.skus.all() if s.sku_id == query["sku_id"]), None)
            if sku is None:
                raise ApiError(
                    "This item has no such SKU.",
                    code="invalid",
                    fields={"sku_id": ["No such SKU."]},
                )
        cost = landed_cost_estimate(product=product, sku=sku, quantity=query["quantity"])
        return Response(product_dict(product, cost))


class FreightEstimateView(StorefrontView):
    permission_classes = [FreightRead]

    @extend_schema(
        tags=["freight"],
        operation_id="freight_estimate",
        summary="Estimate overseas freight",
        description="Every service that ships these items there, cheapest first; the cheapest "
        "and the fastest are marked.",
        request=FreightRequestSerializer,
        examples=[
            OpenApiExample(
                "Two pieces to Los Angeles",
                request_only=True,
                value={
                    "items": [{"platform": "taobao", "item_id": "652870374890", "quantity": 2}],
                    "destination": {"country": "US", "postal_code": "90001", "city": "Los Angeles"},
                },
            )
        ],
        responses=schema.responses(
            {200: FreightEstimateSerializer}, schema.WRITE, {404: NOT_FOUND}, schema.UPSTREAM
        ),
    )
    def post(self, request: Request) -> Response:
        data = validated(FreightRequestSerializer, request.data)
        estimate = estimate_freight(items=data["items"], destination=data["destination"])
        return Response(estimate_dict(estimate))
