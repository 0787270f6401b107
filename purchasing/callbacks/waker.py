"""Wake the callback applier from a thread of the web process, never from a request.

A stored callback only marks that a wake is due (no I/O); one thread per process wakes the
applier (a Redis SET NX, and a publish when no drain is queued) for every mark since its last
wake, at most every WAKE_EVERY_S. A burst of callbacks costs a wake or two, and no request of
the upstream's waits on Redis. The mark comes after the message's INSERT has committed and the
mark is cleared before the wake, so a drain woken after it reads the message; should the process
die in between, the message is stored all the same and the sweeper applies it.
"""

from __future__ import annotations

import logging
import os
import threading
import time

logger = logging.getLogger("purchasing.callbacks")
WAKE_EVERY_S = 0.02


class Waker:
    def __init__(self) -> None:
        self._due = threading.Event()
        self._lock = threading.Lock()
        self._pid = 0  # the process whose thread runs: a forked worker starts its own

    def mark(self) -> None:
        """A message was stored (and committed): wake the applier soon."""
        if self._pid != os.getpid():
            self._start()
        self._due.set()

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._due = threading.Event()
            threading.Thread(target=self._run, name="callback-waker", daemon=True).start()
            self._pid = os.getpid()

    def _run(self) -> None:
        due = self._due
        while True:
            due.wait()
            due.clear()
            wake()
            time.sleep(WAKE_EVERY_S)


def wake() -> None:
    """Ask for a drain now; a failure is logged, since the sweeper applies what is left."""
    from purchasing.tasks import wake_message_applier

    try:
        wake_message_applier()
    except Exception:
        logger.exception("callbacks stored, but the applier could not be woken")


waker = Waker()
