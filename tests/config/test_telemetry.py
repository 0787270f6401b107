"""OpenTelemetry: a request, the task it starts and the upstream calls they make are spans of
one trace. Spans go to an in-memory exporter; the instrumentation is undone after each test."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import redis
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from config.celery_app import app as celery_app
from config.observability import telemetry
from tests.config.factories import receiver, run_manage
from tests.orders.conftest import previewed_order, submitted_order

# gunicorn's entry point, fed one request by hand; then the spans are flushed.
SERVE_ONE = """
from wsgiref.util import setup_testing_defaults
from config.wsgi import application
from opentelemetry import trace
environ = {"PATH_INFO": "/healthz/live"}
setup_testing_defaults(environ)
print(b"".join(application(environ, lambda status, headers: None)).decode())
provider = trace.get_tracer_provider()
print(type(provider).__name__)
getattr(provider, "force_flush", lambda: None)()
"""


@pytest.fixture
def spans(live) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    telemetry.instrument(provider)
    yield exporter
    telemetry.uninstrument()
    provider.shutdown()


@pytest.mark.parametrize("endpoint_set", [True, False])
def test_the_web_process_exports_traces_only_with_an_endpoint(endpoint_set):
    with receiver() as (url, received):
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": url} if endpoint_set else {}
        done = run_manage(
            "shell",
            "-c",
            SERVE_ONE,
            DJANGO_SETTINGS_MODULE="config.settings.local",
            CAIGOU_BEAT_IN_PROCESS="false",
            **env,
        )

    assert done.returncode == 0, done.stderr
    assert '"status": "ok"' in done.stdout
    if endpoint_set:
        assert "TracerProvider" in done.stdout.split()
        [(path, body)] = received
        assert path == "/v1/traces" and b"caigou" in body and b"healthz/live" in body
    else:
        assert "ProxyTracerProvider" in done.stdout.split()
        assert received == []


def ancestors(span: ReadableSpan, every: list[ReadableSpan]) -> list[ReadableSpan]:
    """SPAN's parent, its parent's parent... as far as the recorded spans go."""
    by_id = {s.context.span_id: s for s in every}
    found = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        found.append(span)
    return found


def upstream_calls(every: list[ReadableSpan], path: str) -> list[ReadableSpan]:
    """The HTTP client spans to URLs containing PATH (either semantic convention's name)."""
    return [
        s
        for s in every
        if s.kind is SpanKind.CLIENT
        and path in str(s.attributes.get("url.full") or s.attributes.get("http.url", ""))
    ]


def request_span(every: list[ReadableSpan], route_part: str) -> ReadableSpan:
    [span] = [s for s in every if s.kind is SpanKind.SERVER and route_part in s.name]
    return span


def test_a_request_and_its_upstream_call_are_one_trace(spans, people, client):
    order = submitted_order(people)
    client.force_login(people.approver)
    spans.clear()

    response = client.post(f"/orders/{order.pk}/refresh/")

    assert response.status_code == 302
    every = list(spans.get_finished_spans())
    request = request_span(every, "refresh")
    [call, *_] = upstream_calls(every, "/sandbox/pandapon/")
    assert call.context.trace_id == request.context.trace_id
    assert request in ancestors(call, every)


def test_a_request_its_task_and_the_tasks_upstream_call_are_one_trace(spans, people, client):
    order = previewed_order(people, actor=people.approver)
    client.force_login(people.approver)
    spans.clear()

    client.post(f"/checkout/{order.pk}/confirm/", {"total_fen": order.quoted_total_fen})

    every = list(spans.get_finished_spans())
    request = request_span(every, "confirm")
    [task] = [s for s in every if s.name == "run/purchasing.submit_order"]
    [create] = upstream_calls(every, "/sandbox/pandapon/open/order")
    assert task.context.trace_id == create.context.trace_id == request.context.trace_id
    assert ancestors(create, every)[:1] == [task]
    assert request in ancestors(task, every)


def test_a_task_sent_through_the_broker_carries_the_requests_trace(spans, people, client, settings):
    """A worker picks the trace up from the message's headers (the Celery instrumentation
    reads them back): the message a request sends carries the request's trace."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL) as the broker")
    order = previewed_order(people, actor=people.approver)
    client.force_login(people.approver)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("money")
    spans.clear()

    celery_app.conf.task_always_eager = False
    try:
        client.post(f"/checkout/{order.pk}/confirm/", {"total_fen": order.quoted_total_fen})
    finally:
        celery_app.conf.task_always_eager = True
        sent = [json.loads(raw) for raw in broker.lrange("money", 0, -1)]
        broker.delete("money")

    [message] = [m for m in sent if m["headers"]["task"] == "purchasing.submit_order"]
    every = list(spans.get_finished_spans())
    request = request_span(every, "confirm")
    traceparent = message["headers"]["traceparent"]
    assert int(traceparent.split("-")[1], 16) == request.context.trace_id
    [publish] = [s for s in every if s.name == "apply_async/purchasing.submit_order"]
    assert request in ancestors(publish, every)
