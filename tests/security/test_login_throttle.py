"""Login throttling: wrong passwords for one username from one address lock that pair for a
cool-off, with a readable page; an admin can unlock it; another address is not locked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.purchasing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client: Client, username: str, times: int, ip: str = "203.0.113.7") -> None:
    for _ in range(times):
        response = post_login(client, username, "wrong", ip)
        assert response.status_code in (200, 429)


def test_failures_below_the_limit_show_the_usual_error(client, staff_user, settings):
    user = staff_user("purchaser")
    fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)

    response = post_login(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert Session.objects.count() == 1
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_the_limit_locks_the_account_from_that_address_even_with_the_right_password(
    client, staff_user, settings
):
    user = staff_user("purchaser")
    fail(client, user.username, settings.AXES_FAILURE_LIMIT)

    response = post_login(client, user.username, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page and user.username in page
    assert "Try again within 15 minutes" in page
    assert "Traceback" not in page
    assert Session.objects.count() == 0


def test_another_address_and_another_user_are_not_locked(client, staff_user, settings):
    user, colleague = staff_user("purchaser"), staff_user("approver")
    fail(client, user.username, settings.AXES_FAILURE_LIMIT)

    elsewhere = post_login(Client(), user.username, PASSWORD, ip="198.51.100.9")
    colleague_here = post_login(Client(), colleague.username, PASSWORD)

    assert (elsewhere.status_code, colleague_here.status_code) == (302, 302)


def test_the_lock_lifts_after_the_cool_off(client, staff_user, settings):
    user = staff_user("purchaser")
    fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_an_admin_unlocks_from_the_admin(client, staff_user, settings):
    user = staff_user("purchaser")
    fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username=user.username)
    admin = staff_user("admin", is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin)

    listing = admin_client.get("/admin/axes/accessattempt/")
    deleted = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert listing.status_code == 200 and user.username in listing.content.decode()
    assert deleted.status_code == 302
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, staff_user, settings):
    admin = staff_user("admin", is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": admin.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
        )

    response = client.post(
        "/admin/login/",
        {"username": admin.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 429


def test_the_locked_out_page_is_under_the_content_security_policy(client, staff_user, settings):
    user = staff_user("purchaser")
    fail(client, user.username, settings.AXES_FAILURE_LIMIT)

    response = post_login(client, user.username, PASSWORD)

    assert "style=" not in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_a_spoofed_forwarded_for_does_not_escape_the_lock(client, staff_user, settings):
    user = staff_user("purchaser")
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(
            "/login/",
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    response = client.post(
        "/login/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_a_trusted_proxy_the_client_it_names_is_locked_not_the_proxy(
    client, staff_user, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    user = staff_user("purchaser")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/login/",
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7",
        )

    same_client = post_login(client, user.username, PASSWORD, ip="10.0.0.2")
    other_client = Client().post(
        "/login/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )

    through_the_proxy = Client().post(
        "/login/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert through_the_proxy.status_code == 429
    assert same_client.status_code == 302  # the proxy's own address is not the one locked
    assert other_client.status_code == 302
