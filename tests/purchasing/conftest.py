"""Goods pages against the live sandbox, as a purchaser sees them."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from upstream import accounts
from upstream.sandbox.catalogue import seed_catalogue


@pytest.fixture
def live(live_server, settings, transactional_db) -> str:
    """The sandbox served by live_server, seeded, with the clients pointed at it; its URL."""
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    settings.UPSTREAM_READ_ATTEMPTS = 1
    seed_catalogue(products=60)
    cache.clear()
    yield live_server.url
    accounts.pandapon().transport.session.close()
    accounts.dajisaas().transport.session.close()
    cache.clear()


@pytest.fixture
def purchaser(client_as):
    """A test client signed in as a purchaser."""
    return client_as("purchaser")
