"""A person signing in to the staff site, in a real browser."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_purchaser_signs_in_and_sees_the_dashboard(page, live_server, staff_user, sign_in):
    user = staff_user("purchaser")

    sign_in(page, user)

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_text(user.username)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Goods")).to_be_visible()
    expect(nav.get_by_role("link", name="Reports")).to_have_count(0)


def test_wrong_password_shows_an_error_and_no_session(page, live_server, staff_user, sign_in):
    user = staff_user("purchaser")

    sign_in(page, user, password="not-the-password")

    expect(page.get_by_test_id("login-error")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/login/")
    assert Session.objects.count() == 0
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]


def test_signing_out_returns_to_login(page, live_server, staff_user, sign_in):
    sign_in(page, staff_user("finance"))

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/orders/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/orders/")


def test_phone_layout_fits_and_menu_opens(phone_page, live_server, staff_user, sign_in):
    page = phone_page
    sign_in(page, staff_user("approver"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    # The menu button works once the page's deferred scripts have run; the heading shows
    # before that, and a tap then would be lost.
    page.wait_for_load_state("load")

    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Reports")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
