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
