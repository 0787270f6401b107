"""With a broker, the applier is woken by the web process's waker thread, never in the request:
the upstream never waits on Redis, the message is stored before, and a burst of callbacks
costs one wake."""

from __future__ import annotations

import json
import time
from unittest import mock

import pytest
import redis
from django.core.cache import cache
from django.test import RequestFactory

from config.celery_app import app as celery_app
from purchasing.callbacks import views, waker
from purchasing.models import UpstreamMessage
from purchasing.tasks import DRAIN_QUEUED
from tests.orders.factories import taobao_status
from upstream.accounts import pandapon_account
from upstream.signing import now_ms, pandapon_headers


def signed_request(order):
    account = pandapon_account()
    headers = pandapon_headers(
        account.key,
        account.secret,
        account.user_id,
        fields=account.sign_fields,
        secret_key=account.sign_secret_key,
    )
    body = {
        "messageType": "TAOBAO_ORDER_STATUS_MODIFY",
        "messageBody": taobao_status(order, "WAIT_BUYER_CONFIRM_GOODS", int(now_ms())),
        "messagePlatform": 0,
    }
    return RequestFactory().post(
        "/callbacks/pandapon/", json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def broker(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL) as the broker")
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("callbacks")
    cache.delete(DRAIN_QUEUED)
    celery_app.conf.task_always_eager = False
    yield client
    celery_app.conf.task_always_eager = True
    client.delete("callbacks")
    # The flag outlives the test in Redis: left set, it would keep the next tests' drains from
    # being asked for during its 10 seconds.
    cache.delete(DRAIN_QUEUED)


def queued(broker) -> list[str]:
    return [json.loads(raw)["headers"]["task"] for raw in broker.lrange("callbacks", 0, -1)]


def drain_queued(broker, timeout: float = 5.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while not queued(broker) and time.monotonic() < deadline:
        time.sleep(0.01)
    return queued(broker)


def test_the_request_answers_without_waking_and_the_waker_queues_one_drain(paid, broker):
    unwoken = mock.patch.object(views.waker, "mark")  # the request alone: nothing is woken
    with unwoken as mark:
        response = views.pandapon(signed_request(paid))
    assert response.status_code == 200
    assert json.loads(response.content) == {"ok": True, "duplicate": False}
    assert UpstreamMessage.objects.filter(applied_at__isnull=True).count() == 1
    assert mark.call_count == 1 and queued(broker) == [] and cache.get(DRAIN_QUEUED) is None

    for _ in range(5):  # a burst: each marks, the waker wakes once
        views.waker.mark()

    assert drain_queued(broker) == ["purchasing.apply_pending_messages"]
    assert cache.get(DRAIN_QUEUED) == 1
    time.sleep(5 * waker.WAKE_EVERY_S)
    assert queued(broker) == ["purchasing.apply_pending_messages"]


def test_a_forked_process_starts_a_waker_of_its_own(broker, monkeypatch):
    ours = waker.Waker()
    ours.mark()
    first = ours._pid
    monkeypatch.setattr(waker.os, "getpid", lambda: first + 1)  # as a forked worker sees it
    ours.mark()
    assert ours._pid == first + 1
    assert drain_queued(broker) == ["purchasing.apply_pending_messages"]
