"""Staff users (with their Caigou profile), exchange rates and the local goods cache."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from purchasing.models import ExchangeRate, Product, Sku, StaffProfile


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    verbose_name_plural = "Caigou profile"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Rates are added, never edited: the history says which rate a conversion used."""

    list_display = ("currency", "cny_per_unit", "set_on", "set_by", "note")
    list_filter = ("currency",)
    search_fields = ("currency", "note")
    readonly_fields = ("set_by",)
    date_hierarchy = "set_on"

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        obj.currency = obj.currency.upper()
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


class SkuInline(admin.TabularInline):
    model = Sku
    extra = 0
    fields = ("sku_id", "spec_id", "mp_sku_id", "properties", "price_fen", "stock", "available")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
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
class SkuAdmin(admin.ModelAdmin):
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
