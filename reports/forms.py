"""The reports page's filter form: one class for the table on screen and for its exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from purchasing.models import Platform, PurchaseOrder
from reports.exports.base import Report
from reports.exports.reports import REPORTS

FILTER_FIELDS = (
    "report",
    "date_from",
    "date_to",
    "platform",
    "status",
    "seller",
    "purchaser",
    "storefront",
)


class ReportFilterForm(forms.Form):
    report = forms.ChoiceField(
        label=gettext_lazy("Report"),
        choices=[(slug, report.title) for slug, report in REPORTS.items()],
        initial="orders",
    )
    date_from = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    platform = forms.ChoiceField(
        label=gettext_lazy("Platform"),
        choices=[("", gettext_lazy("Any platform")), *Platform.choices],
        required=False,
    )
    status = forms.ChoiceField(choices=[("", gettext_lazy("Any status"))], required=False)
    seller = forms.CharField(label=gettext_lazy("Seller"), required=False, max_length=100)
    purchaser = forms.ModelChoiceField(
        label=gettext_lazy("Purchaser"),
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        required=False,
        empty_label=gettext_lazy("Anyone"),
    )
    storefront = forms.ChoiceField(label=gettext_lazy("Storefront"), choices=(), required=False)

    def __init__(self, data: QueryDict | dict | None = None, **kwargs: Any) -> None:
        data = _with_report(data)
        super().__init__(data, **kwargs)
        self.fields["purchaser"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )
        self.fields["storefront"].choices = [("", _("Any (or none)")), *_storefront_choices()]
        self.fields["status"].choices = [("", _("Any status")), *self.chosen.status_choices]
        self.fields["status"].label = self.chosen.status_label

    @property
    def chosen(self) -> Report:
        return REPORTS.get(self.data.get("report"), REPORTS["orders"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """The cleaned filters, or {} when any is invalid (the page then says which)."""
        return self.cleaned_data if self.is_valid() else {}

    def as_stored(self) -> dict[str, str]:
        """The filters as the person entered them, to log and to run again in a task."""
        return {name: str(self.data.get(name)) for name in FILTER_FIELDS if self.data.get(name)}


def report_title(slug: str) -> str:
    """A report's name in words; an export of a report no longer offered keeps its slug."""
    report = REPORTS.get(slug)
    return str(report.title) if report else slug


def described_filters(stored: dict[str, str]) -> list[tuple[str, str]]:
    """An export's stored filters as (label, value) in words, in the form's order: "Status:
    Paid", never "status = paid". A value the form no longer offers shows as it was stored."""
    form = ReportFilterForm(stored)
    described = []
    for name in FILTER_FIELDS[1:]:
        value = stored.get(name)
        if not value:
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", ()) or ())
        described.append((str(field.label), str(choices.get(value, value))))
    return described


def _with_report(data: QueryDict | dict | None) -> dict[str, str]:
    """The submitted filters with a report always chosen, so an empty page shows orders."""
    chosen = {name: data.get(name, "") for name in FILTER_FIELDS} if data else {}
    if chosen.get("report") not in REPORTS:
        chosen["report"] = "orders"
    return chosen


def _storefront_choices() -> list[tuple[str, str]]:
    """The storefronts whose customers purchase orders were made for, read through the orders
    (reports sits beside the storefront app, not above it)."""
    names = (
        PurchaseOrder.objects.filter(customer_orders__isnull=False)
        .values_list("customer_orders__storefront__name", flat=True)
        .distinct()
        .order_by("customer_orders__storefront__name")
    )
    return [(name, name) for name in names]
