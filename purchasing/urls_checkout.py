"""From a cart selection to an order: preview, confirm, approval and payment pages."""

from django.urls import path

from purchasing.views import checkout

app_name = "checkout"

urlpatterns = [
    path("from-cart/", checkout.from_cart, name="from_cart"),
    path("new/", checkout.new, name="new"),
    path("<int:pk>/preview/", checkout.preview, name="preview"),
    path("<int:pk>/preview-again/", checkout.repreview, name="repreview"),
    path("<int:pk>/status/", checkout.status, name="status"),
    path("<int:pk>/confirm/", checkout.confirm, name="confirm"),
    path("approvals/", checkout.approvals, name="approvals"),
    path("<int:pk>/approve/", checkout.approve, name="approve"),
    path("pay/", checkout.pay, name="pay"),
    path("pay/confirm/", checkout.pay_confirm, name="pay_confirm"),
    path("pay/result/", checkout.pay_result, name="pay_result"),
]
