from django.urls import re_path

from upstream.sandbox import router

app_name = "sandbox"

urlpatterns = [
    re_path(r"^(?P<provider>pandapon|dajisaas)/(?P<path>.+)$", router.dispatch, name="dispatch"),
]
