"""The sandbox upstream over real HTTP: pytest-django's live_server serves it, and the clients
are pointed at it exactly as `make run` points them at its own server."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from upstream import accounts
from upstream.dajisaas import Dajisaas
from upstream.pandapon import PandaPon


@dataclass
class LiveSandbox:
    url: str
    pandapon: PandaPon
    dajisaas: Dajisaas


@pytest.fixture
def sandbox(live_server, settings, transactional_db) -> LiveSandbox:
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    return LiveSandbox(live_server.url, accounts.pandapon(), accounts.dajisaas())
