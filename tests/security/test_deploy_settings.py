"""Production settings: `check --deploy` is clean, and the cookies, HSTS and proxy header are
what the README says."""

from __future__ import annotations

import json

from tests.config.factories import PRODUCTION_ENV, run_manage

SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    "'redirect': s.SECURE_SSL_REDIRECT, 'proxy': s.SECURE_PROXY_SSL_HEADER,"
    "'session': [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
    " s.SESSION_COOKIE_NAME], 'csrf': [s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY,"
    " s.CSRF_COOKIE_SAMESITE, s.CSRF_COOKIE_NAME], 'axes': s.AXES_FAILURE_LIMIT,"
    "'proxies': s.TRUSTED_PROXY_COUNT, 'client_ip': s.AXES_CLIENT_IP_CALLABLE,"
    "'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
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


def test_only_an_operator_who_counts_the_proxies_makes_x_forwarded_for_trusted():
    default = settings_under()
    counted = settings_under(TRUSTED_PROXY_COUNT="2")

    # The proxy SSL header is set by default, yet X-Forwarded-For is not trusted for it.
    assert default["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert default["proxies"] == 0
    assert counted["proxies"] == 2
    assert default["client_ip"] == "config.client_ip.client_ip"


def test_a_negative_proxy_count_stops_startup_with_one_sentence():
    result = run_manage("check", **{**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "-1"})

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_the_production_csp_allows_the_sandbox_pictures_only_while_the_sandbox_is_on():
    sandbox = "http://sandbox.example.com:8100"
    off = settings_under(SANDBOX_BASE_URL=sandbox)
    on = settings_under(SANDBOX_BASE_URL=sandbox, UPSTREAM_SANDBOX="true")

    assert off["img"] == ["'self'", "data:", "blob:", "https:"]
    assert on["img"] == ["'self'", "data:", "blob:", "https:", sandbox]


def test_production_never_installs_or_migrates_the_sandbox_unless_it_is_on(tmp_path):
    """The simulator is fenced: with the sandbox off (production's default) its app is not
    installed, so `migrate` plans none of its tables; switched on, they come back."""
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'plan.sqlite3'}"}

    off = run_manage("migrate", "--plan", **{**PRODUCTION_ENV, **database})
    on = run_manage("migrate", "--plan", **{**PRODUCTION_ENV, **database, "UPSTREAM_SANDBOX": "on"})

    assert off.returncode == 0 and on.returncode == 0, off.stderr + on.stderr
    assert "purchasing.0001_initial" in off.stdout and "storefront.0001_initial" in off.stdout
    assert "sandbox." not in off.stdout
    assert "sandbox.0001_initial" in on.stdout
