import pytest
from django.contrib.sessions.models import Session

from tests.purchasing.factories import PASSWORD


@pytest.mark.django_db
def test_right_password_signs_in_and_lands_on_dashboard(client, staff_user):
    user = staff_user("purchaser")

    response = client.post("/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_creates_no_session(client, staff_user):
    user = staff_user("purchaser")

    response = client.post("/login/", {"username": user.username, "password": "wrong"})

    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(client_as):
    client = client_as("purchaser")
    assert client.get("/logout/").status_code == 405

    response = client.post("/logout/")

    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 302
