"""Upstream-looking identifiers: 19-digit numbers as strings, like the real ones."""

from __future__ import annotations

import secrets


def new_id() -> str:
    """A random 19-digit id (first digit 1-9); collisions are caught by unique constraints."""
    return str(secrets.randbelow(9 * 10**18) + 10**18)


def new_refund_id(prefix: str = "TQ") -> str:
    """1688 refund ids start with TQ."""
    return f"{prefix}{new_id()}"
