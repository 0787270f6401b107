"""Every staff page of the skeleton against every role and against anonymous visitors."""

import pytest
from django.test import Client

# page -> roles that may open it (everybody else signed in gets 403)
ALLOWED = {
    "/dashboard/": {"purchaser", "approver", "finance", "admin", ""},
    "/goods/": {"purchaser", "approver", "admin"},
    "/carts/": {"purchaser", "approver", "admin"},
    "/orders/": {"purchaser", "approver", "finance", "admin"},
    "/aftersales/": {"purchaser", "approver", "admin"},
    "/logistics/": {"purchaser", "approver", "admin"},
    "/reports/": {"approver", "finance", "admin"},
}
ROLES = ["purchaser", "approver", "finance", "admin", ""]
PAGES = list(ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_login(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={page}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_page_answers_by_role(staff_user, page, role):
    client = Client()
    client.force_login(staff_user(role))

    response = client.get(page)

    assert response.status_code == (200 if role in ALLOWED[page] else 403)


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_open(client_as):
    html = client_as("finance").get("/dashboard/").content.decode()
    assert 'href="/reports/"' in html
    assert 'href="/orders/"' in html
    assert 'href="/carts/"' not in html
    assert 'href="/goods/"' not in html


@pytest.mark.django_db
def test_root_redirects_to_dashboard(client_as):
    response = client_as("purchaser").get("/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


@pytest.mark.django_db
def test_empty_state_is_shown_when_there_is_nothing(client_as):
    html = client_as("purchaser").get("/orders/").content.decode()
    assert "No purchase orders yet." in html
