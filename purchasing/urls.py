from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard", permanent=False)),
    path("orders/", include("purchasing.urls_orders")),
    path("checkout/", include("purchasing.urls_checkout")),
]
