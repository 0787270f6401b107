"""Production settings: `check --deploy` is clean, and the cookies, HSTS and proxy header are
what the README says."""

from __future__ import annotations

import json

from tests.config.test_environment import PRODUCTION_ENV, run_manage

SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    "'redirect': s.SECURE_SSL_REDIRECT, 'proxy': s.SECURE_PROXY_SSL_HEADER,"
    "'session': [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
    " s.SESSION_COOKIE_NAME], 'csrf': [s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY,"
    " s.CSRF_COOKIE_SAMESITE, s.CSRF_COOKIE_NAME], 'axes': s.AXES_FAILURE_LIMIT}))"
)


def settings_under(**env: str) -> dict:
    result = run_manage("shell", "-c", SHOW, **{**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing_at_warning_level():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_production_cookies_are_secure_host_only_and_hidden_from_scripts():
    shown = settings_under()

    assert shown["session"] == [True, True, "Lax", "__Host-caigou-session"]
    assert shown["csrf"] == [True, True, "Lax", "__Host-caigou-csrf"]
    assert shown["hsts"] >= 31_536_000 and shown["sub"] is True
    assert shown["redirect"] is True
    assert shown["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_hsts_subdomains_and_the_proxy_header_are_settings():
    shown = settings_under(SECURE_HSTS_INCLUDE_SUBDOMAINS="false", SECURE_PROXY_SSL_HEADER="")

    assert shown["sub"] is False
    assert shown["proxy"] is None
