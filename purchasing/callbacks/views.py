"""The two callback endpoints. Verify, store raw, answer 200: nothing is applied here. The
envelopes are opened by `upstream.types.envelopes`; these views only speak HTTP and store.

A bad signature (or a stale PandaPon timestamp) gets HTTP 401 and nothing is stored, under
CALLBACK_AUTH=signed (the default). Under CALLBACK_AUTH=verify_by_query, for an upstream whose
pushes turn out unsigned, such a push is stored unverified and answered 200 instead: its body is
never applied, it only names the order to read again from the upstream (apply.py). A message
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

import functools
import hashlib
import json
import logging
from typing import Any

from celery import current_app as celery_app
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from purchasing.callbacks.metrics import CALLBACKS_STORED
from purchasing.callbacks.waker import wake, waker
from purchasing.models import UpstreamMessage
from upstream.accounts import pandapon_account
from upstream.signing import compact_json, dajisaas_message_valid, pandapon_headers_valid
from upstream.types import envelopes

logger = logging.getLogger("purchasing.callbacks")
PANDAPON_HEADERS = ("access-key", "timestamp", "nonce-str", "user-id")
MAX_TYPE_LENGTH = UpstreamMessage._meta.get_field("message_type").max_length
# Rendered once: the answer to every stored callback.
STORED = json.dumps({"ok": True, "duplicate": False}).encode()


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


def _signed_only() -> bool:
    return settings.CALLBACK_AUTH == "signed"


@csrf_exempt
@require_POST
def pandapon(request: HttpRequest) -> HttpResponse:
    account = pandapon_account()
    verified = pandapon_headers_valid(
        request.headers,
        account.key,
        account.secret,
        fields=account.sign_fields,
        secret_key=account.sign_secret_key,
    )
    if not verified and _signed_only():
        return _unauthorised("pandapon", "bad signature or stale timestamp")
    if _too_large(request):
        return _refuse("pandapon", 413, "body too large")
    try:
        envelope = envelopes.read_pandapon(request.body, max_type_length=MAX_TYPE_LENGTH)
    except envelopes.EnvelopeRefused as refused:
        return _refuse("pandapon", 400, refused.why)
    headers = {name: request.headers.get(name, "") for name in PANDAPON_HEADERS}
    signature = request.headers.get("signature", "").upper()
    return _store(
        provider="pandapon",
        envelope=envelope,
        verified=verified,
        # Only a verified signature is kept unique: an unverified one proves nothing, and must
        # not block the real push that carries it.
        signature_hash=hashlib.sha256(signature.encode()).hexdigest() if verified else "",
        raw=request.body.decode("utf-8", "replace"),
        headers=compact_json(headers),
    )


@csrf_exempt
@require_POST
def dajisaas(request: HttpRequest) -> HttpResponse:
    if _too_large(request):
        return _refuse("dajisaas", 413, "body too large")
    raw = request.body.decode("utf-8", "replace")  # before request.POST consumes the stream
    message = request.POST.get("message", "")
    signature = request.POST.get("_dj_signature", "")
    verified = bool(message and signature) and dajisaas_message_valid(
        message, signature, settings.DAJISAAS_APP_SECRET
    )
    if not verified and _signed_only():
        return _unauthorised("dajisaas", "bad signature" if signature else "unsigned message")
    if not message:
        return _refuse("dajisaas", 400, "no message")
    try:
        envelope = envelopes.read_dajisaas(message, max_type_length=MAX_TYPE_LENGTH)
    except envelopes.EnvelopeRefused as refused:
        return _refuse("dajisaas", 400, refused.why)
    return _store(provider="dajisaas", envelope=envelope, verified=verified, raw=raw, headers="{}")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _store(
    *, provider: str, envelope: envelopes.Envelope, verified: bool, **fields: Any
) -> HttpResponse:
    """Store the message; a repeat of a stored one is a duplicate (200), and a signature that
    came with another message before is refused (401). One INSERT decides both. Unverified
    messages are keyed apart, so a forged one can never pass for the real push as its
    duplicate."""
    if not verified:
        logger.info("unverified %s callback stored as a hint", provider)
    key = _digest(provider, *envelope.identity, *(() if verified else ("unverified",)))
    if isinstance(envelope.body, dict):
        body = envelope.body_json
    else:
        body = compact_json({"value": envelope.body})
    stored = _insert(
        dedupe_key=key,
        provider=provider,
        verified=verified,
        message_type=envelope.message_type,
        platform=envelope.platform,
        body=body,
        **fields,
    )
    if stored:
        _stored_counter(provider, verified).inc()
    else:
        if not UpstreamMessage.objects.filter(dedupe_key=key).exists():
            return _unauthorised(provider, "signature already used for another message")
        logger.info("duplicate %s callback %s ignored", provider, key[:12])
        return JsonResponse({"ok": True, "duplicate": True})
    if celery_app.conf.task_always_eager:
        # No broker (`make run`, tests): waking runs the drain right here, so the message is
        # applied by the time the upstream reads its 200, as a person testing expects.
        wake()
    else:
        # The process's waker thread asks for the drain (callbacks/waker.py), once the row is
        # committed (at once in a request, which runs in autocommit).
        transaction.on_commit(waker.mark)
    return HttpResponse(STORED, content_type="application/json")


@functools.cache
def _stored_counter(provider: str, verified: bool) -> Any:
    """The counter's series for one provider and verdict, looked up once per process."""
    return CALLBACKS_STORED.labels(provider, "true" if verified else "false")


def _insert(**fields: str | bool) -> bool:
    """Store the message in one statement; False when its key (or its signature) is stored
    already. `INSERT … ON CONFLICT DO NOTHING RETURNING id`, naming only the columns a callback
    brings (the others take the database's defaults, `db_default` on the model): no exception
    and no savepoint for a duplicate, and none of the ORM's per-call compiling on the path every
    callback takes (bench/callbacks.py). The values come ready for the database, JSON columns
    as the compact JSON text the envelope was read into, so nothing is encoded twice. In a
    request (autocommit) it commits on its own."""
    names = tuple(fields)
    params = [*fields.values(), _RECEIVED_AT.get_db_prep_save(timezone.now(), connection)]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(names), params)
        return cursor.fetchone() is not None


_FIELDS = {field.attname: field for field in UpstreamMessage._meta.concrete_fields}
_RECEIVED_AT = _FIELDS["received_at"]


@functools.cache
def _insert_sql(names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    # JSON arrives as text: PostgreSQL is told to read it as jsonb (whichever way the values
    # are bound); SQLite keeps JSON as text anyway.
    jsonb = connection.vendor == "postgresql"

    def value(name: str) -> str:
        return "%s::jsonb" if jsonb and _FIELDS[name].get_internal_type() == "JSONField" else "%s"

    statement = "INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING"
    return (statement + " RETURNING {pk}").format(
        table=quote(UpstreamMessage._meta.db_table),
        columns=", ".join(quote(_FIELDS[name].column) for name in (*names, "received_at")),
        values=", ".join([*(value(name) for name in names), "%s"]),
        pk=quote(UpstreamMessage._meta.pk.column),
    )
