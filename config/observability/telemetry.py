"""OpenTelemetry traces of request -> task -> upstream call, when OTEL_EXPORTER_OTLP_ENDPOINT
(or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; without it nothing is loaded or patched.

`config.wsgi` and `config.asgi` call `init_from_environment` before Django builds its
middleware (the Django instrumentation adds its own), and the Celery app calls it in each
worker process once it is forked (a span exporter's thread does not survive a fork). Spans go
in batches to the OTLP/HTTP endpoint; the exporter and the resource read the standard OTEL_*
variables (headers, protocol details, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES...).

The Celery instrumentation carries the trace in each task's headers, so a task's span (and its
upstream calls) belong to the request that enqueued it; a task run in-process, as with
`make run`, runs inside the request's span.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the SDK is loaded only when traces are on
    from opentelemetry.sdk.trace import TracerProvider

_lock = threading.Lock()
_provider: TracerProvider | None = None


def enabled() -> bool:
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def init_from_environment() -> None:
    """Export traces to the configured endpoint; once per process, and only when configured."""
    global _provider
    if not enabled():
        return
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    with _lock:
        if _provider is not None:
            return
        # OTEL_SERVICE_NAME, when set, wins over this default.
        named = {} if os.environ.get("OTEL_SERVICE_NAME") else {SERVICE_NAME: "caigou"}
        provider = TracerProvider(resource=Resource.create(named))
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
        instrument(provider)
        _provider = provider


def instrument(provider: TracerProvider) -> None:
    """Trace Django requests, Celery tasks (sent and run) and requests' HTTP calls (every
    upstream call) into `provider`."""
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor

    DjangoInstrumentor().instrument(tracer_provider=provider)
    CeleryInstrumentor().instrument(tracer_provider=provider)
    RequestsInstrumentor().instrument(tracer_provider=provider)


def uninstrument() -> None:
    """Undo `instrument` (tests, which must leave the process as they found it)."""
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor

    for instrumentor in (DjangoInstrumentor(), CeleryInstrumentor(), RequestsInstrumentor()):
        instrumentor.uninstrument()
