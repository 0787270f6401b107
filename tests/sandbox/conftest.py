"""The sandbox over real HTTP in a chosen profile: `documented` (and `rich` with its switches),
the clients pointed at it as `make run` points them at its own server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from django.conf import settings as django_settings

from upstream import accounts
from upstream.dajisaas import Dajisaas
from upstream.pandapon import PandaPon
from upstream.sandbox.catalogue import seed_catalogue


@dataclass
class Upstream:
    url: str
    pandapon: PandaPon
    dajisaas: Dajisaas

    def control(self, endpoint: str, method: str = "post", **payload) -> requests.Response:
        return requests.request(
            method,
            f"{self.url}/sandbox/_control/{endpoint}",
            json=payload or None,
            headers={"Authorization": f"Bearer {django_settings.SANDBOX_CONTROL_TOKEN}"},
            timeout=30,
        )


def _upstream(live_server, settings, profile: str) -> Iterator[Upstream]:
    settings.SANDBOX_PROFILE = profile
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    seed_catalogue(products=60)
    yield Upstream(live_server.url, accounts.pandapon(), accounts.dajisaas())
    # Kept-alive connections would hold live-server threads (and their connections) open.
    accounts.close_sessions(live_server.url)


@pytest.fixture
def documented(live_server, settings, transactional_db) -> Iterator[Upstream]:
    """The sandbox as the upstream's pages document it."""
    yield from _upstream(live_server, settings, "documented")


@pytest.fixture
def rich(live_server, settings, transactional_db) -> Iterator[Upstream]:
    """The sandbox keeping our contract (upstream-api.md section 6)."""
    yield from _upstream(live_server, settings, "rich")
