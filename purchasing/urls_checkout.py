"""From a cart selection to an order: preview, confirm, approval and payment pages."""

from django.urls import path

from purchasing.views.checkout import approvals, confirm, payment, preview

app_name = "checkout"

urlpatterns = [
    path("from-cart/", preview.from_cart, name="from_cart"),
    path("new/", preview.new, name="new"),
    path("<int:pk>/preview/", preview.preview, name="preview"),
    path("<int:pk>/preview-again/", preview.repreview, name="repreview"),
    path("<int:pk>/status/", preview.status, name="status"),
    path("<int:pk>/confirm/", confirm.confirm, name="confirm"),
    path("<int:pk>/note/", preview.note, name="note"),
    path("<int:pk>/split/", preview.split, name="split"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("<int:pk>/approve/", approvals.approve, name="approve"),
    path("pay/", payment.pay, name="pay"),
    path("pay/confirm/", payment.pay_confirm, name="pay_confirm"),
    path("pay/result/", payment.pay_result, name="pay_result"),
]
