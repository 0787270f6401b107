from django.urls import path

from purchasing.views import goods as views

app_name = "goods"

urlpatterns = [
    path("", views.index, name="index"),
    path("lists/", views.lists, name="lists"),
    path("<str:platform>/<str:item_id>/", views.item, name="item"),
    path("<str:platform>/<str:item_id>/landed-cost/", views.landed_cost, name="landed_cost"),
]
