"""The faults, injected while orders flow: a plan of steps drawn from a budget, one step at a
time between pushes. Sandbox faults are counted by what actually fired (their hits); the rest
(killed workers, a restarted Redis, callbacks posted by hand) by what was done.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.faults.harness import READ_TIMEOUT_S, Stack, active_tasks
from upstream import accounts
from upstream.sandbox import callbacks
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models.control import Callback, Fault
from upstream.sandbox.models.orders import FOREIGN_PREFIX
from upstream.sandbox.statuses import Alibaba, Taobao
from upstream.signing import now_ms, pandapon_headers

CREATES = "*_order_create"  # taobao_order_create, alibaba_order_create
PAYS = "*_pay*"  # taobao_order_pay, alibaba_order_pay_url, alibaba_order_batch_submit_to_pay
LOOKUPS = ("*_order_page", "*_order_get", "alibaba_order_detail")
TASK_OF = {"submit": "purchasing.submit_order", "pay": "purchasing.pay_orders"}
FORGED = "forged by the fault suite"
STALE_MS = 15 * 60 * 1000
SLOW_MS = (READ_TIMEOUT_S + 1) * 1000  # past the read timeout: the answer never arrives

FOREIGN = "foreign orders on the account"
IGNORED = "references ignored by the upstream"
# Calls whose reference fields or filters the upstream may ignore (upstream/sandbox/documented.py).
REFERENCED = ("*_order_create", "*_order_page")

# kind -> faults per step; the cheap kinds fill the budget round-robin.
CHEAP = {
    "5xx burst": 4,
    "rate limited (429)": 4,
    "timeout after commit": 2,
    "dropped response": 2,
    "callback duplicated": 3,
    "callbacks reordered": 3,
    "callback re-posted": 3,
    "callbacks re-posted out of order": 3,
    "callback with a bad signature": 2,
    "callback with a stale timestamp": 2,
    FOREIGN: 2,
    IGNORED: 3,
}
KILL_SUBMIT = "worker SIGKILL in submit"
KILL_PAY = "worker SIGKILL in pay"
WORKER_LOST = "whole worker SIGKILLed"
REDIS = "Redis restarted"


def plan(budget: int, seed: int) -> list[str]:
    """Steps whose faults add up to about `budget`; Redis restarts in the middle third."""
    rng = random.Random(seed)
    rare = {
        KILL_SUBMIT: max(2, budget // 25),
        KILL_PAY: max(2, budget // 25),
        WORKER_LOST: max(1, budget // 100),
    }
    steps = [kind for kind, n in rare.items() for _ in range(n)]
    left = budget - len(steps) - max(1, budget // 200)
    kinds = list(CHEAP)
    i = 0
    while left > 0:
        steps.append(kinds[i % len(kinds)])
        left -= CHEAP[kinds[i % len(kinds)]]
        i += 1
    rng.shuffle(steps)
    for _n in range(max(1, budget // 200)):
        steps.insert(len(steps) // 3 + rng.randrange(max(1, len(steps) // 3)), REDIS)
    return steps


@dataclass
class Chaos:
    stack: Stack
    app: Any  # the Celery app, for inspecting what the workers run
    traffic: Callable[[], Any]  # makes calls happen while a kill waits for one
    seed: int = 0
    done: Counter = field(default_factory=Counter)
    sandbox_faults: dict[int, str] = field(default_factory=dict)
    forged_not_refused: list[str] = field(default_factory=list)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def step(self, kind: str) -> None:
        actions = {
            "5xx burst": lambda: self._fault(kind, Fault.Mode.ERROR, self._any_path(), count=4),
            "rate limited (429)": lambda: self._fault(
                kind, Fault.Mode.RATE_LIMIT, self._any_path(), count=4, ms=1000
            ),
            "timeout after commit": lambda: self._fault(
                kind,
                Fault.Mode.TIMEOUT_AFTER_COMMIT,
                self._write_path(),
                count=2,
                rate=0.5,
                ms=SLOW_MS,
            ),
            "dropped response": lambda: self._fault(
                kind, Fault.Mode.DROP_RESPONSE, self._write_path(), count=2, rate=0.5
            ),
            "callback duplicated": lambda: self._fault(
                kind, Fault.Mode.DUPLICATE_CALLBACK, "*", count=3
            ),
            "callbacks reordered": lambda: self._fault(
                kind, Fault.Mode.REORDER_CALLBACKS, "*", count=3, ms=1500
            ),
            "callback re-posted": lambda: self._repost(kind, ordered=True),
            "callbacks re-posted out of order": lambda: self._repost(kind, ordered=False),
            FOREIGN: lambda: self._foreign(kind, count=2),
            IGNORED: lambda: self._fault(
                kind, Fault.Mode.IGNORE_REFERENCES, self.rng.choice(REFERENCED), count=3
            ),
            "callback with a bad signature": lambda: self._forge(kind, stale=False),
            "callback with a stale timestamp": lambda: self._forge(kind, stale=True),
            KILL_SUBMIT: lambda: self._kill_in_flight(kind, "submit"),
            KILL_PAY: lambda: self._kill_in_flight(kind, "pay"),
            WORKER_LOST: self._lose_worker,
            REDIS: self._restart_redis,
        }
        actions[kind]()

    def tally(self) -> Counter:
        """Faults injected by kind: what was done, and the sandbox faults' hits."""
        counts = Counter(self.done)
        for fault in self.stack.control("faults", method="get")["faults"]:
            kind = self.sandbox_faults.get(fault["id"])
            if kind:
                counts[kind] += fault["hits"]
        return counts

    def stop(self) -> Counter:
        """No new faults, and what a reorder fault held back is delivered; the final tally."""
        self.done = self.tally()
        self.stack.control("faults", method="delete")
        self.sandbox_faults.clear()
        callbacks.release_held()
        return Counter(self.done)

    # -- sandbox faults ----------------------------------------------------------------------
    def _any_path(self) -> str:
        return self.rng.choice((CREATES, PAYS, *LOOKUPS))

    def _write_path(self) -> str:
        return self.rng.choice((CREATES, PAYS))

    def _fault(self, kind: str, mode: str, path: str, **options: Any) -> int:
        fault = self.stack.control("faults", path=path, mode=mode, **options)["fault"]
        self.sandbox_faults[fault["id"]] = kind
        return fault["id"]

    def _foreign(self, kind: str, *, count: int) -> None:
        """Someone else orders goods like one of our latest orders, on the same account."""
        latest = (
            SandboxOrder.objects.filter(outer_ref__startswith="CG")
            .exclude(created_by__startswith=FOREIGN_PREFIX)
            .order_by("-pk")
            .values_list("order_id", flat=True)[:20]
        )
        if not latest:
            return
        like = self.rng.choice(list(latest))
        placed = self.stack.control("foreign-orders", like=like, count=count)["orders"]
        self.done[kind] += len(placed)

    # -- killed workers and a restarted broker -----------------------------------------------
    def _kill_in_flight(self, kind: str, stage: str) -> None:
        """Slow one create (or pay) call down, before or after the upstream commits it, and
        SIGKILL the pool process running that task while it waits for the answer."""
        mode = self.rng.choice((Fault.Mode.LATENCY, Fault.Mode.TIMEOUT_AFTER_COMMIT))
        slow = self.stack.control(
            "faults", path=CREATES if stage == "submit" else PAYS, mode=mode, count=1, ms=3000
        )["fault"]["id"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if Fault.objects.filter(pk=slow, hits=1).exists():
                break
            self.traffic()
            time.sleep(0.2)
        else:
            return
        time.sleep(0.3)
        for task in active_tasks(self.app):
            if task["name"] == TASK_OF[stage]:
                try:
                    os.kill(task["worker_pid"], signal.SIGKILL)
                except ProcessLookupError:
                    continue
                self.done[kind] += 1

    def _lose_worker(self) -> None:
        name = self.rng.choice(sorted(self.stack.running))
        self.stack.kill_worker(name)
        self.done[WORKER_LOST] += 1
        self.stack.start_worker(name)

    def _restart_redis(self) -> None:
        self.stack.restart_redis(down_s=1.0)
        self.app.close()  # this process's broker connections died with it
        self.done[REDIS] += 1

    # -- callbacks posted by hand ------------------------------------------------------------
    def _delivered(self, limit: int) -> list[Callback]:
        rows = list(
            Callback.objects.filter(status=Callback.Status.DELIVERED, provider="pandapon")
            .order_by("-pk")
            .values_list("pk", flat=True)[:200]
        )
        chosen = self.rng.sample(rows, min(limit, len(rows)))
        return list(Callback.objects.filter(pk__in=chosen).order_by("pk"))

    def _repost(self, kind: str, *, ordered: bool) -> None:
        """Deliver stored messages again, signed afresh as the upstream's retries are: in
        order, or newest first (one order's messages, when it has several)."""
        chosen = self._delivered(3)
        if not ordered:
            refs = [c.body.get("salesOrderId") for c in chosen]
            ref = next(filter(None, refs), "")
            if ref:
                same = Callback.objects.filter(
                    provider="pandapon", body__salesOrderId=ref, status=Callback.Status.DELIVERED
                )
                chosen = list(same.order_by("pk")) or chosen
            chosen = sorted(chosen, key=lambda c: -c.pk)
        for callback in chosen:
            sent = callbacks.payload(callback)
            response = requests.post(callbacks.url_for(callback.provider), timeout=10, **sent)
            assert response.status_code == 200, response.text
            self.done[kind] += 1

    def _forge(self, kind: str, *, stale: bool) -> None:
        """A message that would move an order (to paid, or closed) were it believed."""
        chosen = self._delivered(1)
        if not chosen:
            return
        callback = chosen[0]
        body = dict(callback.body)
        closing = self.rng.random() < 0.5
        if callback.platform == "1688":
            body["currentStatus"] = body["orderStatus"] = (
                Alibaba.CANCEL if closing else Alibaba.WAIT_SEND
            )
            message_type = "ORDER_BUYER_VIEW_" + ("ORDER_BUYER_CLOSE" if closing else "ORDER_PAY")
        else:
            body["status"] = Taobao.CLOSED if closing else Taobao.WAIT_SEND
            message_type = "TAOBAO_ORDER_STATUS_MODIFY"
        body["closeReason"] = FORGED
        body["updatedAt"] = int(now_ms()) + 60_000  # newer than anything true
        account = accounts.pandapon_account()
        headers = pandapon_headers(
            account.key,
            account.secret if stale else "not-the-secret",
            account.user_id,
            fields=account.sign_fields,
            secret_key=account.sign_secret_key,
            timestamp=str(int(now_ms()) - STALE_MS) if stale else None,
        )
        response = requests.post(
            callbacks.url_for("pandapon"),
            json={
                "messageType": message_type,
                "messageBody": body,
                "messagePlatform": 1 if callback.platform == "1688" else 0,
                "timestamp": now_ms(),
            },
            headers=headers,
            timeout=10,
        )
        if response.status_code != 401:
            self.forged_not_refused.append(f"{kind}: HTTP {response.status_code}")
        self.done[kind] += 1
