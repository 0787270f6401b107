from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from purchasing.models import ExchangeRate, StaffProfile


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
