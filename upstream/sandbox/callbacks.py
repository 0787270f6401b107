"""Signed callbacks from the sandbox to Caigou, with the upstream's retry behaviour.

`emit()` stores a Callback row (the outbox) and, once the transaction commits, delivers it to
SANDBOX_CALLBACK_URL + provider + "/":

- PandaPon (upstream-api.md 1.7, 6.1): JSON `{messageType, messageBody (object),
  messagePlatform (0 Taobao, 1 1688), timestamp (ms string)}` with the five signed headers of
  the configured PandaPon account.
- Dajisaas (2.6, 6.1): a form POST of `message` (a JSON string) and `_dj_signature`. For Taobao
  the message is `{seller_id, message_type, data, timestamp, site: "taobao_hk"}` (message_type a
  number when it is one, e.g. 3 status, 8 price); for 1688 it is the official push envelope
  `{msgId, gmtBorn, type, userInfo, bizKey, data}` (3.5; ASSUMED, the docs show no example).

Anything but HTTP 200 is retried at most MAX_RETRIES times, SANDBOX_CALLBACK_RETRY_S apart
(the real upstream waits 30 minutes). With a broker, delivery runs in Celery tasks; with eager
tasks (`make run`, unit tests) it runs in short-lived threads, so the request that emitted is
not held up and retries still wait. Those threads take turns (`_serially`), as one worker
would, so no two deliveries are answered at once: on a database connection that several
threads share (SQLite in memory under a test server), the work of two answers would run inside
each other's transactions. They start once the emitting transaction committed, and a tick is
one transaction (control.py), so no delivery overlaps the tick that sent it either.

Faults (control.py): `unsigned_callbacks` sends a message without its signature headers (or
`_dj_signature`), as an upstream whose pushes are unsigned would; `duplicate_callback` delivers
a message twice; `reorder_callbacks` holds
messages and delivers them newest first, when the fault's count runs out or `ms` (default
2000) after a message was held. Their `path` glob is matched against the message type, the
provider and the callback path (`/callbacks/pandapon/`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import connections
from django.db.models import F
from django.utils import timezone

from upstream.sandbox.db import on_commit
from upstream.signing import compact_json, dajisaas_message_signature, now_ms, pandapon_headers

if TYPE_CHECKING:
    from upstream.sandbox.models.control import Callback

logger = logging.getLogger(__name__)

MAX_RETRIES = 5  # after the first attempt, as upstream (1.7)
TIMEOUT = (3.05, 5.0)  # the upstream wants an answer within 1 s; ours is kinder
DEFAULT_HOLD_MS = 2000
PLATFORM_CODES = {"taobao": 0, "1688": 1}

_threads: set[threading.Thread] = set()  # delivery threads of this process (eager mode)
_threads_lock = threading.Lock()
_release_timer: threading.Timer | None = None
# In-process deliveries take turns (see the module docstring); sleeps between tries are outside.
_delivery_lock = threading.Lock()


def emit(*, provider: str, message_type: str, body: dict[str, Any], platform: str) -> Callback:
    """Queue a callback (after the current transaction commits) to SANDBOX_CALLBACK_URL."""
    from upstream.sandbox.models.control import Callback

    callback = Callback.objects.create(
        provider=provider,
        message_type=str(message_type),
        body=body,
        platform=str(platform),
        next_attempt_at=timezone.now(),
    )
    if settings.SANDBOX_CALLBACKS_ENABLED:
        # robust: a failure to dispatch is logged; the state change it reports has committed.
        on_commit(lambda: dispatch(callback.pk), robust=True)
    return callback


def dispatch(callback_id: int) -> None:
    """Deliver a new callback, unless a reorder fault holds it back."""
    from upstream.sandbox import control
    from upstream.sandbox.models.control import Callback, Fault

    callback = Callback.objects.filter(pk=callback_id).first()
    if callback is None:
        return
    for fault in control.matching_faults([Fault.Mode.REORDER_CALLBACKS], _names(callback)):
        if control.fire(fault):
            Callback.objects.filter(pk=callback_id).update(held=True)
            fault.refresh_from_db(fields=["count"])
            if fault.count == 0:
                _schedule_release(0)  # the batch is complete
            else:
                _schedule_release((fault.ms or DEFAULT_HOLD_MS) / 1000)
            return
    _schedule_delivery(callback_id, 0)


def release_held() -> int:
    """Deliver every held callback, newest first (first attempts in that order)."""
    from upstream.sandbox.models.control import Callback

    ids = list(Callback.objects.filter(held=True).order_by("-id").values_list("id", flat=True))
    released = 0
    for callback_id in ids:
        # Claim it: a second release running at the same time skips it.
        if Callback.objects.filter(pk=callback_id, held=True).update(held=False) != 1:
            continue
        released += 1
        if deliver_once(callback_id) == "retry":
            _schedule_delivery(callback_id, settings.SANDBOX_CALLBACK_RETRY_S)
    return released


def deliver_once(callback_id: int) -> str:
    """One attempt: "delivered", "retry", "failed", or "gone" (deleted, delivered or held)."""
    from upstream.sandbox import control
    from upstream.sandbox.models.control import Callback, Fault

    callback = Callback.objects.filter(
        pk=callback_id, status=Callback.Status.PENDING, held=False
    ).first()
    if callback is None:
        return "gone"
    times = 1
    for fault in control.matching_faults([Fault.Mode.DUPLICATE_CALLBACK], _names(callback)):
        if control.fire(fault):
            times = 2
            break
    error = ""
    for _ in range(times):
        error = _post(callback) or error
    now = timezone.now()
    rows = Callback.objects.filter(pk=callback_id, status=Callback.Status.PENDING)
    if not error:
        rows.update(
            status=Callback.Status.DELIVERED,
            attempts=F("attempts") + 1,
            delivered_at=now,
            next_attempt_at=None,
            last_error="",
        )
        return "delivered"
    if callback.attempts + 1 > MAX_RETRIES:
        rows.update(
            status=Callback.Status.FAILED,
            attempts=F("attempts") + 1,
            next_attempt_at=None,
            last_error=error,
        )
        logger.warning("sandbox callback %s failed for good: %s", callback_id, error)
        return "failed"
    rows.update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + timedelta(seconds=settings.SANDBOX_CALLBACK_RETRY_S),
        last_error=error,
    )
    return "retry"


def deliver_once_and_schedule(callback_id: int) -> str:
    """What the Celery task runs: one attempt, and the next one queued if it failed."""
    outcome = deliver_once(callback_id)
    if outcome == "retry":
        _schedule_delivery(callback_id, settings.SANDBOX_CALLBACK_RETRY_S)
    return outcome


def url_for(provider: str) -> str:
    return settings.SANDBOX_CALLBACK_URL.rstrip("/") + f"/{provider}/"


def payload(callback: Callback, *, signed: bool = True) -> dict[str, Any]:
    """What goes over the wire: `json` (PandaPon) or `data` (Dajisaas form) and headers.
    Unsigned (an `unsigned_callbacks` fault), it carries no signature headers or field. Under
    the documented profile the body keeps only documented fields (documented.py)."""
    from upstream import accounts
    from upstream.sandbox import documented, profile

    stamp = now_ms()
    body = callback.body
    if profile.documented():
        body = documented.push_body(body, platform=callback.platform)
    if callback.provider == "dajisaas":
        if callback.platform == "taobao":
            kind = callback.message_type
            message = {
                "seller_id": str(body.get("seller_id", "")),
                "message_type": int(kind) if kind.isdigit() else kind,
                "data": body,
                "timestamp": int(stamp),
                "site": "taobao_hk",
            }
        else:
            message = {
                "msgId": str(callback.pk),
                "gmtBorn": int(stamp),
                "type": callback.message_type,
                "userInfo": settings.DAJISAAS_APP_KEY,
                "bizKey": str(body.get("orderId", "")),
                "data": body,
            }
        text = compact_json(message)
        if not signed:
            return {"data": {"message": text}}
        signature = dajisaas_message_signature(text, settings.DAJISAAS_APP_SECRET)
        return {"data": {"message": text, "_dj_signature": signature}}
    account = accounts.pandapon_account()
    headers = pandapon_headers(
        account.key,
        account.secret,
        account.user_id,
        fields=account.sign_fields,
        secret_key=account.sign_secret_key,
    )
    envelope = {
        "messageType": callback.message_type,
        "messageBody": body,
        "messagePlatform": PLATFORM_CODES.get(callback.platform, 0),
        "timestamp": stamp,
    }
    return {"json": envelope, "headers": headers if signed else {}}


def _post(callback: Callback) -> str:
    """POST once; the error text, or "" on HTTP 200."""
    from upstream.sandbox import control
    from upstream.sandbox.models.control import Fault

    unsigned = control.matching_faults([Fault.Mode.UNSIGNED_CALLBACKS], _names(callback))
    signed = not any(control.fire(fault) for fault in unsigned)
    sent = payload(callback, signed=signed)
    try:
        response = requests.post(url_for(callback.provider), timeout=TIMEOUT, **sent)
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if response.status_code == 200:
        return ""
    return f"HTTP {response.status_code}: {response.text[:200]}"


def _names(callback: Callback) -> list[str]:
    return [callback.message_type, callback.provider, urlsplit(url_for(callback.provider)).path]


# -- where deliveries run ----------------------------------------------------------------------
def _eager() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def _schedule_delivery(callback_id: int, delay_s: float) -> None:
    if not _eager():
        from upstream.sandbox.tasks import deliver_sandbox_callback

        deliver_sandbox_callback.apply_async((callback_id,), countdown=delay_s)
        return
    _start(_deliver_with_retries, callback_id, delay_s)


def _schedule_release(delay_s: float) -> None:
    """Release the held batch after `delay_s` (0: now). The first hold opens the window; later
    holds join it rather than push it back."""
    if not _eager():
        from upstream.sandbox.tasks import release_held_sandbox_callbacks

        release_held_sandbox_callbacks.apply_async(countdown=delay_s)
        return
    global _release_timer
    with _threads_lock:
        timer = _release_timer
        if timer is not None and timer.is_alive():
            if delay_s > 0:
                return  # a window is already open
            timer.cancel()
        _release_timer = None
    if delay_s <= 0:
        _start(_serially, release_held)
        return
    timer = threading.Timer(delay_s, _run_release)
    timer.daemon = True
    with _threads_lock:
        _release_timer = timer
        _prune()
        _threads.add(timer)
    timer.start()


def _run_release() -> None:
    try:
        _serially(release_held)
    except Exception:
        logger.exception("sandbox callback release failed")
    finally:
        connections.close_all()
        with _threads_lock:
            _threads.discard(threading.current_thread())


def _deliver_with_retries(callback_id: int, delay_s: float) -> None:
    time.sleep(delay_s)
    while _serially(deliver_once, callback_id) == "retry":
        time.sleep(settings.SANDBOX_CALLBACK_RETRY_S)


def _serially(target: Callable[..., Any], *args: Any) -> Any:
    """Run one in-process delivery step while no other runs (it never waits on another)."""
    with _delivery_lock:
        return target(*args)


def _start(target, *args) -> None:
    def run() -> None:
        try:
            target(*args)
        except Exception:
            logger.exception("sandbox callback delivery failed")
        finally:
            connections.close_all()  # a thread's connections die with it
            with _threads_lock:
                _threads.discard(threading.current_thread())

    thread = threading.Thread(target=run, name="sandbox-callback", daemon=True)
    with _threads_lock:
        _prune()
        _threads.add(thread)
    thread.start()


def _prune() -> None:
    """Forget finished threads (a cancelled timer never says goodbye). Hold _threads_lock."""
    _threads.difference_update([thread for thread in _threads if not thread.is_alive()])


def wait_for_deliveries(timeout: float = 10.0) -> bool:
    """Join the delivery threads of this process (tests, demos); False if some still run."""
    deadline = time.monotonic() + timeout
    while True:
        with _threads_lock:
            running = [thread for thread in _threads if thread.is_alive()]
        if not running:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        running[0].join(min(remaining, 0.1))
