"""Error reports to Sentry, when SENTRY_DSN is set (config/settings/observability.py calls
`init_sentry` while the settings load, as Sentry's Django integration asks)."""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Staff names, addresses, cookies and request bodies stay with us: a report carries the
        # error and where it happened, not who was signed in or what they typed.
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
    )
