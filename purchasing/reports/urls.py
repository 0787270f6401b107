from django.urls import path

from purchasing.reports import views
from purchasing.reports.views import exports

app_name = "reports"

urlpatterns = [
    path("", views.reports_index, name="index"),
    path("charts/<slug:name>.json", views.chart, name="chart"),
    path("export/", exports.export, name="export"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", exports.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
