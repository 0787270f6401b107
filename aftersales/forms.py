"""Forms of the after-sales pages: list filters, the case's actions."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from aftersales.models import CaseStatus, WaitingOn
from purchasing.models import Platform, PurchaseOrder
from purchasing.statuses import OrderStatus
from upstream.types.aftersales import (
    ALIBABA_GOODS_IN_TRANSIT,
    ALIBABA_GOODS_NOT_SHIPPED,
    ALIBABA_GOODS_RECEIVED_AFTER_SALE,
    GOODS_NOT_RECEIVED,
    GOODS_RECEIVED,
)

AGES = [
    ("", _("Any age")),
    ("3", _("Older than 3 days")),
    ("7", _("Older than 7 days")),
    ("14", _("Older than 14 days")),
    ("30", _("Older than 30 days")),
]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *CaseStatus.choices], required=False
    )
    platform = forms.ChoiceField(
        label=_("Platform"), choices=[("", _("Any platform")), *Platform.choices], required=False
    )
    age = forms.ChoiceField(label=_("Age"), choices=AGES, required=False)
    waiting_on = forms.ChoiceField(
        label=_("Waiting on"),
        choices=[("", _("Anyone")), (WaitingOn.US, _("Us")), (WaitingOn.SELLER, _("The seller"))],
        required=False,
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class ModifyForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0.01, max_digits=12, decimal_places=2
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
    )


class ReturnForm(forms.Form):
    """The return's carrier and tracking number. Posted, the carrier is only read as text
    (`companies=None`): the upstream says whether it knows the code."""

    company_code = forms.ChoiceField(label=_("Logistics company"), choices=[])
    tracking_no = forms.CharField(label=_("Tracking number"), max_length=40)

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        if companies is None:
            self.fields["company_code"] = forms.CharField(
                label=_("Logistics company"), max_length=30
            )
            return
        self.fields["company_code"].choices = [("", _("Choose…"))] + [
            (c.code, c.name or c.code) for c in companies
        ]


class OpenCaseForm(forms.Form):
    """The free-text parts of opening a case; lines, kind and amount are read by the view. The
    reason is never preselected: a person says why."""

    reason = forms.CharField(
        max_length=32, error_messages={"required": gettext_lazy("Choose the reason.")}
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=2000)


# Where the goods are, by our order status; an order before these has not been shipped.
SHIPPED_STATES = frozenset({OrderStatus.SHIPPED})
RECEIVED_STATES = frozenset(
    {OrderStatus.AT_WAREHOUSE, OrderStatus.DISPATCHED, OrderStatus.DELIVERED}
)
# The goods status that says so, in each platform's vocabulary (the first one a route offers
# wins). 1688 counts an order at our warehouse as a completed trade ("success"), so received
# goods are received after the trade; Taobao's "not received" also means "not shipped".
GOODS_STATUS_BY_STAGE: dict[str, tuple[str, ...]] = {
    "not_shipped": (ALIBABA_GOODS_NOT_SHIPPED, str(GOODS_NOT_RECEIVED)),
    "shipped": (ALIBABA_GOODS_IN_TRANSIT, str(GOODS_NOT_RECEIVED)),
    "received": (ALIBABA_GOODS_RECEIVED_AFTER_SALE, str(GOODS_RECEIVED)),
}


def goods_stage(order: PurchaseOrder) -> str:
    """Where the order's goods are: "received", "shipped" or "not_shipped"."""
    if order.status in RECEIVED_STATES:
        return "received"
    if order.status in SHIPPED_STATES:
        return "shipped"
    return "not_shipped"


def default_goods_status(order: PurchaseOrder, offered: Sequence[tuple[str, object]]) -> str:
    """The goods status the case form starts with: the one of `offered` (value, label) that
    matches where the order's goods are, "" when the route offers none that does."""
    values = {value for value, _label in offered}
    return next((v for v in GOODS_STATUS_BY_STAGE[goods_stage(order)] if v in values), "")
