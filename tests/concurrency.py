"""Clicks at the same moment: a service run in several threads released together."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection

from purchasing.services.orders.common import OrderError


def at_once(
    work: Callable[[], object],
    times: int = 2,
    refusal: type[Exception] | tuple[type[Exception], ...] = OrderError,
) -> list[str]:
    """Run `work()` in `times` threads released together; what each ended with, sorted: "done",
    "refused" (a `refusal`, the service's own), or the repr of anything else it raised, so that
    an unexpected error (a duplicate key, say) shows in the assertion instead of vanishing with
    its thread."""
    start, ended = threading.Barrier(times), []

    def run() -> None:
        try:
            start.wait(timeout=10)
            work()
            ended.append("done")
        except refusal:
            ended.append("refused")
        except Exception as exc:  # noqa: BLE001 (reported to the test)
            ended.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(ended)


def in_turn(late: str = "", **clicks: Callable[[], object]) -> Callable[[], object]:
    """Work for `at_once` where each thread makes another click, in the order given; the click
    named `late` is held back a moment, so that the other locks first ("" holds none back)."""
    queue = iter(clicks.items())

    def click() -> object:
        name, action = next(queue)
        if name == late:
            time.sleep(0.3)
        return action()

    return click
