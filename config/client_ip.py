"""The client's address, for the sign-in lock and anything else keyed on who is calling.

X-Forwarded-For is a header anyone can send. Only the entries appended by our own proxies are
true: behind TRUSTED_PROXY_COUNT proxies, each appending the address it saw, the client is that
many entries from the right, and everything further left is whatever the client claimed. With
0 (the default), or when the header has fewer entries than there are proxies (a request that
did not come through them all), the socket's address is the only one we trust."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address as far as our trusted proxies vouch for it."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        raw = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [entry.strip() for entry in raw.split(",") if entry.strip()]
        if len(forwarded) >= count and _is_address(forwarded[-count]):
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def _is_address(value: str) -> bool:
    # A count set higher than the proxies really in front lets the client write this entry;
    # it must never reach the sign-in records (an address column) as free text.
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
