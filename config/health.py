"""Health checks for load balancers and orchestrators.

- GET /healthz/live: 200 while the process runs and answers; it touches no dependency, so a
  database or broker outage never gets healthy web processes restarted.
- GET /healthz/ready: may this process take traffic? 200 when its database, cache, Celery
  broker and file storage all answer; 503 naming the failing ones otherwise.
- GET /healthz: the readiness answer, kept for the checks already pointed at it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

PROBE = b"caigou"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("a value written to the cache could not be read back")
    cache.delete(key)
    return "redis" if settings.REDIS_URL else "local memory"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "none: tasks run in-process"
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
    )
    try:
        client.ping()
    finally:
        client.close()
    return "redis"


def _storage() -> str:
    """Write, read back and delete a small file: exports and uploads need all three."""
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != PROBE:
                raise RuntimeError("a file written to the storage could not be read back")
    finally:
        default_storage.delete(name)
    return default_storage.__class__.__name__


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "storage": _storage,
}


def _run(check: Callable[[], str]) -> dict:
    started = time.monotonic()
    try:
        detail = check()
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """200 whenever the process can answer at all."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """200 with every check when all are up; 503 naming the failing ones in `failing`."""
    results = {name: _run(check) for name, check in CHECKS.items()}
    failing = [name for name, result in results.items() if not result["ok"]]
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing, "checks": results},
        status=503 if failing else 200,
    )
