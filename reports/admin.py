from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports.models import ExportFile


@admin.register(ExportFile)
class ExportFileAdmin(admin.ModelAdmin):
    """The export log: read-only, like any log."""

    list_display = (
        "pk",
        "created_at",
        "created_by",
        "report",
        "format",
        "mode",
        "status",
        "rows_total",
    )
    list_filter = ("report", "format", "mode", "status")
    list_select_related = ("created_by",)
    # The file is shown as a link to the download view, which checks the user; its stored name
    # (and the storage's own URL) stays out of the page.
    exclude = ("file",)
    readonly_fields = [f.name for f in ExportFile._meta.fields if f.name != "file"] + ["download"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("File"))
    def download(self, obj: ExportFile) -> str:
        if obj.status != ExportFile.Status.DONE or not obj.file:
            return "-"
        url = reverse("reports:export_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename)
