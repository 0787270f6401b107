"""The demo storefront `make run` seeds: every scope, the auto policy."""

from __future__ import annotations

from django.db import transaction

from storefront.models import ALL_SCOPES, ApiKey, Storefront

DEMO_NAME = "Demo shop"
# Where docs/storefront_example.py receives webhooks by default.
DEMO_WEBHOOK_URL = "http://127.0.0.1:8765/webhooks"


@transaction.atomic
def demo_storefront_create() -> tuple[Storefront, str]:
    """The "Demo shop" storefront, created once, and a fresh API key for this run: only a key's
    hash is kept, so each run issues one to print and revokes the demo keys before it."""
    storefront, _ = Storefront.objects.get_or_create(
        name=DEMO_NAME,
        defaults={
            "scopes": list(ALL_SCOPES),
            "policy": Storefront.Policy.AUTO,
            "webhook_url": DEMO_WEBHOOK_URL,
        },
    )
    for old in storefront.keys.filter(name="demo", revoked_at__isnull=True):
        old.revoke()
    _key, raw = ApiKey.issue(storefront, name="demo")
    return storefront, raw
