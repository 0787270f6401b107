"""The two callback endpoints. Verify, store raw, answer 200: nothing is applied here.

A bad signature (or a stale PandaPon timestamp) gets HTTP 401 and nothing is stored. A message
already stored (the upstream retries, or sends twice) is answered 200 and ignored. Hostile
input is refused before anything is stored: a body over CAIGOU_CALLBACK_MAX_BYTES gets 413
unread, a body that is not a JSON object (or carries NUL, a lone surrogate, or a message type
that is not short text) 400, and a PandaPon signature seen before on another
body 401 (PandaPon signs only its headers, so a captured set could carry a forged body; each
signature is remembered for as long as its timestamp stays fresh). An exact replay of a Dajisaas
message is a duplicate (its signature covers the whole message). A message of an unknown type
is stored and acknowledged; applying it changes nothing. So is a well-formed message whose
content cannot be applied (a negative, fractional or out-of-range amount): it is acknowledged
with 200, so that the upstream does not send it again, and refused when applied, kept with the
reason (apply.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from purchasing.models import UpstreamMessage
from upstream.accounts import pandapon_account
from upstream.signing import (
    compact_json,
    dajisaas_message_valid,
    pandapon_headers_valid,
)
from upstream.wire import loads_maybe

logger = logging.getLogger("purchasing.callbacks")
PANDAPON_HEADERS = ("access-key", "timestamp", "nonce-str", "user-id")
MAX_TYPE_LENGTH = UpstreamMessage._meta.get_field("message_type").max_length


class Refused(Exception):
    """A callback answered with an error status; nothing is stored."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status, self.why = status, why


def _refuse(provider: str, status: int, why: str) -> HttpResponse:
    logger.warning("%s callback refused (%s): %s", provider, status, why)
    return JsonResponse({"ok": False, "error": why}, status=status)


def _unauthorised(provider: str, why: str) -> HttpResponse:
    return _refuse(provider, 401, why)


def _too_large(request: HttpRequest) -> bool:
    """Judged on the declared length first, so an oversized body is never read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    cap = settings.CAIGOU_CALLBACK_MAX_BYTES
    return declared > cap or len(request.body) > cap


def _parse_object(text: str | bytes, what: str) -> tuple[dict, Any]:
    """The envelope as a dict, and its body field decoded; Refused(400) otherwise."""
    try:
        envelope = json.loads(text)
        if not isinstance(envelope, dict):
            raise Refused(400, f"{what} is not an object")
        field = "messageBody" if "messageBody" in envelope else "data"
        body = loads_maybe(envelope.get(field))
        bad = _bad_text(envelope) or _bad_text(body)
        if bad:
            raise Refused(400, f"{what} contains {bad}")
    except (ValueError, RecursionError):
        raise Refused(400, f"{what} is not JSON") from None
    return envelope, body


def _bad_text(value: Any) -> str:
    """What in a decoded message no database column can hold, or "". PostgreSQL refuses NUL in
    text and jsonb, and a lone surrogate (a "\\ud800" escape) is not text at all: it cannot
    be encoded to store. No genuine message carries either."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "NUL characters"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "invalid text (a lone surrogate)"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return ""


def _message_type(value: Any) -> str:
    """The message type as text; Refused(400) when it cannot be one (a type names a handler,
    and the column holds 80 characters)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Refused(400, "the message type is not text")
    text = str(value)
    if len(text) > MAX_TYPE_LENGTH:
        raise Refused(400, "the message type is too long")
    return text


@csrf_exempt
@require_POST
def pandapon(request: HttpRequest) -> HttpResponse:
    account = pandapon_account()
    if not pandapon_headers_valid(
        request.headers,
        account.key,
        account.secret,
        fields=account.sign_fields,
        secret_key=account.sign_secret_key,
    ):
        return _unauthorised("pandapon", "bad signature or stale timestamp")
    if _too_large(request):
        return _refuse("pandapon", 413, "body too large")
    try:
        # messageBody is an object in the PandaPon docs and a JSON string in others: both do.
        envelope, body = _parse_object(request.body, "body")
        message_type = _message_type(envelope.get("messageType"))
    except Refused as refused:
        return _refuse("pandapon", refused.status, refused.why)
    platform = "1688" if str(envelope.get("messagePlatform")) == "1" else "taobao"
    # The push timestamp changes on every retry; the body (with its updatedAt) does not.
    key = _digest("pandapon", message_type, compact_json(body))
    headers = {name: request.headers.get(name, "") for name in PANDAPON_HEADERS}
    signature = request.headers.get("signature", "").upper()
    return _store(
        provider="pandapon",
        key=key,
        signature_hash=hashlib.sha256(signature.encode()).hexdigest(),
        message_type=message_type,
        platform=platform,
        body=body if isinstance(body, dict) else {"value": body},
        raw=request.body.decode("utf-8", "replace"),
        headers=headers,
    )


@csrf_exempt
@require_POST
def dajisaas(request: HttpRequest) -> HttpResponse:
    if _too_large(request):
        return _refuse("dajisaas", 413, "body too large")
    raw = request.body.decode("utf-8", "replace")  # before request.POST consumes the stream
    message = request.POST.get("message", "")
    signature = request.POST.get("_dj_signature", "")
    if not message or not signature:
        return _unauthorised("dajisaas", "unsigned message")
    if not dajisaas_message_valid(message, signature, settings.DAJISAAS_APP_SECRET):
        return _unauthorised("dajisaas", "bad signature")
    try:
        envelope, body = _parse_object(message, "message")
        official = "msgId" in envelope  # 1688: the official push envelope, with its own id
        message_type = _message_type(envelope.get("type" if official else "message_type"))
    except Refused as refused:
        return _refuse("dajisaas", refused.status, refused.why)
    if official:
        key = _digest("dajisaas", "msgId", str(envelope["msgId"]))
        platform = "1688"
    else:  # Taobao: {seller_id, message_type, data, timestamp, site}
        key = _digest("dajisaas", message_type, compact_json(body))
        platform = "taobao"
    return _store(
        provider="dajisaas",
        key=key,
        message_type=message_type,
        platform=platform,
        body=body if isinstance(body, dict) else {"value": body},
        raw=raw,
        headers={},
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _store(*, provider: str, key: str, **fields: Any) -> HttpResponse:
    """Store the message; a repeat of a stored one is a duplicate (200), and a signature that
    came with another message before is refused (401). One INSERT decides both."""
    from purchasing.tasks import wake_message_applier

    if not _insert(dedupe_key=key, provider=provider, verified=True, **fields):
        if not UpstreamMessage.objects.filter(dedupe_key=key).exists():
            return _unauthorised(provider, "signature already used for another message")
        logger.info("duplicate %s callback %s ignored", provider, key[:12])
        return JsonResponse({"ok": True, "duplicate": True})
    try:
        wake_message_applier()
    except Exception:
        # The message is stored and the sweeper applies it; the upstream only needs its 200.
        logger.exception("%s callback stored, but the applier could not be woken", provider)
    return JsonResponse({"ok": True, "duplicate": False})


def _insert(**fields: Any) -> bool:
    """Store the message in one statement; False when its key is stored already. In a request
    (autocommit) the INSERT commits on its own; inside a caller's transaction a savepoint keeps
    that transaction usable after a duplicate."""
    try:
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            UpstreamMessage.objects.create(**fields)
    except IntegrityError:
        return False
    return True
