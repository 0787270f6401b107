"""Purchase orders: the list, one order, the exceptions queue and bulk actions."""

from django.urls import path

from purchasing.views.orders import actions, adoption, bulk, detail, listing, parked, work

app_name = "orders"

urlpatterns = [
    path("", listing.index, name="index"),
    path("exceptions/", listing.exceptions, name="exceptions"),
    path("exceptions/messages/<int:pk>/retry/", parked.retry_message, name="retry_message"),
    path("bulk/", bulk.bulk, name="bulk"),
    path("bulk/done/", bulk.bulk_done, name="bulk_done"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/status/", detail.status, name="status"),
    path("<int:pk>/logistics/", detail.logistics, name="logistics"),
    path("<int:pk>/im/", detail.im, name="im"),
    path("<int:pk>/refresh/", actions.refresh, name="refresh"),
    path("<int:pk>/receipt/", actions.receipt, name="receipt"),
    path("<int:pk>/warehouse/", actions.warehouse, name="warehouse"),
    path("<int:pk>/voucher/", actions.voucher, name="voucher"),
    path("<int:pk>/vouchers/<int:voucher_pk>/", actions.voucher_file, name="voucher_file"),
    path("<int:pk>/attention/clear/", actions.clear_attention, name="clear_attention"),
    path("<int:pk>/claim/", work.claim, name="claim"),
    path("<int:pk>/assign/", work.assign, name="assign"),
    path("<int:pk>/release/", work.release, name="release"),
    path("<int:pk>/wait-reason/", work.wait_reason, name="wait_reason"),
    path("<int:pk>/lookup/adopt/", adoption.adopt, name="adopt_candidate"),
    path("<int:pk>/lookup/none-ours/", adoption.none_ours, name="none_ours"),
    path("<int:pk>/lookup/confirm/", adoption.confirm_match, name="confirm_match"),
]
