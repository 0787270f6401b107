"""The client's address: the socket's unless TRUSTED_PROXY_COUNT proxies vouch for an entry of
X-Forwarded-For, counted from the right."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip

SOCKET = "10.0.0.5"


def address(forwarded: str | None, settings, count: int) -> str | None:
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=SOCKET, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address("198.51.100.1", settings, 0) == SOCKET


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("203.0.113.9", 1, "203.0.113.9"),
        # The client wrote the left entry; our one proxy appended the right one.
        ("1.2.3.4, 203.0.113.9", 1, "203.0.113.9"),
        ("1.2.3.4, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        (" 1.2.3.4 ,,2001:db8::7 ", 1, "2001:db8::7"),
    ],
)
def test_the_nth_entry_from_the_right_is_the_client(settings, forwarded, count, expected):
    assert address(forwarded, settings, count) == expected


@pytest.mark.parametrize(
    ("forwarded", "count"),
    [
        (None, 1),  # reached without the proxy
        ("203.0.113.9", 2),  # fewer entries than proxies: not every proxy saw it
        ("<script>, not-an-address", 1),  # a count set too high lets the client write this
    ],
)
def test_otherwise_the_socket_address_is_used(settings, forwarded, count):
    assert address(forwarded, settings, count) == SOCKET
