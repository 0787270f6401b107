"""Sandbox callbacks: stored, delivered after commit to a real HTTP receiver, signed as the
upstream would sign them, retried on anything but HTTP 200, duplicated and reordered by faults."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from upstream import signing
from upstream.sandbox import callbacks
from upstream.sandbox.models.control import Callback, Fault
from upstream.sandbox.tasks import deliver_sandbox_callback, release_held_sandbox_callbacks


class Receiver:
    """A callback endpoint on 127.0.0.1 that keeps what it got and answers from a script."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.statuses: list[int] = []  # answers to give, in order; then 200
        self.delay_s = 0.0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay_s)
                with receiver._lock:
                    receiver.received.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callbacks/"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def json_bodies(self) -> list[dict]:
        return [json.loads(item["body"]) for item in self.received]

    def dajisaas_messages(self) -> list[tuple[dict, str, str]]:
        out = []
        for item in self.received:
            form = {key: values[0] for key, values in parse_qs(item["body"].decode()).items()}
            out.append((json.loads(form["message"]), form["message"], form["_dj_signature"]))
        return out


@pytest.fixture
def receiver(settings, transactional_db):
    receiver = Receiver()
    settings.SANDBOX_CALLBACK_URL = receiver.url
    settings.SANDBOX_CALLBACK_RETRY_S = 0.05
    settings.SANDBOX_CALLBACKS_ENABLED = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield receiver
    assert callbacks.wait_for_deliveries(10), "a delivery thread outlived the test"
    receiver.server.shutdown()
    receiver.server.server_close()


def emit(n: int = 1, *, provider="pandapon", platform="taobao", message_type=None) -> Callback:
    kind = message_type or (
        "TAOBAO_ORDER_STATUS_MODIFY" if platform == "taobao" else "ORDER_BUYER_VIEW_ORDER_PAY"
    )
    body = {"purchaseOrderId": f"300000000000000000{n}", "orderId": f"91{n}", "seq": n}
    return callbacks.emit(provider=provider, message_type=kind, body=body, platform=platform)


def delivered(timeout: float = 10.0) -> None:
    assert callbacks.wait_for_deliveries(timeout)


# -- format and signatures ---------------------------------------------------------------------
def test_pandapon_callback_is_signed_json_to_the_provider_path(receiver):
    callback = emit()
    delivered()

    [got] = receiver.received
    assert got["path"] == "/callbacks/pandapon/"
    assert got["headers"]["Content-Type"] == "application/json"
    body = json.loads(got["body"])
    assert body["messageType"] == "TAOBAO_ORDER_STATUS_MODIFY"
    assert body["messageBody"] == {
        "purchaseOrderId": "3000000000000000001",
        "orderId": "911",
        "seq": 1,
    }
    assert body["messagePlatform"] == 0
    assert isinstance(body["timestamp"], str) and body["timestamp"].isdigit()
    assert abs(int(body["timestamp"]) / 1000 - time.time()) < 60
    headers = {key.lower(): value for key, value in got["headers"].items()}
    assert headers["user-id"] == django_settings.PANDAPON_USER_ID
    assert signing.pandapon_headers_valid(
        headers,
        django_settings.PANDAPON_ACCESS_KEY,
        django_settings.PANDAPON_SECRET,
        fields=django_settings.PANDAPON_SIGN_FIELDS,
        secret_key=django_settings.PANDAPON_SIGN_SECRET_KEY,
    )
    assert not signing.pandapon_headers_valid(headers, django_settings.PANDAPON_ACCESS_KEY, "x")
    callback.refresh_from_db()
    assert (callback.status, callback.attempts, callback.last_error) == ("delivered", 1, "")
    assert callback.delivered_at is not None


def test_1688_callback_says_platform_1(receiver):
    emit(platform="1688")
    delivered()
    assert receiver.json_bodies()[0]["messagePlatform"] == 1


def test_dajisaas_taobao_callback_is_a_signed_form(receiver):
    emit(provider="dajisaas", platform="taobao", message_type="3")
    delivered()

    [got] = receiver.received
    assert got["path"] == "/callbacks/dajisaas/"
    assert got["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    [(message, raw, signature)] = receiver.dajisaas_messages()
    assert signing.dajisaas_message_valid(raw, signature, django_settings.DAJISAAS_APP_SECRET)
    assert not signing.dajisaas_message_valid(raw, signature, "another-secret")
    assert message["message_type"] == 3 and message["site"] == "taobao_hk"
    assert message["data"]["seq"] == 1 and isinstance(message["timestamp"], int)


def test_dajisaas_1688_callback_uses_the_official_push_envelope(receiver):
    callback = emit(provider="dajisaas", platform="1688", message_type="ORDER_BUYER_VIEW_ORDER_PAY")
    delivered()

    [(message, raw, signature)] = receiver.dajisaas_messages()
    assert signing.dajisaas_message_valid(raw, signature, django_settings.DAJISAAS_APP_SECRET)
    assert message["type"] == "ORDER_BUYER_VIEW_ORDER_PAY"
    assert message["msgId"] == str(callback.pk) and message["bizKey"] == "911"
    assert message["userInfo"] == django_settings.DAJISAAS_APP_KEY
    assert message["data"]["seq"] == 1


# -- when it is sent ---------------------------------------------------------------------------
def test_nothing_is_sent_before_the_transaction_commits(receiver):
    with transaction.atomic():
        emit()
        time.sleep(0.2)
        assert receiver.received == []
        assert not any(thread.is_alive() for thread in callbacks._threads)
    delivered()
    assert len(receiver.received) == 1


def test_a_rolled_back_change_sends_nothing(receiver):
    with pytest.raises(RuntimeError), transaction.atomic():
        emit()
        raise RuntimeError("the state change failed")
    delivered()
    time.sleep(0.1)
    assert receiver.received == [] and not Callback.objects.exists()


def test_the_emitting_request_does_not_wait_for_delivery(receiver):
    receiver.delay_s = 0.5

    started = time.monotonic()
    emit()
    assert time.monotonic() - started < 0.3

    delivered()
    assert len(receiver.received) == 1


# -- retries -----------------------------------------------------------------------------------
def test_non_200_answers_are_retried_until_delivered(receiver):
    receiver.statuses = [500, 404]

    callback = emit()
    delivered()

    assert len(receiver.received) == 3
    bodies = receiver.json_bodies()
    assert {json.dumps(b["messageBody"]) for b in bodies} == {json.dumps(bodies[0]["messageBody"])}
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == ("delivered", 3)


def test_delivery_gives_up_after_five_retries(receiver):
    receiver.statuses = [500] * 10

    callback = emit()
    delivered()

    assert len(receiver.received) == 1 + callbacks.MAX_RETRIES == 6
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == ("failed", 6)
    assert callback.last_error.startswith("HTTP 500")


def test_retries_wait_the_accelerated_interval(receiver, settings):
    settings.SANDBOX_CALLBACK_RETRY_S = 0.3
    receiver.statuses = [500]

    started = time.monotonic()
    callback = emit()
    time.sleep(0.15)
    callback.refresh_from_db()
    assert callback.status == "pending" and callback.attempts == 1
    assert callback.next_attempt_at is not None
    delivered()

    assert time.monotonic() - started >= 0.3
    assert len(receiver.received) == 2


def test_an_unreachable_receiver_is_retried_too(receiver, settings):
    settings.SANDBOX_CALLBACK_URL = "http://127.0.0.1:9/callbacks/"

    callback = emit()
    delivered()

    callback.refresh_from_db()
    assert callback.status == "failed" and callback.attempts == 6
    assert "ConnectionError" in callback.last_error


def test_a_callback_deleted_by_reset_stops_retrying(receiver, settings):
    settings.SANDBOX_CALLBACK_RETRY_S = 0.3
    receiver.statuses = [500] * 10

    emit()
    time.sleep(0.1)
    Callback.objects.all().delete()
    delivered()

    assert len(receiver.received) == 1


# -- faults ------------------------------------------------------------------------------------
def test_duplicate_fault_delivers_the_same_message_twice(receiver):
    Fault.objects.create(path="TAOBAO_ORDER_*", mode="duplicate_callback", count=1)

    first = emit(1)
    delivered()
    emit(2)
    delivered()

    bodies = receiver.json_bodies()
    assert [b["messageBody"]["seq"] for b in bodies] == [1, 1, 2]
    assert bodies[0]["messageBody"] == bodies[1]["messageBody"]
    first.refresh_from_db()
    assert first.status == "delivered"


def test_reorder_fault_delivers_a_batch_newest_first(receiver):
    Fault.objects.create(path="*", mode="reorder_callbacks", count=3, ms=5000)

    for n in (1, 2, 3):
        emit(n)
    delivered()
    emit(4)  # the fault is used up: straight through
    delivered()

    assert [b["messageBody"]["seq"] for b in receiver.json_bodies()] == [3, 2, 1, 4]
    assert not Callback.objects.filter(held=True).exists()
    assert set(Callback.objects.values_list("status", flat=True)) == {"delivered"}


def test_reorder_fault_without_a_count_releases_after_its_window(receiver):
    Fault.objects.create(path="pandapon", mode="reorder_callbacks", ms=300)

    emit(1)
    emit(2)
    time.sleep(0.1)
    assert receiver.received == []
    assert Callback.objects.filter(held=True).count() == 2
    delivered()

    assert [b["messageBody"]["seq"] for b in receiver.json_bodies()] == [2, 1]


def test_faults_for_other_messages_leave_a_callback_alone(receiver):
    Fault.objects.create(path="ORDER_BUYER_VIEW_*", mode="duplicate_callback")

    emit(1)  # TAOBAO_ORDER_STATUS_MODIFY
    delivered()

    assert len(receiver.received) == 1
    assert Fault.objects.get().hits == 0


# -- with a broker -----------------------------------------------------------------------------
def test_with_a_broker_delivery_goes_through_celery_tasks(receiver, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SANDBOX_CALLBACK_RETRY_S = 7
    queued = []
    monkeypatch.setattr(
        deliver_sandbox_callback,
        "apply_async",
        lambda args=None, countdown=None, **kw: queued.append((args, countdown)),
    )
    receiver.statuses = [500]

    callback = emit()
    assert queued == [((callback.pk,), 0)] and receiver.received == []

    deliver_sandbox_callback.run(callback.pk)  # what the worker runs: fails, queues a retry
    assert queued[-1] == ((callback.pk,), 7)
    deliver_sandbox_callback.run(callback.pk)

    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == ("delivered", 2)
    assert len(queued) == 2


def test_the_delivery_tasks_are_named_and_acknowledged_late():
    assert deliver_sandbox_callback.name == "upstream.sandbox.deliver_callback"
    assert release_held_sandbox_callbacks.name == "upstream.sandbox.release_held_callbacks"
    assert deliver_sandbox_callback.acks_late and release_held_sandbox_callbacks.acks_late
