"""The approval rules, kept here by admins: amounts typed and shown in yuan, stored in fen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from purchasing.admin.money import YuanAdminMixin, YuanField
from purchasing.models import ApprovalRule, OrderApproval
from purchasing.money import format_cny

# Which form field each kind needs; the others are cleared on save.
NEEDS = {
    ApprovalRule.Kind.AMOUNT: "from_total",
    ApprovalRule.Kind.MARGIN: "margin_floor",
    ApprovalRule.Kind.NEW_SELLER: "seller_days",
}
YUAN = {"from_total": "min_total_fen", "margin_floor": "margin_floor_fen"}


class ApprovalRuleForm(forms.ModelForm):
    from_total = YuanField(
        required=False,
        label=_("From total (¥)"),
        help_text=_("Amount band: orders of this total or more need the approvals below."),
    )
    margin_floor = YuanField(
        required=False,
        min_value=None,  # a floor below zero: a loss up to that much passes
        label=_("Margin floor (¥)"),
        help_text=_(
            "Storefront orders whose margin (what the customer paid minus the landed cost) is "
            "below this need the approvals below."
        ),
    )

    class Meta:
        model = ApprovalRule
        fields = ("name", "kind", "active", "seller_days", "approvals_needed")
        help_texts = {
            "seller_days": _(
                "New seller: an order from a seller nobody paid before this many days ago."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, column in YUAN.items():
            self.initial.setdefault(name, getattr(self.instance, column))
        self.fields["approvals_needed"].min_value = 1
        self.fields["approvals_needed"].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        needed = NEEDS.get(kind)
        if needed and data.get(needed) in (None, ""):
            self.add_error(needed, _("This kind of rule needs this value."))
        if kind == ApprovalRule.Kind.NEW_SELLER and (data.get("seller_days") or 0) < 1:
            self.add_error("seller_days", _("At least one day."))
        if (data.get("approvals_needed") or 0) < 1:
            self.add_error("approvals_needed", _("At least one approval."))
        return data

    def save(self, commit: bool = True) -> ApprovalRule:
        kind = self.cleaned_data["kind"]
        rule = self.instance
        for name, column in YUAN.items():
            fen = self.cleaned_data.get(name)
            setattr(rule, column, fen if NEEDS[kind] == name else None)
        if kind != ApprovalRule.Kind.NEW_SELLER:
            rule.seller_days = None
        return super().save(commit=commit)


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(YuanAdminMixin, admin.ModelAdmin):
    form = ApprovalRuleForm
    fields = (
        "name",
        "kind",
        "active",
        "from_total",
        "margin_floor",
        "seller_days",
        "approvals_needed",
    )
    list_display = ("name", "kind", "active", "condition", "approvals_needed")
    list_filter = ("kind", "active")

    @admin.display(description=pgettext_lazy("a rule's condition", "When"))
    def condition(self, rule: ApprovalRule) -> str:
        if rule.kind == ApprovalRule.Kind.AMOUNT:
            return _("total %(amount)s or more") % {"amount": format_cny(rule.min_total_fen)}
        if rule.kind == ApprovalRule.Kind.MARGIN:
            return _("margin below %(amount)s") % {"amount": format_cny(rule.margin_floor_fen)}
        return _("seller first bought from within %(days)s days") % {"days": rule.seller_days}


@admin.register(OrderApproval)
class OrderApprovalAdmin(admin.ModelAdmin):
    """Approvals given: seen here, written only by the approval service."""

    list_display = ("order", "approver", "created_at", "comment")
    list_select_related = ("order", "approver")
    search_fields = ("order__reference", "approver__username")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
