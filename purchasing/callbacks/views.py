"""The two callback endpoints. Verify, store raw, answer 200: nothing is applied here.

A bad signature (or a stale PandaPon timestamp) gets HTTP 401 and nothing is stored. A message
already stored (the upstream retries, or sends twice) is answered 200 and ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from purchasing.models import UpstreamMessage
from upstream.accounts import pandapon_account
from upstream.signing import compact_json, dajisaas_message_valid, pandapon_headers_valid
from upstream.wire import loads_maybe

logger = logging.getLogger("purchasing.callbacks")
PANDAPON_HEADERS = ("access-key", "timestamp", "nonce-str", "user-id")


def _unauthorised(provider: str, why: str) -> HttpResponse:
    logger.warning("%s callback refused: %s", provider, why)
    return JsonResponse({"ok": False, "error": why}, status=401)


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
    try:
        envelope = json.loads(request.body)
    except ValueError:
        return JsonResponse({"ok": False, "error": "not JSON"}, status=400)
    if not isinstance(envelope, dict):
        return JsonResponse({"ok": False, "error": "not an object"}, status=400)
    # messageBody is an object in the PandaPon docs and a JSON string in others: accept both.
    body = loads_maybe(envelope.get("messageBody"))
    message_type = str(envelope.get("messageType") or "")
    platform = "1688" if str(envelope.get("messagePlatform")) == "1" else "taobao"
    # The push timestamp changes on every retry; the body (with its updatedAt) does not.
    key = _digest("pandapon", message_type, compact_json(body))
    headers = {name: request.headers.get(name, "") for name in PANDAPON_HEADERS}
    return _store(
        provider="pandapon",
        key=key,
        message_type=message_type,
        platform=platform,
        body=body if isinstance(body, dict) else {"value": body},
        raw=request.body.decode("utf-8", "replace"),
        headers=headers,
    )


@csrf_exempt
@require_POST
def dajisaas(request: HttpRequest) -> HttpResponse:
    raw = request.body.decode("utf-8", "replace")  # before request.POST consumes the stream
    message = request.POST.get("message", "")
    signature = request.POST.get("_dj_signature", "")
    if not message or not signature:
        return _unauthorised("dajisaas", "unsigned message")
    if not dajisaas_message_valid(message, signature, settings.DAJISAAS_APP_SECRET):
        return _unauthorised("dajisaas", "bad signature")
    try:
        envelope = json.loads(message)
    except ValueError:
        return JsonResponse({"ok": False, "error": "message is not JSON"}, status=400)
    if not isinstance(envelope, dict):
        return JsonResponse({"ok": False, "error": "message is not an object"}, status=400)
    if "msgId" in envelope:  # 1688: the official push envelope, with its own message id
        message_type = str(envelope.get("type") or "")
        body = loads_maybe(envelope.get("data"))
        key = _digest("dajisaas", "msgId", str(envelope["msgId"]))
        platform = "1688"
    else:  # Taobao: {seller_id, message_type, data, timestamp, site}
        message_type = str(envelope.get("message_type") or "")
        body = loads_maybe(envelope.get("data"))
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
    from purchasing.tasks import apply_upstream_message

    with transaction.atomic():
        message, created = UpstreamMessage.objects.get_or_create(
            dedupe_key=key, defaults={"provider": provider, "verified": True, **fields}
        )
        if created:
            # robust: the message is stored; if the enqueue (or an eager apply) fails, the
            # sweeper applies it later. The upstream only needs its 200.
            transaction.on_commit(
                lambda: apply_upstream_message.delay(message_id=message.pk), robust=True
            )
    if not created:
        logger.info("duplicate %s callback %s ignored", provider, message.pk)
    return JsonResponse({"ok": True, "duplicate": not created})
