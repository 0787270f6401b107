from django.urls import include, path, re_path

from upstream.sandbox import cashier_page, router, views

app_name = "sandbox"

urlpatterns = [
    # Control API (JSON, for tests and scripts) and the staff console.
    path("_control/reset", views.api_reset, name="control_reset"),
    path("_control/advance", views.api_advance, name="control_advance"),
    path("_control/tick", views.api_tick, name="control_tick"),
    path("_control/price-change", views.api_price_change, name="control_price_change"),
    path("_control/faults", views.api_faults, name="control_faults"),
    path("_control/foreign-orders", views.api_foreign_orders, name="control_foreign_orders"),
    path("_control/protocol-pay", views.api_protocol_pay, name="control_protocol_pay"),
    path("_control/cashier-pay", views.api_cashier_pay, name="control_cashier_pay"),
    path("_control/profile", views.api_profile, name="control_profile"),
    path("_control/ledger", views.api_ledger, name="control_ledger"),
    path("console/", views.console, name="console"),
    path("console/reset", views.console_reset, name="console_reset"),
    path("console/tick", views.console_tick, name="console_tick"),
    path("console/advance", views.console_advance, name="console_advance"),
    path("console/price-change", views.console_price_change, name="console_price_change"),
    path("console/faults", views.console_add_fault, name="console_add_fault"),
    path("console/faults/clear", views.console_clear_faults, name="console_clear_faults"),
    path("console/protocol-pay", views.console_protocol_pay, name="console_protocol_pay"),
    # The cashier a refused password-free payment points to (orders/cashier.py).
    path("cashier/", cashier_page.cashier, name="cashier"),
    # Product pictures (upstream/sandbox/image_urls.py).
    path("images/", include("upstream.sandbox.image_urls")),
    # The providers' own paths: last, it takes everything under pandapon/ and dajisaas/.
    re_path(r"^(?P<provider>pandapon|dajisaas)/(?P<path>.+)$", router.dispatch, name="dispatch"),
]
