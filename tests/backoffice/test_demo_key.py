"""`make run` keeps the demo storefront's API key from one run to the next, prints the logins
and the key last, and stops on Ctrl-C without an error."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from backoffice.demo_key import KEY_FILE, demo_api_key, demo_summary
from storefront.models import ApiKey, hash_key


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _key_of(out: str) -> str:
    return out.split("export CAIGOU_API_KEY=")[1].split()[0]


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_key_is_kept_from_run_to_run_unless_asked(tmp_path):
    first, second, rotated = io.StringIO(), io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    assert _key_of(first.getvalue()) == _key_of(second.getvalue())
    assert "the key kept from run to run" in second.getvalue()
    assert (tmp_path / KEY_FILE).stat().st_mode & 0o077 == 0  # the owner's only

    call_command("seed_demo", new_api_key=True, stdout=rotated)
    new = _key_of(rotated.getvalue())
    assert new != _key_of(first.getvalue())
    live = ApiKey.objects.filter(name="demo", revoked_at__isnull=True)
    assert [k.hashed for k in live] == [hash_key(new)]


@pytest.mark.django_db
def test_a_kept_key_the_database_does_not_know_is_replaced(tmp_path):
    (tmp_path / KEY_FILE).write_text("cg_deadbeef_from-another-database\n")
    _storefront, key, new = demo_api_key()
    assert new and key != "cg_deadbeef_from-another-database"
    assert ApiKey.objects.filter(hashed=hash_key(key), revoked_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_summary_ends_with_the_logins_and_the_key():
    lines = demo_summary(url="http://127.0.0.1:8000/")
    text = "\n".join(lines)
    assert lines[1] == "Caigou is at http://127.0.0.1:8000/  (stop with Ctrl-C)"
    assert "purchaser" in text and "caigou-demo" in text
    assert lines[-3].startswith("  export CAIGOU_API_KEY=cg_")


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_for_make_run_leaves_the_summary_to_the_server():
    out = io.StringIO()
    call_command("seed_demo", no_summary=True, stdout=out)
    assert "CAIGOU_API_KEY" not in out.getvalue()
    assert ApiKey.objects.filter(name="demo", revoked_at__isnull=True).count() == 1


def test_the_server_prints_the_summary_after_its_own_banner_and_stops_quietly(monkeypatch):
    from backoffice.management.commands import serve_demo

    out = io.StringIO()
    command = serve_demo.Command(stdout=out)
    command.addr, command._raw_ipv6, command.protocol = "127.0.0.1", False, "http"
    monkeypatch.setattr(serve_demo, "demo_summary", lambda url: ["SUMMARY " + url])
    command.on_bind(8000)
    text = out.getvalue()
    assert text.index("Starting development server") < text.index("SUMMARY http://127.0.0.1:8000/")

    def interrupted(self, *args, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_demo.RunServer, "handle", interrupted)
    command.handle()  # no exception: make sees a clean exit
    assert "Caigou stopped." in out.getvalue()
