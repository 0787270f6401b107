"""The configured upstream accounts and their clients (one transport, one session, each).

A transport is kept per account and per transport configuration (timeouts, retries, rate
limit), so a changed setting takes effect on the next client made, tests included.
"""

from __future__ import annotations

import threading

from django.conf import settings

from upstream.client import Account, RetryPolicy, Transport
from upstream.dajisaas import Dajisaas
from upstream.journal import DatabaseJournal
from upstream.operations import DAJISAAS, PANDAPON
from upstream.pandapon import PandaPon
from upstream.ratelimit import default_limiter

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


def transport_for(account: Account) -> Transport:
    """The one transport (and requests session) of an account, made on first use."""
    limiter = default_limiter()
    key = (
        account,
        settings.UPSTREAM_CONNECT_TIMEOUT,
        settings.UPSTREAM_READ_TIMEOUT,
        settings.UPSTREAM_READ_ATTEMPTS,
        id(limiter),
    )
    with _lock:
        transport = _transports.get(key)
        if transport is None:
            transport = Transport(
                account,
                connect_timeout=settings.UPSTREAM_CONNECT_TIMEOUT,
                read_timeout=settings.UPSTREAM_READ_TIMEOUT,
                retry=RetryPolicy(attempts=settings.UPSTREAM_READ_ATTEMPTS),
                rate_limiter=limiter,
                journal=DatabaseJournal(),
            )
            _transports[key] = transport
        return transport


def pandapon() -> PandaPon:
    return PandaPon(transport_for(pandapon_account()))


def dajisaas() -> Dajisaas:
    return Dajisaas(transport_for(dajisaas_account()))
