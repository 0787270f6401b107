"""GET /metrics: Prometheus's text format, for a scraper that proves who it is.

Allowed with `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time), or from an
address in METRICS_ALLOWED_IPS (addresses or networks, as `config.client_ip` sees the caller).
Anyone else gets 403. With neither set, the endpoint is off: 404 for everyone.

The counters and histograms (upstream calls, callbacks, task runs) live in each process. Under
gunicorn and Celery's prefork pool those are many processes: with PROMETHEUS_MULTIPROC_DIR set
(the same empty directory for every process of a machine) each writes its values there and
this view adds them up; without it, a scrape sees only the process that answered it. Orders,
callbacks waiting and queue depth are read at scrape time (collectors.py).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from config.client_ip import client_ip
from config.observability.collectors import SCRAPE_TIME

logger = logging.getLogger("config.metrics")


def _bearer(request: HttpRequest) -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def token_matches(given: str, expected: str) -> bool:
    """Constant time, so the answer's timing never tells how much of a guess was right."""
    return hmac.compare_digest(given.encode(), expected.encode())


def _from_allowed_address(request: HttpRequest) -> bool:
    address = client_ip(request)
    if not address or not settings.METRICS_ALLOWED_IPS:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in settings.METRICS_ALLOWED_IPS)


def refusal(request: HttpRequest) -> HttpResponse | None:
    """None when the caller may read the metrics; otherwise the answer to give."""
    token = settings.METRICS_TOKEN
    if not token and not settings.METRICS_ALLOWED_IPS:
        return JsonResponse({"error": _("Metrics are not enabled on this server.")}, status=404)
    given = _bearer(request)
    if token and given and token_matches(given, token):
        return None
    if _from_allowed_address(request):
        return None
    return JsonResponse(
        {"error": _("Metrics need the metrics token or an allowed address.")}, status=403
    )


def _process_metrics() -> bytes:
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def _scrape_time_metrics() -> bytes:
    parts = []
    for collector in SCRAPE_TIME:
        try:
            parts.append(generate_latest(collector))
        except Exception:  # one source down must not hide the others
            logger.exception("%s left out of this scrape", type(collector).__name__)
    return b"".join(parts)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    refused = refusal(request)
    if refused is not None:
        return refused
    body = _process_metrics() + _scrape_time_metrics()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
