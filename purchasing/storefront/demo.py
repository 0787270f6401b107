"""The demo storefront `make run` seeds: every scope, the auto policy."""

from __future__ import annotations

from django.db import transaction

from purchasing.storefront.models import ALL_SCOPES, ApiKey, Storefront

DEMO_NAME = "Demo shop"


@transaction.atomic
def demo_storefront_create() -> tuple[Storefront, str | None]:
    """The "Demo shop" storefront, created once; returns a fresh API key only when it created
    the storefront (the key is shown once and only its hash is kept)."""
    storefront, created = Storefront.objects.get_or_create(
        name=DEMO_NAME,
        defaults={"scopes": list(ALL_SCOPES), "policy": Storefront.Policy.AUTO},
    )
    if not created:
        return storefront, None
    _key, raw = ApiKey.issue(storefront, name="demo")
    return storefront, raw
