from django.urls import path

from purchasing.callbacks import views

app_name = "callbacks"

urlpatterns = [
    path("pandapon/", views.pandapon, name="pandapon"),
    path("dajisaas/", views.dajisaas, name="dajisaas"),
]
