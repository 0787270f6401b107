from django.urls import path

from carts import views

app_name = "carts"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("quantity/", views.quantity, name="quantity"),
    path("remove/", views.remove, name="remove"),
    path("selection/", views.selection, name="selection"),
]
