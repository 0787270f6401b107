"""Forms of the after-sales pages: list filters, the case's actions."""

from __future__ import annotations

from django import forms

from aftersales.models import CaseStatus, WaitingOn
from purchasing.models import Platform

AGES = [
    ("", "Any age"),
    ("3", "Older than 3 days"),
    ("7", "Older than 7 days"),
    ("14", "Older than 14 days"),
    ("30", "Older than 30 days"),
]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *CaseStatus.choices], required=False)
    platform = forms.ChoiceField(choices=[("", "Any platform"), *Platform.choices], required=False)
    age = forms.ChoiceField(choices=AGES, required=False)
    waiting_on = forms.ChoiceField(
        label="Waiting on",
        choices=[("", "Anyone"), (WaitingOn.US, "Us"), (WaitingOn.SELLER, "The seller")],
        required=False,
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class ModifyForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (yuan)", min_value=0.01, max_digits=12, decimal_places=2
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=500
    )


class ReturnForm(forms.Form):
    """The return's carrier and tracking number. Posted, the carrier is only read as text
    (`companies=None`): the upstream says whether it knows the code."""

    company_code = forms.ChoiceField(label="Logistics company", choices=[])
    tracking_no = forms.CharField(label="Tracking number", max_length=40)

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        if companies is None:
            self.fields["company_code"] = forms.CharField(label="Logistics company", max_length=30)
            return
        self.fields["company_code"].choices = [("", "Choose…")] + [
            (c.code, c.name or c.code) for c in companies
        ]


class OpenCaseForm(forms.Form):
    """The free-text parts of opening a case; lines, kind and amount are read by the view."""

    reason = forms.CharField(required=False, max_length=32)
    description = forms.CharField(required=False, max_length=2000)
