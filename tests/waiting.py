"""Waiting for something another process or thread does: a worker, a server, a late call."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.2) -> Any:
    """`check()`'s first true result, asked every `every` seconds; an AssertionError naming
    `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)
