"""Purchase orders: the list, one order, the exceptions queue and bulk actions."""

from django.urls import path

from purchasing.views import orders

app_name = "orders"

urlpatterns = [
    path("", orders.index, name="index"),
    path("exceptions/", orders.exceptions, name="exceptions"),
    path("bulk/", orders.bulk, name="bulk"),
    path("bulk/done/", orders.bulk_done, name="bulk_done"),
    path("<int:pk>/", orders.detail, name="detail"),
    path("<int:pk>/status/", orders.status, name="status"),
    path("<int:pk>/logistics/", orders.logistics, name="logistics"),
    path("<int:pk>/im/", orders.im, name="im"),
    path("<int:pk>/refresh/", orders.refresh, name="refresh"),
    path("<int:pk>/receipt/", orders.receipt, name="receipt"),
    path("<int:pk>/warehouse/", orders.warehouse, name="warehouse"),
    path("<int:pk>/voucher/", orders.voucher, name="voucher"),
    path("<int:pk>/attention/clear/", orders.clear_attention, name="clear_attention"),
]
