"""The whole request body is capped (CAIGOU_MAX_UPLOAD_BYTES) before anything reads it: a staff
upload, a form post or an API call past the cap gets 413 with a message, and nothing is stored."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from storefront.models import ALL_SCOPES, CustomerOrder, Storefront
from tests.config.factories import run_manage
from tests.storefront.api_fixtures import api_for, order_body

pytestmark = pytest.mark.django_db

LIMIT = 1024 * 1024
MESSAGE = "The request is too large: Caigou accepts up to 1 MB at a time."


@pytest.fixture(autouse=True)
def _one_megabyte(settings) -> None:
    settings.CAIGOU_MAX_UPLOAD_BYTES = LIMIT


def test_a_staff_upload_past_the_cap_is_refused_with_a_page(client_as, monkeypatch):
    searched = []
    monkeypatch.setattr("purchasing.views.goods.PictureSearchForm", lambda *a: searched.append(a))
    picture = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * LIMIT, "image/png")

    response = client_as("purchaser").post(
        reverse("goods:index"), {"platform": "taobao", "picture": picture}
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert MESSAGE in page and "Nothing was saved" in page
    assert "Traceback" not in page
    assert searched == []


def test_a_sign_in_post_past_the_cap_signs_nobody_in_and_counts_nothing(staff_user):
    user = staff_user("purchaser")

    response = Client().post("/login/", {"username": user.username, "password": "x" * (LIMIT + 1)})

    assert response.status_code == 413
    assert Session.objects.count() == 0
    assert AccessAttempt.objects.count() == 0


def test_an_api_call_past_the_cap_gets_the_api_error_shape_and_stores_no_order():
    api = api_for(Storefront.objects.create(name="Shop", scopes=list(ALL_SCOPES)))
    body = order_body(lines=[{**order_body()["lines"][0], "note": "n" * LIMIT}])

    response = api.post("orders/", body)

    assert response.status_code == 413
    error = json.loads(response.content)["error"]
    assert error["code"] == "payload_too_large" and error["message"] == MESSAGE
    assert CustomerOrder.objects.count() == 0


def test_a_post_under_the_cap_goes_through(staff_user):
    user = staff_user("purchaser")

    response = Client().post("/login/", {"username": user.username, "password": "wrong"})

    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 1


def test_the_limits_come_from_the_environment():
    shown = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.CAIGOU_MAX_UPLOAD_BYTES,"
        " s.DATA_UPLOAD_MAX_MEMORY_SIZE, s.FILE_UPLOAD_MAX_MEMORY_SIZE)",
        CAIGOU_MAX_UPLOAD_BYTES="5000000",
        DATA_UPLOAD_MAX_MEMORY_SIZE="400000",
        FILE_UPLOAD_MAX_MEMORY_SIZE="300000",
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[-3:] == ["5000000", "400000", "300000"]
