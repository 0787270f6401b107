from django.urls import path

from purchasing.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.reports_index, name="index"),
]
