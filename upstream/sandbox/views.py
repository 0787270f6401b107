"""The sandbox's control API (`/sandbox/_control/`, JSON) and its staff console.

The control API is for tests and scripts: no session, no CSRF token, mounted only when
UPSTREAM_SANDBOX is on (and refusing if it is turned off under it). The console offers the same
actions as plain forms to a signed-in user.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from upstream.sandbox import control
from upstream.sandbox.models.catalogue import Platform, Product, Shop
from upstream.sandbox.models.control import Callback, Fault, LedgerEntry
from upstream.sandbox.router import SandboxError


# -- control API -------------------------------------------------------------------------------
def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _refusal(code: int, msg: str) -> JsonResponse:
    status = code if code in (400, 404, 501) else 409  # business refusals: state conflicts
    return _json({"ok": False, "code": code, "msg": msg}, status=status)


def control_api(*methods: str) -> Callable:
    """JSON in and out, CSRF-exempt, 404 unless the sandbox is on; SandboxError -> refusal."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not settings.UPSTREAM_SANDBOX:
                return _json({"ok": False, "msg": "the sandbox is off"}, status=404)
            if request.method not in methods:
                response = _json({"ok": False, "msg": f"use {' or '.join(methods)}"}, 405)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, _body(request), *args, **kwargs)
            except SandboxError as exc:
                return _refusal(exc.code, exc.msg)
            except ValueError as exc:
                return _refusal(400, str(exc))

        return wrapper

    return decorate


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.method == "GET":
        return request.GET.dict()
    if request.content_type == "application/json":
        if not request.body:
            return {}
        try:
            body = json.loads(request.body)
        except ValueError:
            raise ValueError("the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return body
    return request.POST.dict()


@control_api("POST")
def api_reset(request: HttpRequest, body: dict) -> HttpResponse:
    """Delete carts, orders, payments, refunds, addresses, bookings, ledger, faults and
    callbacks; keep the catalogue."""
    return _json({"ok": True, "deleted": control.reset()})


@control_api("POST")
def api_advance(request: HttpRequest, body: dict) -> HttpResponse:
    """`{"order": id or outer reference, "to": status}`."""
    order = control.advance_order(body.get("order"), body.get("to"))
    return _json({"ok": True, "order": control.order_json(order)})


@control_api("POST")
def api_tick(request: HttpRequest, body: dict) -> HttpResponse:
    """Every open order (and refund) takes its next natural step."""
    return _json({"ok": True, **control.tick()})


@control_api("POST")
def api_price_change(request: HttpRequest, body: dict) -> HttpResponse:
    """`{"order": id or outer reference, "delta_fen": N}` (negative: a discount)."""
    order = control.change_order_price(body.get("order"), body.get("delta_fen"))
    return _json({"ok": True, "order": control.order_json(order)})


@control_api("GET", "POST", "DELETE")
def api_faults(request: HttpRequest, body: dict) -> HttpResponse:
    """POST adds a fault `{path, mode, rate, count, ms}`; DELETE clears them all; GET lists."""
    if request.method == "POST":
        fault = control.add_fault(body)
        return _json({"ok": True, "fault": control.fault_json(fault)}, status=201)
    if request.method == "DELETE":
        return _json({"ok": True, "deleted": control.clear_faults()})
    return _json({"faults": [control.fault_json(fault) for fault in Fault.objects.all()]})


@control_api("GET")
def api_ledger(request: HttpRequest, body: dict) -> HttpResponse:
    """Every create and pay call, newest first; `?outer_ref=` and `?operation=` filter."""
    entries = control.ledger(
        outer_ref=body.get("outer_ref", ""), operation=body.get("operation", "")
    )
    listed = [control.ledger_json(entry) for entry in entries]
    return _json({"count": len(listed), "entries": listed})


# -- console -----------------------------------------------------------------------------------
def _statuses() -> list[str]:
    try:
        from upstream.sandbox import statuses
    except ImportError:
        return []
    return [s for platform in Platform.values for s in statuses.all_statuses(platform)]


@login_required
def console(request: HttpRequest) -> HttpResponse:
    """Sandbox console: the control actions as buttons, the ledger, callbacks, the catalogue."""
    products = dict(
        Product.objects.values_list("platform").annotate(n=Count("id")).values_list("platform", "n")
    )
    shops = Shop.objects.count()
    latest = [
        {
            "platform": product.get_platform_display(),
            "item_id": product.item_id,
            "title": product.title,
            "title_en": product.title_en,
            "shop": product.shop.name,
            "price_yuan": f"{product.price_fen // 100}.{product.price_fen % 100:02d}",
            "picture": f"/sandbox/images/{product.platform}/{product.item_id}/1.png",
        }
        for product in Product.objects.select_related("shop").order_by("-id")[:12]
    ]
    undelivered = Callback.objects.exclude(status=Callback.Status.DELIVERED)
    context = {
        "counts": [(label, products.get(value, 0)) for value, label in Platform.choices],
        "shops": shops,
        "latest": latest,
        "ledger": LedgerEntry.objects.all()[:50],
        "ledger_total": LedgerEntry.objects.count(),
        "callbacks": undelivered[:50],
        "callbacks_total": undelivered.count(),
        "faults": Fault.objects.all(),
        "modes": Fault.Mode.choices,
        "statuses": _statuses(),
    }
    return render(request, "sandbox/console.html", context)


def console_action(action: Callable[[HttpRequest], str]) -> Callable:
    """A console button: run the action, say what happened, back to the console."""

    @login_required
    @require_POST
    @wraps(action)
    def view(request: HttpRequest) -> HttpResponse:
        if not settings.UPSTREAM_SANDBOX:
            messages.error(request, "The sandbox is off.")
            return redirect("dashboard")
        try:
            messages.success(request, action(request))
        except SandboxError as exc:
            messages.error(request, f"Refused ({exc.code}): {exc.msg}")
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("sandbox:console")

    return view


@console_action
def console_reset(request: HttpRequest) -> str:
    deleted = sum(control.reset().values())
    return f"Sandbox reset: {deleted} rows deleted; the catalogue is kept."


@console_action
def console_tick(request: HttpRequest) -> str:
    result = control.tick()
    return f"Tick: {result['moved']} things moved."


@console_action
def console_advance(request: HttpRequest) -> str:
    order = control.advance_order(request.POST.get("order", ""), request.POST.get("to", ""))
    return f"Order {order.order_id} is now {order.status}."


@console_action
def console_price_change(request: HttpRequest) -> str:
    order = control.change_order_price(
        request.POST.get("order", ""), request.POST.get("delta_fen", "")
    )
    total = order.total_fen
    return f"Order {order.order_id} now costs ¥{total // 100}.{total % 100:02d}."


@console_action
def console_add_fault(request: HttpRequest) -> str:
    fault = control.add_fault(request.POST.dict())
    return f"Fault added: {fault}."


@console_action
def console_clear_faults(request: HttpRequest) -> str:
    return f"{control.clear_faults()} faults cleared."
