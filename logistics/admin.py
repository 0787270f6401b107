from django.contrib import admin

from logistics.models import Address, Parcel, ParcelEvent, ParcelLine, ParcelStatus
from purchasing.admin.money import YuanAdminMixin
from purchasing.admin.orders import ReadOnlyMixin
from purchasing.admin.timeline import TIMELINE_FIELDS, TimelineAdminMixin


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


class ParcelLineInline(ReadOnlyMixin, admin.TabularInline):
    model = ParcelLine
    extra = 0


class ParcelEventInline(TimelineAdminMixin, ReadOnlyMixin, admin.TabularInline):
    model = ParcelEvent
    extra = 0
    fields = (*TIMELINE_FIELDS, "happened_at", "location")  # a tracking step's own time and place
    readonly_fields = fields

    def status_label(self, value: str) -> str:
        return str(dict(ParcelStatus.choices).get(value, value))


@admin.register(Parcel)
class ParcelAdmin(YuanAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """A parcel is made, booked and followed only by its services (the logistics pages): the
    admin shows it, and adds, edits or deletes nothing."""

    list_display = ("reference", "status", "country", "service_name", "tracking_no", "created_at")
    list_filter = ("status", "country")
    search_fields = ("reference", "booking_id", "tracking_no")
    inlines = [ParcelLineInline, ParcelEventInline]
