"""The sandbox upstream over real HTTP: pytest-django's live_server serves it, and the clients
are pointed at it exactly as `make run` points them at its own server.

A live test names the operations it exercises with `@pytest.mark.covers("op", ...)`; the
`sandbox` fixture fails the test if any of them was not actually called through the client.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import pytest

from upstream import accounts
from upstream.client import Transport
from upstream.dajisaas import Dajisaas
from upstream.pandapon import PandaPon
from upstream.sandbox import callbacks


@dataclass
class LiveSandbox:
    url: str
    pandapon: PandaPon
    dajisaas: Dajisaas
    called: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def _rich_profile(settings) -> None:
    """These tests specify our contract (upstream-api.md 6), which the rich profile keeps;
    tests/sandbox/ specifies the documented profile."""
    settings.SANDBOX_PROFILE = "rich"


@pytest.fixture
def sandbox(live_server, settings, transactional_db, monkeypatch, request) -> LiveSandbox:
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    live = LiveSandbox(live_server.url, accounts.pandapon(), accounts.dajisaas())

    real_call = Transport.call

    def recording_call(self, op, *args, **kwargs):
        live.called.append(op if isinstance(op, str) else op.name)
        return real_call(self, op, *args, **kwargs)

    monkeypatch.setattr(Transport, "call", recording_call)
    yield live
    # Kept-alive connections would leave live-server threads (and their database connections)
    # open past the test.
    live.pandapon.transport.session.close()
    live.dajisaas.transport.session.close()
    covered = {name for mark in request.node.iter_markers("covers") for name in mark.args}
    missing = covered - set(live.called)
    assert not missing, f"marked covers() but never called: {sorted(missing)}"


@pytest.fixture
def pushed(monkeypatch):
    """The refund callbacks the sandbox emitted, in order (checked against emit's signature,
    but not delivered: delivery is tested with the callbacks themselves)."""
    seen: list[dict] = []
    signature = inspect.signature(callbacks.emit)

    def record(**kwargs):
        signature.bind(**kwargs)
        seen.append(kwargs)

    monkeypatch.setattr(callbacks, "emit", record)
    return seen


@pytest.fixture
def close_kept_alive_connections():
    """Close the clients' kept-alive connections after each test, so no live-server thread
    waits on one past the server's shutdown (it would complain at interpreter exit)."""
    yield
    accounts.close_sessions()
