"""Customer orders: push one in, list and read them, cancel one, answer a decision."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from purchasing.selectors.search import matching_order_ids
from storefront.api import schema
from storefront.api.auth import OrdersRead, OrdersWrite
from storefront.api.examples import ORDER_EXAMPLE, ORDER_RESPONSE
from storefront.api.idempotency import HEADER, MAX_LENGTH, idempotent
from storefront.api.pagination import OrderCursorPagination
from storefront.api.serializers.orders import (
    DecisionsSerializer,
    OrderCreateSerializer,
    OrderListQuerySerializer,
    OrderPageSerializer,
    OrderSerializer,
)
from storefront.api.views.base import StorefrontView, validated
from storefront.models import CustomerOrder
from storefront.representation import order_representation, with_details
from storefront.services.intake import (
    customer_order_cancel,
    customer_order_create,
    customer_order_decide,
)

TAG = ["orders"]
MAX_ID = 2**63 - 1  # beyond a database integer: no such order
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        f"Up to {MAX_LENGTH} characters. A repeat with the same key and body replays the first "
        "answer (header `Idempotent-Replayed: true`); the same key with another body is refused "
        "(422); while the first is still running, 409. Keys are kept 24 hours."
    ),
)


def bought(q: str) -> QuerySet:
    """Ids of the customer orders one of whose purchase orders matches `q`."""
    links = CustomerOrder.purchase_orders.through.objects
    return links.filter(purchaseorder__in=matching_order_ids(q)).values("customerorder_id")


class StorefrontOrderMixin:
    def orders(self) -> QuerySet[CustomerOrder]:
        return CustomerOrder.objects.filter(storefront=self.storefront)

    def get_order(self, pk: int) -> CustomerOrder:
        if pk > MAX_ID:
            raise Http404
        return get_object_or_404(self.orders(), pk=pk)

    def answer(self, order: CustomerOrder, code: int = status.HTTP_200_OK) -> Response:
        fresh = with_details(self.orders()).get(pk=order.pk)
        return Response(order_representation(fresh), status=code)


class OrderListView(StorefrontOrderMixin, StorefrontView):
    pagination_class = OrderCursorPagination

    def get_permissions(self) -> list:
        return [OrdersWrite()] if self.request.method == "POST" else [OrdersRead()]

    @extend_schema(
        tags=TAG,
        operation_id="orders_list",
        summary="List orders",
        description="Newest first (by creation), with cursor pagination: follow `next`.",
        parameters=[
            OrderListQuerySerializer,
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`/`previous`."),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": OrderCursorPagination.max_page_size},
                description="1 to 100 (default 20); any other value is refused with 400.",
            ),
        ],
        responses=schema.responses(
            {200: OrderPageSerializer}, {400: schema.INVALID}, {404: schema.NOT_FOUND}
        ),
    )
    def get(self, request: Request) -> Response:
        filters = validated(OrderListQuerySerializer, request.query_params)
        orders = self.orders()
        if "status" in filters:
            orders = orders.filter(status=filters["status"])
        if "external_id" in filters:
            orders = orders.filter(external_id=filters["external_id"])
        if "updated_since" in filters:
            orders = orders.filter(updated_at__gte=filters["updated_since"])
        if filters.get("q", "").strip():
            orders = orders.filter(pk__in=bought(filters["q"]))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(with_details(orders), request, view=self)
        return paginator.get_paginated_response([order_representation(o) for o in page])

    @extend_schema(
        tags=TAG,
        operation_id="orders_create",
        summary="Push a customer order",
        description=(
            "Creates the order (201). The same `external_id` again returns the existing order "
            "(200) and changes nothing."
        ),
        request=OrderCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[ORDER_EXAMPLE, ORDER_RESPONSE],
        responses=schema.responses(
            {201: OrderSerializer, 200: OrderSerializer},
            schema.WRITE,
            {
                409: schema.error(
                    "The Idempotency-Key is in use by a running request.",
                    "idempotency_key_in_use",
                    "A request with this Idempotency-Key is still running; retry in a moment.",
                ),
                422: schema.error(
                    "The Idempotency-Key was used with another body.",
                    "idempotency_key_reused",
                    "This Idempotency-Key was used with a different request.",
                ),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        return idempotent(
            request, self.storefront, lambda: self.create(request), self.handle_exception
        )

    def create(self, request: Request) -> Response:
        data = validated(OrderCreateSerializer, request.data)
        order, created = customer_order_create(storefront=self.storefront, data=data)
        return self.answer(order, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class OrderDetailView(StorefrontOrderMixin, StorefrontView):
    permission_classes = [OrdersRead]

    @extend_schema(
        tags=TAG,
        operation_id="orders_read",
        summary="Read an order",
        examples=[ORDER_RESPONSE],
        responses=schema.responses({200: OrderSerializer}, {404: schema.NOT_FOUND}),
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.answer(self.get_order(pk))


class OrderCancelView(StorefrontOrderMixin, StorefrontView):
    permission_classes = [OrdersWrite]

    @extend_schema(
        tags=TAG,
        operation_id="orders_cancel",
        summary="Cancel an order",
        description="Only while nothing was bought for it (409 otherwise).",
        request=None,
        responses=schema.responses(
            {200: OrderSerializer},
            {
                404: schema.NOT_FOUND,
                409: schema.error(
                    "Something was already bought.",
                    "already_purchasing",
                    "the order can no longer be cancelled: its goods are being bought (PO-1042)",
                ),
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        order = self.get_order(pk)
        customer_order_cancel(order=order)
        return self.answer(order)


class OrderDecisionsView(StorefrontOrderMixin, StorefrontView):
    permission_classes = [OrdersWrite]

    @extend_schema(
        tags=TAG,
        operation_id="orders_decide",
        summary="Answer a customer decision",
        description=(
            "For lines whose `decision` asks (price rose, or unavailable): `accept_price` buys "
            "at the new price, `drop` takes the line off the order."
        ),
        request=DecisionsSerializer,
        examples=[
            OpenApiExample(
                "Accept a new price",
                request_only=True,
                value={"decisions": [{"line_id": 41, "action": "accept_price"}]},
            )
        ],
        responses=schema.responses(
            {200: OrderSerializer},
            schema.WRITE,
            {
                404: schema.NOT_FOUND,
                409: schema.error(
                    "The order does not wait for a decision.",
                    "no_decision_waiting",
                    "no decision is waiting: the order is purchasing",
                ),
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        order = self.get_order(pk)
        data = validated(DecisionsSerializer, request.data)
        customer_order_decide(order=order, decisions=data["decisions"])
        return self.answer(order)
