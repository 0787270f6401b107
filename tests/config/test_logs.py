"""LOG_FORMAT=json: one JSON object per line, with the request id (taken from X-Request-ID or
made, and echoed), the user, the order reference and the Celery task id where known."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator

import pytest

from config.observability.logs import ContextFilter, json_formatter
from tests.config.factories import run_manage
from tests.orders.conftest import previewed_order


@pytest.fixture
def json_lines() -> Iterator[Callable[[], list[dict]]]:
    """The console handler as LOG_FORMAT=json builds it, on the root logger at INFO."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_the_json_setting_writes_every_line_as_one_object():
    code = (
        "import logging;"
        "logging.getLogger('caigou.check').warning('order %s: 价格 changed', 'CG1');"
        "logging.getLogger('caigou.check').error('second line')"
    )

    done = run_manage("shell", "-c", code, LOG_FORMAT="json")

    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("WARNING", "caigou.check", "order CG1: 价格 changed"),
        ("ERROR", "caigou.check", "second line"),
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", line["timestamp"]) for line in lines)


def test_plain_stays_the_default():
    done = run_manage("shell", "-c", "import logging; logging.getLogger('x').warning('hi')")

    assert done.returncode == 0, done.stderr
    assert re.search(r"^\d{4}-\d\d-\d\d [\d:,]+ WARNING x hi$", done.stderr, re.MULTILINE)


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be plain or json"),
        ("METRICS_TOKEN", "short", "METRICS_TOKEN must be at least 32"),
        ("METRICS_ALLOWED_IPS", "10.0.0.0/8,intranet", "METRICS_ALLOWED_IPS must list"),
        ("PROMETHEUS_MULTIPROC_DIR", "/nonexistent/metrics", "PROMETHEUS_MULTIPROC_DIR must be"),
    ],
)
def test_a_bad_observability_setting_stops_start_up_naming_it(variable, value, sentence):
    done = run_manage("check", **{variable: value})

    assert done.returncode == 2
    assert sentence in done.stderr and "Traceback" not in done.stderr


@pytest.mark.django_db
def test_the_callers_request_id_is_logged_and_echoed(client, json_lines):
    response = client.post(
        "/callbacks/pandapon/",
        data="{}",
        content_type="application/json",
        headers={"X-Request-ID": "edge-7f3a.42"},
    )

    assert response.status_code == 401
    assert response["X-Request-ID"] == "edge-7f3a.42"
    lines = json_lines()
    # The view's line, and Django's own about the 401, written after the middleware returned.
    assert {line["logger"] for line in lines} >= {"purchasing.callbacks", "django.request"}
    assert all(line["request_id"] == "edge-7f3a.42" for line in lines)
    assert all("user" not in line for line in lines)  # nobody is signed in on a callback


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", [None, "two words", "x" * 129, "<script>"])
def test_a_request_id_is_made_when_none_usable_came(client, incoming):
    headers = {"X-Request-ID": incoming} if incoming else {}

    response = client.get("/healthz/live", headers=headers)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_user_order_reference_and_task_id_on_the_lines_of_a_submit(
    live, people, client, json_lines
):
    order = previewed_order(people, actor=people.approver)
    client.force_login(people.approver)

    response = client.post(
        f"/checkout/{order.pk}/confirm/",
        {"total_fen": order.quoted_total_fen},
        headers={"X-Request-ID": "req-submit-1"},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    # The submit task ran in this request (no broker in these tests), so its lines carry both.
    done = [line for line in json_lines() if line.get("task_name") == "purchasing.submit_order"]
    assert done, "the submit task logged nothing"
    assert {line["request_id"] for line in done} == {"req-submit-1"}
    assert {line["user"] for line in done} == {people.approver.username}
    assert {line["order_ref"] for line in done} == {order.reference}
    assert all(re.fullmatch(r"[0-9a-f-]{36}", line["task_id"]) for line in done)
