"""With a broker, the applier is woken after the callback's 200 has gone out, when the server
closes the response: the upstream never waits on Redis, and the message is stored before."""

from __future__ import annotations

import json

import pytest
import redis
from django.core.cache import cache
from django.test import RequestFactory

from config.celery_app import app as celery_app
from purchasing.callbacks import views
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


def test_the_drain_is_queued_once_the_answer_is_closed(paid, broker):
    response = views.pandapon(signed_request(paid))

    assert response.status_code == 200
    assert json.loads(response.content) == {"ok": True, "duplicate": False}
    assert UpstreamMessage.objects.filter(applied_at__isnull=True).count() == 1
    assert queued(broker) == [] and cache.get(DRAIN_QUEUED) is None

    response.close()  # what the server does after sending it

    assert queued(broker) == ["purchasing.apply_pending_messages"]
    assert cache.get(DRAIN_QUEUED) == 1
