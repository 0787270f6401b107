"""docs/production.env.example, filled in, is a production environment that starts: `check
--deploy` passes, and a scraper inside the network reaches /metrics over plain HTTP (refused
without its token, never redirected)."""

from __future__ import annotations

import secrets
from pathlib import Path

from tests.config.factories import ROOT, run_manage

EXAMPLE = ROOT / "docs" / "production.env.example"
SCRAPE = (
    "from django.test import Client;"
    "response = Client(HTTP_HOST='caigou.example.com').get('/metrics');"
    "print('metrics', response.status_code)"
)


def filled(tmp_path: Path) -> dict[str, str]:
    """The example's variables, each CHANGE replaced the way an operator would."""
    env = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _sep, value = line.partition("=")
            env[name] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["METRICS_TOKEN"] = secrets.token_urlsafe(32)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path)
    return {name: value.replace("CHANGE", "x1") for name, value in env.items()}


def test_the_example_names_every_required_variable_and_starts(tmp_path):
    env = filled(tmp_path)

    checked = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    scraped = run_manage("shell", "-c", SCRAPE, **env)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert scraped.returncode == 0, scraped.stderr
    assert "metrics 403" in scraped.stdout
