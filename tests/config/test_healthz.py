import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_reports_every_service_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    # Port 9 (discard) is closed on loopback: a real connection is refused.
    unreachable = "redis://127.0.0.1:9/0"
    with override_settings(REDIS_URL=unreachable, CELERY_BROKER_URL=unreachable):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert "Connection" in body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
