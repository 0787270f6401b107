from django.urls import path

from reports import views
from reports.views import exports, work

app_name = "reports"

urlpatterns = [
    path("", views.reports_index, name="index"),
    path("charts/<slug:name>.json", views.chart, name="chart"),
    path("wait-reasons/", work.wait_reasons_report, name="wait_reasons"),
    path("export/", exports.export, name="export"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", exports.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
