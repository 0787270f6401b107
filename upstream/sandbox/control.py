"""Sandbox control: faults injected around calls, the ledger of every create and payment, and
the services behind the control API and the console (reset, tick, advance, price change).

Faults, by where they act:
- before the handler: `latency` sleeps `ms`, `error` answers HTTP 500 (envelope code 500),
  `rate_limit` answers HTTP 429 with Retry-After (envelope code 429);
- after the handler committed: `timeout_after_commit` sleeps past the client's read timeout,
  `drop_response` sends half of the answer under a Content-Length for all of it and closes
  the connection, so the client sees it break after the upstream acted;
- in callback delivery (upstream/sandbox/callbacks.py): `duplicate_callback`,
  `reorder_callbacks`, `unsigned_callbacks`;
- switches of the documented profile under `rich` (profile.py): `ignore_references` (a
  matching call's reference fields and list filters are ignored; an order it creates is never
  found or echoed by its reference), `foreign_orders` (a matching create is shadowed by an
  order someone else placed, orders/foreign.py).
A fault's `path` is a glob (fnmatch) matched against the operation's path
(`/open/order`), the requested path (`/sandbox/pandapon/open/order`), `/<provider><path>`
and the operation's name, so `*`, `/open/order*`, `/dajisaas/*` and `*_pay` all work.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import random
import socketserver
import time
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.http import HttpResponse

from upstream.operations import Kind
from upstream.sandbox import orders
from upstream.sandbox.db import atomic
from upstream.sandbox.models.control import Fault, LedgerEntry
from upstream.sandbox.router import SandboxCall, SandboxError, _answer

logger = logging.getLogger(__name__)

CATALOGUE_MODULE = "upstream.sandbox.models.catalogue"
CALL_MODES_BEFORE = (Fault.Mode.LATENCY, Fault.Mode.ERROR, Fault.Mode.RATE_LIMIT)
CALL_MODES_AFTER = (Fault.Mode.TIMEOUT_AFTER_COMMIT, Fault.Mode.DROP_RESPONSE)
DEFAULT_TIMEOUT_AFTER_COMMIT_MS = 20_000


# -- faults ------------------------------------------------------------------------------------
def matching_faults(modes: Iterable[str], names: Iterable[str]) -> list[Fault]:
    """Live faults of these modes whose glob matches any of `names`, oldest first."""
    names = [name for name in names if name]
    faults = Fault.objects.filter(mode__in=list(modes)).exclude(count=0)
    return [fault for fault in faults if any(fnmatchcase(name, fault.path) for name in names)]


def fire(fault: Fault) -> bool:
    """Roll the fault's dice and take one of its hits; False if it does not strike."""
    if fault.rate < 1 and random.random() >= fault.rate:
        return False
    hits = Fault.objects.filter(pk=fault.pk)
    if fault.count is not None:
        # Atomic: two concurrent calls cannot both take the last hit.
        hits = hits.filter(count__gt=0)
        taken = hits.update(count=F("count") - 1, hits=F("hits") + 1)
    else:
        taken = hits.update(hits=F("hits") + 1)
    return taken == 1


def call_names(call: SandboxCall) -> list[str]:
    """What a fault's glob is matched against; a call made in-process has no request path."""
    path = call.request.path if call.request is not None else call.op.path
    marker = f"/{call.provider}/"
    local = "/" + path.split(marker, 1)[1] if marker in path else path
    return [call.op.path, local, path, f"/{call.provider}{call.op.path}", call.op.name]


def before_call(call: SandboxCall) -> HttpResponse | None:
    """A fault that answers instead of the handler (error, rate limit), or None."""
    for fault in matching_faults(CALL_MODES_BEFORE, call_names(call)):
        if not fire(fault):
            continue
        if fault.mode == Fault.Mode.LATENCY:
            time.sleep((fault.ms or 0) / 1000)
            continue
        if fault.mode == Fault.Mode.ERROR:
            return _answer(
                call.provider, 500, "sandbox fault: internal error", None, call.request_id, 500
            )
        response = _answer(
            call.provider, 429, "sandbox fault: too many requests", None, call.request_id, 429
        )
        response["Retry-After"] = str(max(1, -(-(fault.ms or 1000) // 1000)))
        return response
    return None


def after_commit_record(call: SandboxCall, data: Any) -> None:
    """Inside the handler's transaction: record creates and payments in the ledger."""
    if call.op.kind not in (Kind.CREATE, Kind.PAY):
        return
    ids = [str(value) for value in call.ledger_ids]
    outer_ref = ""
    if call.op.outer_ref_field:
        outer_ref = call.reference
    else:
        outer_ref = _outer_ref_of_orders(ids + _order_ids_in(call))
    LedgerEntry.objects.create(
        operation=call.op.name,
        kind=str(call.op.kind),
        path=call.request.path[:200],
        outer_ref=outer_ref,
        upstream_ids=ids,
        user_id=call.user_id,
        request_id=call.request_id,
    )


def _order_ids_in(call: SandboxCall) -> list[str]:
    """The order ids a pay call names (orderId, or orderIds as a list, JSON or comma list)."""
    found: list[str] = []
    for name in ("orderId", "orderIds", "order_id", "orderIdList"):
        value = call.params.get(name)
        if isinstance(value, str) and value[:1] == "[":
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list | tuple):
            found.extend(str(item).strip() for item in value if str(item).strip())
        elif value is not None:
            found.append(str(value))
    return found


def _outer_ref_of_orders(order_ids: list[str]) -> str:
    """A payment's outer reference is that of the order it paid (joined if several)."""
    if not order_ids:
        return ""
    from upstream.sandbox.models.orders import Order

    refs = Order.objects.filter(order_id__in=order_ids).exclude(outer_ref="")
    return ",".join(sorted(set(refs.values_list("outer_ref", flat=True))))


def after_call(call: SandboxCall, response: HttpResponse) -> HttpResponse:
    """A fault applied once the handler committed (timeout after commit, dropped response)."""
    for fault in matching_faults(CALL_MODES_AFTER, call_names(call)):
        if not fire(fault):
            continue
        if fault.mode == Fault.Mode.TIMEOUT_AFTER_COMMIT:
            time.sleep(_timeout_ms(fault) / 1000)
            return response
        return _broken(response)
    return response


def _timeout_ms(fault: Fault) -> int:
    if fault.ms:
        return fault.ms
    # Longer than the client's read timeout, whatever it is set to.
    return max(DEFAULT_TIMEOUT_AFTER_COMMIT_MS, int(settings.UPSTREAM_READ_TIMEOUT * 1000) + 2000)


def _broken(response: HttpResponse) -> HttpResponse:
    """Half of the answer under a Content-Length for all of it, then the connection closes.

    The development and test servers (socketserver) keep connections alive, so the client would
    wait for the missing bytes until its read timeout; telling the request handler on the stack
    to close makes the break immediate. Other servers (gunicorn's sync workers close after every
    answer) break it the same way through the short body.
    """
    body = response.content
    broken = HttpResponse(
        body[: len(body) // 2], status=response.status_code, content_type=response["Content-Type"]
    )
    broken["Content-Length"] = str(len(body))
    handler = _request_handler()
    if handler is not None:
        handler.close_connection = True
    return broken


def _request_handler() -> socketserver.BaseRequestHandler | None:
    frame = inspect.currentframe()
    try:
        while frame is not None:
            candidate = frame.f_locals.get("self")
            if isinstance(candidate, socketserver.BaseRequestHandler):
                return candidate
            frame = frame.f_back
        return None
    finally:
        del frame


def add_fault(data: dict[str, Any]) -> Fault:
    """Validate and store a fault (ValueError names what is wrong)."""
    mode = str(data.get("mode") or "")
    if mode not in Fault.Mode.values:
        raise ValueError(f"mode must be one of {', '.join(Fault.Mode.values)}")
    path = str(data.get("path") or "*").strip()
    if len(path) > 200:
        raise ValueError("path is longer than 200 characters")
    rate = _number(data.get("rate"), "rate", default=1.0, cast=float)
    if not 0 <= rate <= 1:
        raise ValueError("rate must be between 0 and 1")
    count = _number(data.get("count"), "count", default=None, cast=int)
    if count is not None and count < 1:
        raise ValueError("count must be at least 1 (leave it out for no end)")
    ms = _number(data.get("ms"), "ms", default=None, cast=int)
    if ms is not None and not 0 <= ms <= 600_000:
        raise ValueError("ms must be between 0 and 600000")
    return Fault.objects.create(path=path, mode=mode, rate=rate, count=count, ms=ms)


def _number(value: Any, name: str, *, default: Any, cast: type) -> Any:
    if value in (None, ""):
        return default
    try:
        return cast(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number") from None


def clear_faults() -> int:
    return Fault.objects.all().delete()[0]


def fault_json(fault: Fault) -> dict[str, Any]:
    return {
        "id": fault.pk,
        "path": fault.path,
        "mode": fault.mode,
        "rate": fault.rate,
        "count": fault.count,
        "ms": fault.ms,
        "hits": fault.hits,
    }


# -- ledger ------------------------------------------------------------------------------------
def ledger(*, outer_ref: str = "", operation: str = "") -> models.QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.all()
    if outer_ref:  # alone, or one of a batch payment's
        entries = entries.filter(
            Q(outer_ref=outer_ref)
            | Q(outer_ref__startswith=f"{outer_ref},")
            | Q(outer_ref__endswith=f",{outer_ref}")
            | Q(outer_ref__contains=f",{outer_ref},")
        )
    if operation:
        entries = entries.filter(operation=operation)
    return entries


def ledger_json(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "operation": entry.operation,
        "kind": entry.kind,
        "path": entry.path,
        "outer_ref": entry.outer_ref,
        "upstream_ids": entry.upstream_ids,
        "user_id": entry.user_id,
        "request_id": entry.request_id,
        "created_at": entry.created_at.isoformat(),
    }


# -- reset and the life of orders --------------------------------------------------------------
def state_models() -> list[type[models.Model]]:
    """Every sandbox model but the catalogue's, referrers before what they refer to."""
    pending = [
        model
        for model in apps.get_app_config("sandbox").get_models()
        if model.__module__ != CATALOGUE_MODULE
    ]
    targets = {
        model: {
            field.related_model
            for field in model._meta.get_fields()
            if field.concrete and field.is_relation and field.related_model is not model
        }
        for model in pending
    }
    ordered: list[type[models.Model]] = []
    while pending:
        free = [m for m in pending if not any(m in targets[o] for o in pending if o is not m)]
        batch = free or pending[:1]  # a cycle: cascades sort it out
        ordered.extend(batch)
        pending = [m for m in pending if m not in batch]
    return ordered


@atomic
def reset() -> dict[str, int]:
    """Forget every cart, order, payment, refund, address, booking, ledger entry, fault and
    callback; keep the catalogue. Returns rows deleted per model (cascades included)."""
    deleted: dict[str, int] = {}
    for model in state_models():
        _total, per_model = model._base_manager.all().delete()
        for label, count in per_model.items():
            deleted[label] = deleted.get(label, 0) + count
    return deleted


@atomic
def tick() -> dict[str, Any]:
    """Run every registered tick step (seller ships, parcel arrives, refund agreed...).

    One transaction for the whole tick: it moves everything or nothing, and the callbacks it
    sends leave once it committed, so whoever they reach (and reads the sandbox back) never
    meets a tick half-way, nor works while the tick still writes.
    """
    from upstream.sandbox import router

    steps: dict[str, int] = {}
    for step in router.TICK_STEPS:
        name = f"{step.__module__.rsplit('.', 1)[-1]}.{step.__name__}"
        steps[name] = int(step() or 0)
    return {"moved": sum(steps.values()), "steps": steps}


@atomic
def advance_order(ref: str, to: str) -> Any:
    """Move an order (by id or outer reference) to a platform status."""
    if not str(ref or "").strip() or not str(to or "").strip():
        raise SandboxError(400, "order and to are required")
    return orders.advance(orders.find_order(str(ref).strip()), str(to).strip())


@atomic
def change_order_price(ref: str, delta_fen: Any) -> Any:
    """The seller changes an unpaid order's price by `delta_fen` (negative: a discount)."""
    try:
        delta = int(delta_fen)
    except (TypeError, ValueError):
        raise SandboxError(400, "delta_fen must be a whole number of fen") from None
    if not str(ref or "").strip():
        raise SandboxError(400, "order is required")
    return orders.change_price(orders.find_order(str(ref).strip()), delta)


@atomic
def switch_protocol_pay(data: dict[str, Any]) -> list[Any]:
    """`{"signed": bool, "provider": optional, "refusal_code": optional}`: whether the account
    pays password-free (orders/cashier.py)."""
    from upstream.sandbox.orders import cashier

    return cashier.set_protocol_pay(
        provider=str(data.get("provider") or ""),
        signed=data.get("signed"),
        refusal_code=data.get("refusal_code"),
    )


@atomic
def pay_at_cashier(ref: str) -> Any:
    """A person pays an unpaid order (by id or outer reference) at the cashier."""
    from upstream.sandbox.orders import cashier

    if not str(ref or "").strip():
        raise SandboxError(400, "order is required")
    return cashier.pay_at_cashier(orders.find_order(str(ref).strip())).order


@atomic
def place_foreign_orders(ref: str, count: Any) -> list[Any]:
    """`count` orders placed by someone else, like ours `ref` (orders/foreign.py)."""
    from upstream.sandbox.orders import foreign

    count = _number(count, "count", default=1, cast=int)
    if not 1 <= count <= 50:
        raise ValueError("count must be between 1 and 50")
    if not str(ref or "").strip():
        raise SandboxError(400, "like is required: the id or outer reference of an order")
    return foreign.place_like(orders.find_order(str(ref).strip()), count)


def order_json(order: Any) -> dict[str, Any]:
    fields = (
        "order_id",
        "outer_ref",
        "provider",
        "platform",
        "status",
        "goods_fen",
        "freight_fen",
        "discount_fen",
        "total_fen",
        "price_modified",
        "ref_ignored",
        "foreign",
    )
    return {name: getattr(order, name, None) for name in fields}
