from django.urls import path

from aftersales import downloads, views, views_open, work_views

app_name = "aftersales"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/<int:order_pk>/", views_open.open_case, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/lookup/", views.lookup, name="lookup"),
    path("<int:pk>/message/", views.message, name="message"),
    path("<int:pk>/modify/", views.modify, name="modify"),
    path("<int:pk>/return/", views.send_return, name="return"),
    path("<int:pk>/claim/", work_views.claim, name="claim"),
    path("<int:pk>/assign/", work_views.assign, name="assign"),
    path("<int:pk>/release/", work_views.release, name="release"),
    path("<int:pk>/pack/", views.attach_pack, name="pack"),
    path("<int:pk>/evidence/<int:evidence_pk>/", downloads.evidence, name="evidence"),
]
