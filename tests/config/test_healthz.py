import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

# Port 9 (discard) is closed on loopback: a real connection is refused.
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/ready"])
def test_ready_reports_every_dependency_up(client, media, path):
    response = client.get(path)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["storage"]["detail"] == "FileSystemStorage"
    assert list(media.rglob("*.txt")) == []  # the probe file is gone again


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/ready"])
def test_ready_is_503_naming_the_broker_when_it_is_unreachable(client, media, path):
    with override_settings(REDIS_URL=UNREACHABLE_REDIS, CELERY_BROKER_URL=UNREACHABLE_REDIS):
        response = client.get(path)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["failing"] == ["broker"]
    assert "Connection" in body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_ready_is_503_naming_the_storage_when_files_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")  # no folder can be made under a file

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["storage"]
    assert "Not a directory" in body["checks"]["storage"]["error"]


def test_live_answers_while_the_process_runs_even_with_every_dependency_down(
    client, media, monkeypatch
):
    def refused(*args, **kwargs):
        raise AssertionError("live must not touch a dependency")

    monkeypatch.setattr(default_storage, "save", refused)
    with override_settings(REDIS_URL=UNREACHABLE_REDIS, CELERY_BROKER_URL=UNREACHABLE_REDIS):
        response = client.get("/healthz/live")  # no database either: no django_db mark

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/live", "/healthz/ready"])
def test_health_checks_need_no_login_are_not_cached_and_refuse_other_methods(client, path):
    assert "no-cache" in client.get(path)["Cache-Control"]
    assert client.post(path).status_code == 405
