from django.urls import path

from logistics import views

app_name = "logistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/<int:pk>/", views.addresses, name="address_edit"),
    path("addresses/<int:pk>/default/", views.address_default, name="address_default"),
    path("addresses/pull/", views.addresses_pull_view, name="addresses_pull"),
    path("freight/", views.freight, name="freight"),
    path("warehouse/", views.warehouse, name="warehouse"),
    path("warehouse/arrivals/", views.arrivals_refresh, name="arrivals_refresh"),
    path("warehouse/arrivals/<slug:job>/", views.arrivals_status, name="arrivals_status"),
    path("lines/<int:pk>/domestic/", views.line_domestic, name="line_domestic"),
    path("parcels/new/", views.parcel_new, name="parcel_new"),
    path("parcels/<int:pk>/", views.parcel, name="parcel"),
    path("parcels/<int:pk>/book/", views.parcel_book_view, name="parcel_book"),
    path("parcels/<int:pk>/refresh/", views.parcel_refresh_view, name="parcel_refresh"),
    path("parcels/<int:pk>/cancel/", views.parcel_cancel_view, name="parcel_cancel"),
]
