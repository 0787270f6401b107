"""Sentry is set up only when SENTRY_DSN is set, with the Django and Celery integrations, the
environment and release from the environment, and no personal data. Each case runs manage.py
in a fresh process (Sentry's client is process-wide), reporting to a local HTTP server that
stands in for Sentry."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.config.factories import receiver, run_manage

PROBE = (
    "import sentry_sdk;"
    "client = sentry_sdk.get_client();"
    "print('active', client.is_active(), client.options['send_default_pii']);"
    "sentry_sdk.capture_message('caigou probe');"
    "sentry_sdk.flush(10)"
)


@pytest.fixture
def sentry_server() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    with receiver() as (url, received):
        yield url.replace("http://", "http://caigoupublickey@") + "/42", received


def events(received: list[tuple[str, bytes]]) -> list[dict]:
    """The event items of the envelopes received (header line, then item header and body)."""
    found = []
    for _path, envelope in received:
        lines = envelope.split(b"\n")
        for header, body in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(body))
    return found


def test_no_dsn_no_sentry(sentry_server):
    _url, received = sentry_server

    done = run_manage("shell", "-c", PROBE)

    assert done.returncode == 0, done.stderr
    assert "active False" in done.stdout
    assert received == []


def test_with_a_dsn_errors_reach_sentry_without_personal_data(sentry_server):
    dsn, received = sentry_server

    done = run_manage(
        "shell",
        "-c",
        PROBE,
        SENTRY_DSN=dsn,
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="caigou@2026.12.5",
    )

    assert done.returncode == 0, done.stderr
    assert "active True False" in done.stdout  # active, send_default_pii off
    [event] = [event for event in events(received) if event.get("message") == "caigou probe"]
    assert event["environment"] == "staging"
    assert event["release"] == "caigou@2026.12.5"
    assert {"django", "celery"} <= set(event["sdk"]["integrations"])
    assert "user" not in event
