"""Only approvers, finance and admins see reports and export; purchasers are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import ExportFile

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "reports:index", {}),
    ("get", "reports:chart", {"name": "spend-per-day"}),
    ("post", "reports:export", {}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), PAGES)
def test_purchaser_is_refused(client_as, method, name, kwargs):
    client = client_as("purchaser")
    response = getattr(client, method)(reverse(name, kwargs=kwargs), {"format": "csv"})
    assert response.status_code == 403
    assert not ExportFile.objects.exists()


@pytest.mark.parametrize("role", ["approver", "finance", "admin"])
def test_managers_see_and_export(client_as, role):
    client = client_as(role)
    assert client.get(reverse("reports:index")).status_code == 200
    assert client.get(reverse("reports:chart", args=["lead-times"])).status_code == 200
    response = client.post(f"{reverse('reports:export')}?report=orders", {"format": "csv"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert ExportFile.objects.count() == 1


def test_purchaser_dashboard_has_no_manager_figures(client_as):
    page = client_as("purchaser").get(reverse("dashboard"))
    assert page.status_code == 200
    assert b"manager-figures" not in page.content
    assert "figures" not in page.context
    assert b"Needs attention" in page.content


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_chart_is_404(client_as):
    assert client_as("finance").get(reverse("reports:chart", args=["nope"])).status_code == 404
