"""The staff site's language: the browser's by default, a person's choice kept on their account
(across browsers and sign-ins), the sign-in page following a cookie, and a refusal for anything
but the two languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from backoffice.models import LanguageChoice
from tests.purchasing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def spoken(response) -> str:
    return response.headers["Content-Language"]


def test_the_browser_language_decides_until_a_person_chooses(client_as):
    client = client_as("purchaser")
    assert spoken(client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")) == "zh-hans"
    assert spoken(client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en-GB")) == "en"
    assert spoken(client.get("/dashboard/")) == "en"


def test_a_choice_is_kept_on_the_account_and_follows_the_person_to_another_browser(staff_user):
    user = staff_user("purchaser")
    first = Client()
    assert first.post("/login/", {"username": user.username, "password": PASSWORD}).status_code
    response = first.post("/language/", {"language": "zh-hans", "next": "/orders/?q=杯"})
    assert response.status_code == 302 and response.url == "/orders/?q=%E6%9D%AF"
    assert LanguageChoice.objects.get(user=user).language == "zh-hans"
    assert spoken(first.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"

    other = Client()  # another browser, English by its own settings
    other.post("/login/", {"username": user.username, "password": PASSWORD})
    assert spoken(other.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"

    other.post("/language/", {"language": "en", "next": "/dashboard/"})
    assert LanguageChoice.objects.get(user=user).language == "en"
    assert spoken(other.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans")) == "en"


def test_the_sign_in_page_follows_the_cookie_of_a_choice_made_before_signing_in(client):
    response = client.post("/language/", {"language": "zh-hans", "next": "/login/"})
    assert response.status_code == 302 and response.url == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert spoken(client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"
    assert not LanguageChoice.objects.exists()


@pytest.mark.parametrize("code", ["", "fr", "zh-hans\x00", "x" * 500])
def test_a_language_other_than_the_two_is_refused_and_nothing_kept(client_as, code):
    client = client_as("finance")
    response = client.post("/language/", {"language": code})
    assert response.status_code == 400 and "简体中文" in response.content.decode()
    assert not LanguageChoice.objects.exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_switch_goes_back_only_to_a_page_of_the_site(client_as, target):
    client = client_as("approver")
    response = client.post("/language/", {"language": "en", "next": target})
    assert response.status_code == 302 and response.url == "/"
    response = client.post("/language/", {"language": "en"}, HTTP_REFERER=target)
    assert response.status_code == 302 and response.url == "/"


def test_without_next_the_switch_goes_back_to_the_page_it_was_pressed_on(client_as):
    client = client_as("purchaser")
    page = "http://testserver/orders/?q=WAIT_BUYER_P"
    response = client.post("/language/", {"language": "zh-hans"}, HTTP_REFERER=page)
    assert response.status_code == 302 and response.url == page
    # The page's query is not copied into the switch's markup on every page.
    html = client.get("/orders/?q=WAIT_BUYER_P").content.decode()
    form = html.split('data-testid="language-switch"')[1].split("</form>")[0]
    assert "WAIT_BUYER_P" not in form


def test_the_switch_needs_a_post(client_as):
    assert client_as("purchaser").get("/language/?language=zh-hans").status_code == 405


@pytest.mark.parametrize("target", ["abc", "/\n/x", "https://evil.example/", "orders"])
def test_a_hostile_next_after_choosing_a_language_goes_home(target):
    response = Client().post("/language/", {"language": "en", "next": target})
    assert response.status_code == 302 and response.url == "/"
