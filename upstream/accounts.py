"""The configured upstream accounts and their clients (one transport, one session, each).

A transport is kept per account and per transport configuration (timeouts, retries, rate
limit), so a changed setting takes effect on the next client made, tests included.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings

from upstream.client import Account, RetryPolicy, Transport
from upstream.dajisaas import Dajisaas
from upstream.journal import DatabaseJournal
from upstream.metrics import MeteredJournal
from upstream.operations import DAJISAAS, PANDAPON
from upstream.pandapon import PandaPon
from upstream.ratelimit import default_limiter
from upstream.signing import dajisaas_app_secret_form

_transports: dict[tuple, Transport] = {}
_lock = threading.Lock()


def pandapon_account() -> Account:
    return Account(
        provider=PANDAPON,
        base_url=settings.PANDAPON_BASE_URL,
        key=settings.PANDAPON_ACCESS_KEY,
        secret=settings.PANDAPON_SECRET,
        user_id=settings.PANDAPON_USER_ID,
        sign_fields=tuple(settings.PANDAPON_SIGN_FIELDS),
        sign_secret_key=settings.PANDAPON_SIGN_SECRET_KEY,
    )


def dajisaas_account() -> Account:
    return Account(
        provider=DAJISAAS,
        base_url=settings.DAJISAAS_BASE_URL,
        key=settings.DAJISAAS_APP_KEY,
        secret=settings.DAJISAAS_APP_SECRET,
    )


class AppSecretTransport(Transport):
    """A Dajisaas transport in the documented debug form (DAJISAAS_AUTH=app_secret): each
    request carries `appKey` and `appSecret` instead of `sign` (upstream-api.md 2.2), for an
    account whose sign rule the upstream refuses. The request is built and signed as usual,
    then the signature is swapped for the secret, so every other rule of the transport holds."""

    def _signed_request(self, op, params, files) -> dict[str, Any]:
        kwargs = super()._signed_request(op, params, files)
        for where in ("params", "data", "json"):
            if isinstance(kwargs.get(where), dict) and "sign" in kwargs[where]:
                kwargs[where] = dajisaas_app_secret_form(kwargs[where], self.account.secret)
        return kwargs


def transport_class(account: Account) -> type[Transport]:
    if account.provider == DAJISAAS and settings.DAJISAAS_AUTH == "app_secret":
        return AppSecretTransport
    return Transport


def transport_for(account: Account) -> Transport:
    """The one transport (and requests session) of an account, made on first use."""
    limiter = default_limiter()
    kind = transport_class(account)
    key = (
        account,
        kind,
        settings.UPSTREAM_CONNECT_TIMEOUT,
        settings.UPSTREAM_READ_TIMEOUT,
        settings.UPSTREAM_READ_ATTEMPTS,
        id(limiter),
    )
    with _lock:
        transport = _transports.get(key)
        if transport is None:
            transport = kind(
                account,
                connect_timeout=settings.UPSTREAM_CONNECT_TIMEOUT,
                read_timeout=settings.UPSTREAM_READ_TIMEOUT,
                retry=RetryPolicy(attempts=settings.UPSTREAM_READ_ATTEMPTS),
                rate_limiter=limiter,
                journal=MeteredJournal(DatabaseJournal()),
            )
            _transports[key] = transport
        return transport


def pandapon() -> PandaPon:
    return PandaPon(transport_for(pandapon_account()))


def dajisaas() -> Dajisaas:
    return Dajisaas(transport_for(dajisaas_account()))


def close_sessions(base_url: str = "") -> None:
    """Close the kept-alive connections of every transport, or of those whose base URL starts
    with `base_url`. A server that goes away (a test's live server) would otherwise keep a
    request thread, and its database connection, waiting on each of them."""
    with _lock:
        transports = list(_transports.values())
    for transport in transports:
        if transport.account.base_url.startswith(base_url):
            transport.session.close()
