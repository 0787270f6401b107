"""Start-up refuses to reach the real upstream with the demo account or the docs' sample user
id: with the sandbox off, each is a system check error naming its variable, so
`manage.py check`, `migrate` and the development server stop on it."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from upstream import demo


@checks.register("caigou")
def demo_credentials(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.UPSTREAM_SANDBOX:
        return []
    refused = [
        ("PANDAPON_ACCESS_KEY", demo.PANDAPON_ACCESS_KEY, "your PandaPon access key", "E001"),
        ("PANDAPON_SECRET", demo.PANDAPON_SECRET, "your PandaPon access secret", "E002"),
        ("PANDAPON_USER_ID", demo.SAMPLE_USER_ID, "your PandaPon sub-account id", "E003"),
    ]
    if settings.UPSTREAM_PROVIDER_1688 == "dajisaas":
        refused += [
            ("DAJISAAS_APP_KEY", demo.DAJISAAS_APP_KEY, "your Dajisaas appKey", "E004"),
            ("DAJISAAS_APP_SECRET", demo.DAJISAAS_APP_SECRET, "your Dajisaas appSecret", "E005"),
        ]
    return [
        checks.Error(
            f"{variable} is the sandbox's demo value, and the sandbox is off.",
            hint=f"Set {variable} to {what}.",
            id=f"upstream.{code}",
        )
        for variable, value, what, code in refused
        if getattr(settings, variable) == value
    ]
