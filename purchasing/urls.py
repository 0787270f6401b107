from django.urls import include, path
from django.views.generic import RedirectView

from purchasing import views

orders = ([path("", views.orders_index, name="index")], "orders")
reports = ([path("", views.reports_index, name="index")], "reports")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard", permanent=False)),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("orders/", include(orders)),
    path("reports/", include(reports)),
]
