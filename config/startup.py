"""Loading settings up front, so a bad environment variable stops start-up with one sentence."""

import sys

from config.env import ConfigurationError


def load_settings_or_exit() -> None:
    """Touch the settings now; on a ConfigurationError print its sentence and exit with 2."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - settings load lazily, on first access
    except ConfigurationError as exc:
        sys.stderr.write(f"Caigou cannot start: {exc}\n")
        raise SystemExit(2) from None


def refuse_unsafe_start(process: str, *, exit_code: int = 2) -> None:
    """Run Caigou's own system checks (going live: demo credentials, the sample user id, the demo
    warehouse) and exit with 2, one sentence per error, if any fails: gunicorn and Celery run no
    system checks of their own, and a worker must not reach the real upstream with demo values.
    Web processes pass the exit code gunicorn's arbiter halts on (4, "app failed to load"): on
    any other it would start the worker again, for ever."""
    from django.core import checks

    refused = [m for m in checks.run_checks(tags=["caigou"]) if m.is_serious()]
    if not refused:
        return
    for message in refused:
        sys.stderr.write(f"Caigou cannot start {process}: {message.msg} {message.hint or ''}\n")
    raise SystemExit(exit_code)
