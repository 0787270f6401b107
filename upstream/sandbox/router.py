"""The sandbox's front door: find the operation, check the signature and the required fields,
run its handler in a transaction and answer in the provider's envelope.

Handlers are plain functions registered with `@handles("operation_name")`. They take a
SandboxCall and return the envelope's `data`, or raise SandboxError(code, msg).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from upstream.operations import BY_NAME, DAJISAAS, PANDAPON, Operation, resolve
from upstream.sandbox.db import atomic
from upstream.signing import dajisaas_sign_valid, pandapon_headers_valid, timestamp_is_fresh

logger = logging.getLogger(__name__)

Handler = Callable[["SandboxCall"], Any]
HANDLERS: dict[str, Handler] = {}
TICK_STEPS: list[Callable[[], int]] = []


class SandboxError(Exception):
    """A refusal in the provider's envelope: `code` per upstream-api.md 6.2."""

    def __init__(self, code: int, msg: str, *, http_status: int = 200) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.http_status = http_status


@dataclass
class SandboxCall:
    """One request to the sandbox, as a handler sees it."""

    op: Operation
    params: dict[str, Any]  # body or query, with path parameters; appKey and sign removed
    files: dict[str, Any]
    account: str  # the access-key or appKey that signed it
    user_id: str  # PandaPon user-id; the appKey for Dajisaas (carts and orders are per user)
    request: HttpRequest
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ledger_ids: list[str] = field(default_factory=list)  # upstream ids a create/pay produced
    # What the caller sent in the operation's reference field, for the sandbox's own books
    # (ledger, `outer_ref` columns) even when the upstream ignores it (`references_ignored`).
    reference: str = ""
    references_ignored: bool = False

    @property
    def provider(self) -> str:
        return self.op.provider

    @property
    def reference_kept(self) -> bool:
        """Whether the upstream keeps the reference this call carries: echoes it and finds by it.

        Never under the documented profile or while references are ignored; nor when the
        reference field is gone from the parameters by the time the handler runs: `reference`
        was read before anything that drops fields (a fault, a hook) had its turn, and must not
        leak back into an answer. A call made in-process, with no reference read, keeps the one
        its caller hands the handler.
        """
        from upstream.sandbox import profile

        if self.references_ignored or profile.documented():
            return False
        name = self.op.outer_ref_field
        return not (self.reference and name and self.params.get(name) in (None, ""))

    def param(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name, default)
        return default if value is None else value

    def json_param(self, name: str, default: Any = None) -> Any:
        """A parameter that may arrive as a JSON string (form, query, or upstream habit)."""
        value = self.params.get(name, default)
        if isinstance(value, str) and value[:1] in ("{", "["):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise SandboxError(400, f"{name} is not valid JSON") from exc
        return value


def handles(name: str) -> Callable[[Handler], Handler]:
    """Register the sandbox handler of an operation."""
    if name not in BY_NAME:
        raise KeyError(f"no operation called {name}")

    def register(handler: Handler) -> Handler:
        if name in HANDLERS:
            raise ValueError(f"{name} already has a handler")
        HANDLERS[name] = handler
        return handler

    return register


def tick_step(step: Callable[[], int]) -> Callable[[], int]:
    """Register a step of `POST /sandbox/_control/tick`; it returns how many things moved."""
    TICK_STEPS.append(step)
    return step


def envelope(provider: str, code: int, msg: str, data: Any, request_id: str) -> dict:
    if provider == PANDAPON:
        return {
            "requestId": request_id,
            "code": code,
            "developId": "1788000000000000001",
            "msg": msg,
            "data": data,
        }
    return {
        "code": code,
        "message": msg,
        "data": data,
        "timestamp": int(timezone.now().timestamp() * 1000),
        "traceId": request_id[:12],
    }


def _answer(provider: str, code: int, msg: str, data: Any, request_id: str, status: int = 200):
    response = JsonResponse(
        envelope(provider, code, msg, data, request_id),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    if code == 429:
        response["Retry-After"] = "1"
    return response


def _parse_params(request: HttpRequest, op: Operation) -> tuple[dict[str, Any], dict[str, Any]]:
    if request.method == "GET":
        return request.GET.dict(), {}
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise SandboxError(400, "the body is not valid JSON") from exc
        if not isinstance(body, dict):
            raise SandboxError(400, "the body must be a JSON object")
        return body, {}
    return request.POST.dict(), dict(request.FILES.items())


def _verify(provider: str, request: HttpRequest, params: dict[str, Any]) -> tuple[str, str]:
    """The account and user of a correctly signed request; SandboxError(401) otherwise."""
    if provider == PANDAPON:
        headers = {
            key: request.headers.get(key, "")
            for key in ("access-key", "timestamp", "nonce-str", "user-id", "signature")
        }
        if not timestamp_is_fresh(headers["timestamp"]):
            raise SandboxError(401, "timestamp is missing or more than 600 s from server time")
        valid = pandapon_headers_valid(
            headers,
            settings.PANDAPON_ACCESS_KEY,
            settings.PANDAPON_SECRET,
            fields=settings.PANDAPON_SIGN_FIELDS,
            secret_key=settings.PANDAPON_SIGN_SECRET_KEY,
        )
        if not valid:
            raise SandboxError(401, "signature does not match")
        if not headers["user-id"]:
            raise SandboxError(401, "user-id header is missing")
        return headers["access-key"], headers["user-id"]
    if not dajisaas_sign_valid(params, settings.DAJISAAS_APP_KEY, settings.DAJISAAS_APP_SECRET):
        raise SandboxError(401, "sign does not match or appKey is unknown")
    return params["appKey"], params["appKey"]


def _check_required(op: Operation, params: dict[str, Any], optional: frozenset[str]) -> None:
    for name in op.required:
        if name in optional:
            continue
        if params.get(name) in (None, "", [], {}):
            raise SandboxError(400, f"missing required field: {name}")
    for group in op.one_of:
        if optional & set(group):
            continue  # a list whose filter is ignored answers every row, it does not refuse
        if not any(params.get(name) not in (None, "") for name in group):
            raise SandboxError(400, f"one of these fields is required: {', '.join(group)}")


@csrf_exempt
def dispatch(request: HttpRequest, provider: str, path: str) -> HttpResponse:
    """Serve `/sandbox/<provider>/<path>` as the upstream would."""
    from upstream.sandbox import control, documented, profile

    request_id = uuid.uuid4().hex
    if provider not in (PANDAPON, DAJISAAS):
        return _answer(PANDAPON, 404, f"no provider {provider}", None, request_id, status=404)
    found = resolve(provider, request.method or "GET", "/" + path)
    if found is None:
        return _answer(provider, 404, f"no such path: {request.method} /{path}", None, request_id)
    op, path_params = found
    try:
        params, files = _parse_params(request, op)
        account, user_id = _verify(provider, request, params)
        params.pop("sign", None)
        params.pop("appKey", None)
        params.update(path_params)
        call = SandboxCall(op, params, files, account, user_id, request, request_id=request_id)
        call.reference = str(params.get(op.outer_ref_field) or "") if op.outer_ref_field else ""
        # Ignoring references means the operation's own reference field too, whether or not
        # the documented profile lists it (a Taobao create's sellerOrderNumber is documented).
        ignored = documented.request_ignored(op.name) | (
            {op.outer_ref_field} if op.outer_ref_field else set()
        )
        call.references_ignored = bool(ignored) and profile.references_ignored(call)
        if call.references_ignored:
            for name in ignored:
                params.pop(name, None)
        optional = documented.not_required(op.name) if profile.documented() else frozenset()
        _check_required(op, params, optional | (ignored if call.references_ignored else set()))
        handler = HANDLERS.get(op.name)
        if handler is None:
            raise SandboxError(404, f"{op.name} is not simulated")
        early = control.before_call(call)
        if early is not None:
            return early
        with atomic():
            data = handler(call)
            control.after_commit_record(call, data)
        if profile.documented():
            data = documented.answer(op.name, data)
    except SandboxError as exc:
        return _answer(provider, exc.code, exc.msg, None, request_id, status=exc.http_status)
    response = _answer(
        provider, 200, "成功" if provider == PANDAPON else "操作成功", data, request_id
    )
    return control.after_call(call, response)
