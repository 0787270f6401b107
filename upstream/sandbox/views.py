"""The sandbox's control API (`/sandbox/_control/`, JSON) and its staff console.

Both are for administrators only, and only while UPSTREAM_SANDBOX is on (404 otherwise): a
reset forgets every order the sandbox holds, and faults break every call. The control API takes
either the `SANDBOX_CONTROL_TOKEN` as `Authorization: Bearer ...` (tests and scripts; no CSRF
token) or an administrator's session, which then needs the CSRF token as any form does.
Anonymous callers get 401 and other staff 403. The console offers the same actions as plain
forms to a signed-in administrator.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from upstream.sandbox import control, profile, statuses
from upstream.sandbox.models.catalogue import Platform, Product, Shop
from upstream.sandbox.models.control import Account, Callback, Fault, LedgerEntry
from upstream.sandbox.orders import cashier
from upstream.sandbox.router import SandboxError

# The mark of the admin role (purchasing.permissions.ADMIN_PERMISSION, asked by is_admin there): the
# upstream layer sits below purchasing and asks the permission itself.
ADMIN_PERMISSION = "auth.change_user"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_sandbox_admin(user: Any) -> bool:
    """An active user of the admin role (or a superuser)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(ADMIN_PERMISSION))


# -- control API -------------------------------------------------------------------------------
def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _refusal(code: int, msg: str) -> JsonResponse:
    status = code if code in (400, 404, 501) else 409  # business refusals: state conflicts
    return _json({"ok": False, "code": code, "msg": msg}, status=status)


def _refused_caller(request: HttpRequest) -> JsonResponse | None:
    """Why this caller may not use the control API (401 or 403), or None if it may."""
    sent = request.headers.get("Authorization", "")
    if sent.startswith("Bearer "):
        token = settings.SANDBOX_CONTROL_TOKEN
        # Constant time: the answer must not tell how much of a guessed token was right.
        if token and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
            return None
        return _json({"ok": False, "msg": _("The sandbox control token is wrong.")}, 401)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        response = _json(
            {
                "ok": False,
                "msg": _("Sign in as an administrator, or send the sandbox control token."),
            },
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="sandbox-control"'
        return response
    if not is_sandbox_admin(user):
        return _json({"ok": False, "msg": _("Only administrators may control the sandbox.")}, 403)
    # A session rides along with any page's request: a change must carry the CSRF token.
    csrf = CsrfViewMiddleware(lambda r: HttpResponse())
    if request.method not in SAFE_METHODS and csrf.process_view(request, None, (), {}):
        return _json({"ok": False, "msg": _("The CSRF token is missing or wrong.")}, 403)
    return None


def control_api(*methods: str) -> Callable:
    """JSON in and out, 404 unless the sandbox is on, administrators only (_refused_caller);
    SandboxError -> refusal."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not settings.UPSTREAM_SANDBOX:
                return _json({"ok": False, "msg": _("The sandbox is off.")}, status=404)
            refused = _refused_caller(request)
            if refused is not None:
                return refused
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


@control_api("POST")
def api_foreign_orders(request: HttpRequest, body: dict) -> HttpResponse:
    """`{"like": id or outer reference, "count": N}`: someone else orders similar goods."""
    placed = control.place_foreign_orders(body.get("like"), body.get("count"))
    return _json({"ok": True, "orders": [control.order_json(order) for order in placed]}, 201)


@control_api("GET", "POST")
def api_protocol_pay(request: HttpRequest, body: dict) -> HttpResponse:
    """POST `{"signed": false, "provider": "dajisaas", "refusal_code": "..."}` switches
    password-free payment for one provider's account (both without `provider`); GET lists."""
    if request.method == "POST":
        control.switch_protocol_pay(body)
    accounts = [cashier.account_json(account) for account in Account.objects.order_by("provider")]
    return _json({"ok": True, "accounts": accounts})


@control_api("POST")
def api_cashier_pay(request: HttpRequest, body: dict) -> HttpResponse:
    """`{"order": id or outer reference}`: a person pays the order at the cashier."""
    order = control.pay_at_cashier(body.get("order"))
    return _json({"ok": True, "order": control.order_json(order)})


@control_api("GET")
def api_profile(request: HttpRequest, body: dict) -> HttpResponse:
    """Which upstream the sandbox plays (`rich` or `documented`, profile.py)."""
    return _json({"profile": profile.current()})


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
    return [s for platform in Platform.values for s in statuses.all_statuses(platform)]


def console_page(view: Callable) -> Callable:
    """Signed in (else the sign-in page), an administrator (else 403), the sandbox on (else
    404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.UPSTREAM_SANDBOX:
            raise Http404(_("The sandbox is off."))
        if not is_sandbox_admin(request.user):
            raise PermissionDenied(_("Only administrators may use the sandbox console."))
        return view(request, *args, **kwargs)

    return wrapper


@console_page
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
        "unsigned": [a.provider for a in Account.objects.filter(protocol_pay=False)],
    }
    return render(request, "sandbox/console.html", context)


def console_action(action: Callable[[HttpRequest], str]) -> Callable:
    """A console button: run the action, say what happened, back to the console."""

    @console_page
    @require_POST
    @wraps(action)
    def view(request: HttpRequest) -> HttpResponse:
        try:
            messages.success(request, action(request))
        except SandboxError as exc:
            messages.error(request, _("Refused: %(reason)s") % {"reason": exc.msg})
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("sandbox:console")

    return view


@console_action
def console_reset(request: HttpRequest) -> str:
    # Everything but the catalogue goes, and nothing brings it back: the person says so first.
    if request.POST.get("confirm") != "yes":
        raise ValueError(
            _("Nothing was reset: tick the box to confirm that everything but the catalogue goes.")
        )
    deleted = sum(control.reset().values())
    return _("Sandbox reset: %(n)s rows deleted; the catalogue is kept.") % {"n": deleted}


@console_action
def console_tick(request: HttpRequest) -> str:
    result = control.tick()
    return _("Tick: %(n)s things moved.") % {"n": result["moved"]}


@console_action
def console_advance(request: HttpRequest) -> str:
    order = control.advance_order(request.POST.get("order", ""), request.POST.get("to", ""))
    return _("Order %(order)s is now %(status)s.") % {
        "order": order.order_id,
        "status": order.status,
    }


@console_action
def console_price_change(request: HttpRequest) -> str:
    order = control.change_order_price(
        request.POST.get("order", ""), request.POST.get("delta_fen", "")
    )
    total = order.total_fen
    return _("Order %(order)s now costs ¥%(yuan)s.") % {
        "order": order.order_id,
        "yuan": f"{total // 100}.{total % 100:02d}",
    }


@console_action
def console_add_fault(request: HttpRequest) -> str:
    fault = control.add_fault(request.POST.dict())
    return _("Fault added: %(fault)s.") % {"fault": fault}


@console_action
def console_clear_faults(request: HttpRequest) -> str:
    return _("%(n)s faults cleared.") % {"n": control.clear_faults()}


@console_action
def console_protocol_pay(request: HttpRequest) -> str:
    signed = request.POST.get("signed") == "on"
    control.switch_protocol_pay({"provider": request.POST.get("provider", ""), "signed": signed})
    if signed:
        return _("Password-free payment is on.")
    return _("Password-free payment is off: protocol pays are refused with a cashier link.")
