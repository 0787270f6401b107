"""Staff users (with their Caigou profile), exchange rates and the local goods cache."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purchasing.admin.money import YuanAdminMixin, YuanField
from purchasing.models import ExchangeRate, Product, Sku, StaffProfile


class StaffProfileForm(forms.ModelForm):
    """The order limit typed and shown in yuan; stored in fen, as all money is."""

    order_limit = YuanField(
        required=False,
        min_value=Decimal("0.01"),
        label=gettext_lazy("Order limit (¥)"),
        help_text=gettext_lazy(
            "Orders above this total wait for an approver. Empty: the site's threshold."
        ),
    )

    class Meta:
        model = StaffProfile
        fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["order_limit"] = self.instance.order_limit_fen

    def save(self, commit: bool = True) -> StaffProfile:
        self.instance.order_limit_fen = self.cleaned_data.get("order_limit")
        return super().save(commit=commit)


class StaffProfileInline(YuanAdminMixin, admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    fields = ("order_limit",)
    can_delete = False
    verbose_name_plural = gettext_lazy("Caigou profile")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")


class ExchangeRateForm(forms.ModelForm):
    """A new rate, refused when it jumps past the sanity band from the rate in force unless the
    admin ticks the confirmation: a slipped digit would misprice every converted amount."""

    confirm_band = forms.BooleanField(
        required=False,
        label=gettext_lazy("The rate really moved this much"),
        help_text=gettext_lazy(
            "Tick only when the new rate is right although it is far from the current one."
        ),
    )

    class Meta:
        model = ExchangeRate
        fields = ("currency", "cny_per_unit", "set_on", "note")

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("Three letters, the ISO 4217 code: USD, EUR, GBP."))
        return currency

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        currency, value = data.get("currency"), data.get("cny_per_unit")
        if not currency or value is None or value <= 0 or data.get("confirm_band"):
            return data
        previous = ExchangeRate.latest(currency)
        if previous is None:
            return data
        band = settings.CAIGOU_RATE_BAND_PERCENT
        new = ExchangeRate(currency=currency, cny_per_unit=value)
        if new.departure_percent(previous) > band:
            raise forms.ValidationError(
                _(
                    "%(new)s is more than %(band)s%% away from the rate in force, %(old)s "
                    "(set %(date)s). Check the number; if it is right, tick “The rate really "
                    "moved this much” and save again."
                )
                % {
                    "new": new.text,
                    "band": band,
                    "old": previous.text,
                    "date": f"{previous.set_on:%Y-%m-%d}",
                }
            )
        return data


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Rates are added, never edited: the history says which rate a conversion used. Only the
    admin role reaches the admin, and only it holds the permission to add one."""

    form = ExchangeRateForm
    list_display = ("currency", "cny_per_unit", "set_on", "set_by", "note")
    list_filter = ("currency",)
    search_fields = ("currency", "note")
    readonly_fields = ("set_by",)
    date_hierarchy = "set_on"

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


class SkuInline(YuanAdminMixin, admin.TabularInline):
    model = Sku
    extra = 0
    fields = ("sku_id", "spec_id", "mp_sku_id", "properties", "price_fen", "stock", "available")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(YuanAdminMixin, admin.ModelAdmin):
    """The local product cache. Rows are written by the goods service from the upstream; edit
    them here only to correct a mistake, as the next refresh overwrites them."""

    list_display = (
        "item_id",
        "platform",
        "title",
        "shop_name",
        "price_fen",
        "min_order_quantity",
        "fetched_at",
    )
    list_filter = ("platform",)
    search_fields = ("item_id", "title", "title_en", "shop_name", "shop_id", "mp_id")
    date_hierarchy = "fetched_at"
    readonly_fields = ("fetched_at",)
    inlines = [SkuInline]


@admin.register(Sku)
class SkuAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("sku_id", "product", "price_fen", "stock", "available")
    list_filter = ("available", "product__platform")
    search_fields = (
        "sku_id",
        "spec_id",
        "mp_sku_id",
        "product__item_id",
        "product__title",
        "product__shop_name",
    )
    list_select_related = ("product",)
    raw_id_fields = ("product",)
