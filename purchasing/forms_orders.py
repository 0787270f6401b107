"""Forms of the order pages: the list's filters, bulk actions, and the order page's actions."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from purchasing.forms_input import as_ids
from purchasing.models import Platform
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.voucher import MAX_BYTES, check_voucher
from purchasing.statuses import OrderStatus

ATTENTION_CHOICES = [
    ("", _("Any")),
    ("yes", _("Needs attention")),
    ("no", _("No attention needed")),
]
BULK_ACTIONS = {
    # action -> (permission, button label)
    "submit": ("purchasing.submit_order", _("Submit")),
    "pay": ("purchasing.pay_order", _("Pay")),
    "cancel": ("purchasing.create_order", _("Cancel")),
}


class OrderFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search by what was bought or any id"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Title word, shop, item or SKU id, colour or size, reference"),
            }
        ),
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *OrderStatus.choices], required=False
    )
    platform = forms.ChoiceField(
        choices=[("", _("Any platform")), *Platform.choices], required=False
    )
    seller = forms.CharField(label=_("Seller"), required=False, max_length=100)
    purchaser = forms.ModelChoiceField(
        label=_("Created by"),
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        required=False,
        empty_label=_("Anyone"),
    )
    date_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attention = forms.ChoiceField(label=_("Attention"), choices=ATTENTION_CHOICES, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchaser"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            # Reported on the end date, which is then left out of the filter.
            self.add_error("date_to", gettext("The start date is after the end date."))
        return data


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in BULK_ACTIONS])
    # The ticked ids; the view loads only orders that exist.
    orders = forms.Field(widget=forms.MultipleHiddenInput, required=False)
    confirmed = forms.BooleanField(required=False)
    reason = forms.CharField(
        label=_("Reason (kept on each order's timeline)"), required=False, max_length=500
    )

    def clean_orders(self) -> list[int]:
        raw = self.cleaned_data["orders"] or []
        if isinstance(raw, str):
            raw = [raw]
        ids = as_ids(raw)
        if len(ids) != len(raw):
            raise ValidationError(gettext("Tick orders from the list."))
        if not ids:
            raise ValidationError(gettext("Tick at least one order."))
        if len(ids) > 200:
            raise ValidationError(gettext("Choose at most 200 orders at a time."))
        return sorted(set(ids))


class ClearAttentionForm(forms.Form):
    comment = forms.CharField(
        label=_("What was done about it"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what was done about it before clearing.")},
    )
    accept_total = forms.BooleanField(label=_("Accept the upstream's new total"), required=False)


class WarehouseForm(forms.Form):
    warehouse_name = forms.CharField(label=_("Warehouse name"), max_length=100)
    warehouse_address = forms.CharField(
        label=_("Warehouse address"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class VoucherForm(forms.Form):
    voucher = forms.FileField(
        label=_("An image or a PDF, at most 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def clean_voucher(self):
        upload = self.cleaned_data["voucher"]
        if upload.size > MAX_BYTES:
            size = upload.size / (1024 * 1024)
            raise ValidationError(
                gettext("A voucher may be at most 5 MB; this file is %(size).1f MB.")
                % {"size": size}
            )
        content = upload.read()
        try:
            check_voucher(content)  # the service checks again and sends what this made of it
        except OrderError as exc:
            raise ValidationError(str(exc)[:1].upper() + str(exc)[1:] + ".") from exc
        self.content = content
        return upload
