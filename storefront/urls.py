"""The storefront's REST API under /api/: v1 endpoints, the OpenAPI schema and its docs.

Anything else under /api/ answers a JSON 404 in the API's error shape."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from storefront.api.errors import not_found
from storefront.api.views import goods, orders

app_name = "api"

urlpatterns = [
    path("v1/orders/", orders.OrderListView.as_view(), name="order-list"),
    path("v1/orders/<int:pk>/", orders.OrderDetailView.as_view(), name="order-detail"),
    path("v1/orders/<int:pk>/cancel/", orders.OrderCancelView.as_view(), name="order-cancel"),
    path(
        "v1/orders/<int:pk>/decisions/",
        orders.OrderDecisionsView.as_view(),
        name="order-decisions",
    ),
    path("v1/goods/search/", goods.GoodsSearchView.as_view(), name="goods-search"),
    path(
        "v1/goods/<str:platform>/<str:item_id>/",
        goods.GoodsDetailView.as_view(),
        name="goods-detail",
    ),
    path("v1/freight/estimate/", goods.FreightEstimateView.as_view(), name="freight-estimate"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:api-schema"), name="api-docs"),
    re_path(r"^", not_found),
]
