from django.urls import path

from purchasing import views

app_name = "goods"

urlpatterns = [
    path("", views.goods_index, name="index"),
]
