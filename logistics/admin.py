from django.contrib import admin

from logistics.models import Address, Parcel, ParcelEvent, ParcelLine
from purchasing.admin.money import YuanAdminMixin


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "country",
        "city",
        "is_default_warehouse",
        "upstream_address_id",
    )
    list_filter = ("kind", "country", "is_default_warehouse")
    search_fields = ("name", "phone", "city", "address", "upstream_address_id")


class ParcelLineInline(admin.TabularInline):
    model = ParcelLine
    raw_id_fields = ("line",)
    extra = 0


class ParcelEventInline(admin.TabularInline):
    model = ParcelEvent
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ParcelEvent._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Parcel)
class ParcelAdmin(YuanAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "status", "country", "service_name", "tracking_no", "created_at")
    list_filter = ("status", "country")
    search_fields = ("reference", "booking_id", "tracking_no")
    raw_id_fields = ("address",)
    readonly_fields = (
        "reference",
        "booking_id",
        "booking_in_doubt",
        "booking_lease_until",
        "status",
    )
    inlines = [ParcelLineInline, ParcelEventInline]
