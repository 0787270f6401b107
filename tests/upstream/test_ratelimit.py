"""The shared token bucket: in memory without Redis, in Redis (one Lua script) with it."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import responses
from django.conf import settings as django_settings

from upstream import accounts, errors, ratelimit
from upstream.client import Account, Transport
from upstream.operations import PANDAPON
from upstream.ratelimit import LocalRateLimiter, NoRateLimit, RedisRateLimiter, default_limiter

requires_redis = pytest.mark.skipif(
    not django_settings.REDIS_URL,
    reason="REDIS_URL is not set: the Redis token bucket needs a Redis server (CI sets REDIS_URL)",
)


def redis_limiter(**kwargs) -> RedisRateLimiter:
    """A limiter on its own keys, so parallel runs and other tests never share a bucket."""
    prefix = f"caigou-test:rate:{uuid.uuid4().hex}:"
    return RedisRateLimiter(url=django_settings.REDIS_URL, key_prefix=prefix, **kwargs)


def local_limiter(**kwargs) -> LocalRateLimiter:
    return LocalRateLimiter(**kwargs)


BOTH = [
    pytest.param(local_limiter, id="local"),
    pytest.param(redis_limiter, id="redis", marks=requires_redis),
]


@pytest.mark.parametrize("make", BOTH)
def test_a_full_bucket_lets_a_burst_through_then_spaces_calls(make):
    limiter = make(rate=10, max_wait=2)

    waits = [limiter.reserve("pandapon:a") for _ in range(12)]

    assert waits[:10] == [0] * 10
    assert 0.05 < waits[10] <= 0.11
    assert 0.15 < waits[11] <= 0.21


@pytest.mark.parametrize("make", BOTH)
def test_past_the_longest_wait_the_caller_is_refused_without_taking_a_token(make):
    limiter = make(rate=10, max_wait=0.25)
    for _ in range(12):  # 10 in the burst, then two queued within 0.25 s
        limiter.reserve("pandapon:a")

    with pytest.raises(errors.RateLimited) as caught:
        limiter.reserve("pandapon:a")

    assert caught.value.retryable and caught.value.code == 429
    assert 0 < caught.value.retry_after <= 0.1
    time.sleep(0.12)  # the refusal took nothing: one token's time later there is room
    assert limiter.reserve("pandapon:a") <= 0.25


@pytest.mark.parametrize("make", BOTH)
def test_accounts_have_their_own_buckets(make):
    limiter = make(rate=5, max_wait=0.1)
    for _ in range(5):
        limiter.reserve("pandapon:a")

    assert limiter.reserve("dajisaas:b") == 0


@pytest.mark.parametrize("make", BOTH)
def test_acquire_waits_for_its_token(make):
    limiter = make(rate=20, max_wait=1)
    for _ in range(20):
        limiter.acquire("pandapon:a")

    started = time.monotonic()
    limiter.acquire("pandapon:a")
    limiter.acquire("pandapon:a")

    assert 0.07 < time.monotonic() - started < 0.3


@pytest.mark.parametrize("make", BOTH)
def test_concurrent_callers_are_held_to_the_rate(make):
    limiter = make(rate=50, max_wait=5)
    for _ in range(50):
        limiter.reserve("pandapon:a")  # empty the bucket
    started = time.monotonic()

    threads = [threading.Thread(target=limiter.acquire, args=("pandapon:a",)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert time.monotonic() - started >= 20 / 50 - 0.03  # 20 tokens at 50/s


@requires_redis
def test_every_process_draws_from_the_same_redis_bucket():
    # Two limiters with the same keys stand for two processes (or machines).
    first = redis_limiter(rate=10, max_wait=0)
    second = RedisRateLimiter(
        url=django_settings.REDIS_URL, key_prefix=first.key_prefix, rate=10, max_wait=0
    )
    for _ in range(5):
        first.reserve("pandapon:a")
        second.reserve("pandapon:a")

    with pytest.raises(errors.RateLimited):
        second.reserve("pandapon:a")
    with pytest.raises(errors.RateLimited):
        first.reserve("pandapon:a")


def test_an_unreachable_redis_falls_back_to_a_bucket_in_this_process(caplog):
    limiter = RedisRateLimiter(url="redis://127.0.0.1:9/0", rate=2, max_wait=0)

    assert limiter.reserve("pandapon:a") == 0
    assert limiter.reserve("pandapon:a") == 0
    with pytest.raises(errors.RateLimited):
        limiter.reserve("pandapon:a")
    assert "Redis unavailable" in caplog.text


def test_the_settings_choose_the_limiter(settings):
    settings.REDIS_URL = ""
    settings.UPSTREAM_RATE_LIMIT_PER_S, settings.UPSTREAM_RATE_LIMIT_WAIT_S = 7, 0.5
    local = default_limiter()
    assert isinstance(local, LocalRateLimiter)
    assert (local.rate, local.burst, local.max_wait) == (7, 7, 0.5)
    assert default_limiter() is local  # one bucket per process and configuration

    settings.UPSTREAM_RATE_LIMIT_PER_S = 0
    assert isinstance(default_limiter(), NoRateLimit)

    settings.UPSTREAM_RATE_LIMIT_PER_S = 10
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    assert isinstance(default_limiter(), RedisRateLimiter)


def test_account_transports_share_the_default_limiter(settings):
    settings.UPSTREAM_RATE_LIMIT_PER_S = 10
    limiter = default_limiter()

    assert accounts.pandapon().transport.rate_limiter is limiter
    assert accounts.dajisaas().transport.rate_limiter is limiter


@responses.activate
def test_the_transport_takes_a_token_per_attempt_and_surfaces_refusals():
    account = Account(provider=PANDAPON, base_url="https://pp.test", key="k", secret="s")
    responses.get("https://pp.test/open/product/get", json={"code": 200, "data": {}})
    limiter = LocalRateLimiter(rate=2, max_wait=0)
    transport = Transport(account, rate_limiter=limiter)

    transport.call("taobao_product_get", {"itemId": "1"})
    transport.call("taobao_product_get", {"itemId": "1"})
    with pytest.raises(errors.RateLimited) as caught:
        transport.call("taobao_product_get", {"itemId": "1"})

    assert caught.value.operation == "taobao_product_get"
    assert len(responses.calls) == 2


def test_rate_limited_is_retryable():
    assert issubclass(errors.RateLimited, errors.RetryableError)
    assert ratelimit.KEY_PREFIX.startswith("caigou:")
