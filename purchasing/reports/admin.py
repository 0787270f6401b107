from django.contrib import admin

from purchasing.reports.models import ExportFile


@admin.register(ExportFile)
class ExportFileAdmin(admin.ModelAdmin):
    """The export log: read-only, like any log."""

    list_display = ("pk", "created_at", "created_by", "report", "format", "mode", "status",
                    "rows_total")  # fmt: skip
    list_filter = ("report", "format", "mode", "status")
    list_select_related = ("created_by",)
    readonly_fields = [field.name for field in ExportFile._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
