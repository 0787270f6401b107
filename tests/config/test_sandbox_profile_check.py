"""A sandbox profile that is neither `rich` nor `documented` stops start-up with one sentence,
instead of a sandbox that answers every call with HTTP 500."""

from __future__ import annotations

from tests.config.factories import run_manage


def test_an_unknown_sandbox_profile_stops_startup_naming_it():
    result = run_manage("check", SANDBOX_PROFILE="friendly")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SANDBOX_PROFILE must be rich or documented, not 'friendly'" in result.stderr


def test_both_profiles_start():
    for name in ("rich", "documented", ""):
        result = run_manage("check", SANDBOX_PROFILE=name)
        assert result.returncode == 0, result.stderr
