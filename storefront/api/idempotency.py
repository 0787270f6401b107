"""`Idempotency-Key` for POSTs: the first request's outcome is stored and replayed to a repeat.

The key row is inserted (response_status NULL: running) and committed before the work starts,
so a second request with the same key, arriving while the first still runs, finds it and gets
409 instead of doing the work twice. A finished request stores its status and body; a repeat
with the same body replays them, one with a different body is refused with 422. Server errors
and conflicts are not stored (the row is deleted), so the storefront may retry them. A key
older than IDEMPOTENCY_KEY_TTL is forgotten and may be used again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from storefront.api.errors import ApiError
from storefront.models import IdempotencyKey, Storefront

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
IDEMPOTENCY_KEY_TTL = timedelta(hours=24)
# Outcomes that a retry could change are not kept.
NOT_STORED = {status.HTTP_409_CONFLICT, status.HTTP_429_TOO_MANY_REQUESTS}


def fingerprint(data: Any) -> str:
    """The request body's SHA-256, independent of key order and whitespace."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def request_key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_LENGTH:
        raise ApiError(
            f"The {HEADER} header must be 1 to {MAX_LENGTH} characters.",
            code="invalid_idempotency_key",
            fields={HEADER: [f"1 to {MAX_LENGTH} characters."]},
        )
    return key


def idempotent(
    request: Request,
    storefront: Storefront,
    run: Callable[[], Response],
    handle: Callable[[Exception], Response],
) -> Response:
    """`run()`, or the stored response of an earlier request with the same key. `handle` turns
    an exception `run` raises into its error response (the view's `handle_exception`), so a
    refusal is stored and replayed like a success."""
    key = request_key(request)
    if key is None:
        return run()
    print_ = fingerprint(request.data)
    row, replay = _claim(storefront, key, request, print_)
    if replay is not None:
        return replay
    try:
        try:
            response = run()
        except Exception as exc:  # noqa: BLE001 (handle() answers every exception)
            response = handle(exc)
    except BaseException:
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        raise
    if response.status_code >= 500 or response.status_code in NOT_STORED:
        IdempotencyKey.objects.filter(pk=row.pk).delete()
    else:
        IdempotencyKey.objects.filter(pk=row.pk).update(
            response_status=response.status_code, response_body=storable(response.data)
        )
    return response


def storable(data: Any) -> Any:
    """`data` as PostgreSQL's jsonb takes it: an answer may echo what the storefront sent, and
    jsonb refuses the NUL character, so it becomes U+FFFD in the copy kept for replays."""
    return json.loads(json.dumps(data).replace("\\u0000", "\\ufffd"))


def _claim(
    storefront: Storefront, key: str, request: Request, print_: str
) -> tuple[IdempotencyKey, Response | None]:
    """Our own running row for `key`, or the response that answers this request instead."""
    fields = {"method": request.method, "path": request.path, "fingerprint": print_}
    for _ in range(3):
        try:
            with transaction.atomic(durable=True):
                return IdempotencyKey.objects.create(storefront=storefront, key=key, **fields), None
        except IntegrityError:
            pass
        with transaction.atomic(durable=True):
            row = (
                IdempotencyKey.objects.select_for_update()
                .filter(storefront=storefront, key=key)
                .first()
            )
            if row is None:  # the first request failed and let the key go: claim it again
                continue
            if timezone.now() - row.created_at >= IDEMPOTENCY_KEY_TTL:
                IdempotencyKey.objects.filter(pk=row.pk).update(
                    created_at=timezone.now(), response_status=None, response_body=None, **fields
                )
                row.refresh_from_db()
                return row, None
        break
    else:
        raise ApiError(
            f"A request with this {HEADER} is still being settled; retry in a moment.",
            code="idempotency_key_in_use",
            status_code=status.HTTP_409_CONFLICT,
        )
    if (row.method, row.path, row.fingerprint) != (request.method, request.path, print_):
        raise ApiError(
            f"This {HEADER} was used with a different request; use a new key for a new request.",
            code="idempotency_key_reused",
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if row.response_status is None:
        raise ApiError(
            f"A request with this {HEADER} is still running; retry in a moment.",
            code="idempotency_key_in_use",
            status_code=status.HTTP_409_CONFLICT,
        )
    response = Response(row.response_body, status=row.response_status)
    response["Idempotent-Replayed"] = "true"
    return row, response
