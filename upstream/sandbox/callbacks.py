"""Signed callbacks from the sandbox to Caigou, with the upstream's retry behaviour."""

from __future__ import annotations

from typing import Any


def emit(*, provider: str, message_type: str, body: dict[str, Any], platform: str) -> None:
    """Queue a callback (after the current transaction commits) to SANDBOX_CALLBACK_URL."""
