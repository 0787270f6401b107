"""Start-up refuses a sandbox profile that is neither `rich` nor `documented`: otherwise every
sandbox call would answer HTTP 500 with the reason only in the server's log."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from upstream.sandbox import profile


@checks.register("caigou")
def sandbox_profile(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not settings.UPSTREAM_SANDBOX:
        return []
    try:
        profile.current()
    except ImproperlyConfigured as exc:
        return [checks.Error(f"{exc}.", hint="Unset it for the default, rich.", id="sandbox.E001")]
    return []
