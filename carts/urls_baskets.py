from django.urls import path

from carts import views_baskets as views

app_name = "baskets"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.show, name="show"),
    path("add/", views.add, name="add"),
    path("share/", views.share, name="share"),
    path("order/", views.order, name="order"),
    path("lines/<int:pk>/", views.line_change, name="line_change"),
    path("lines/<int:pk>/remove/", views.line_remove, name="line_remove"),
]
