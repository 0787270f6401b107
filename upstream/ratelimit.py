"""A token bucket per upstream account, shared by every process that calls the upstream.

With REDIS_URL set the bucket lives in Redis and one Lua script takes a token atomically, so
gunicorn workers and Celery workers on any machine draw from the same bucket (the script reads
Redis's clock, not ours). Without Redis the bucket is in this process's memory.

A caller that finds the bucket empty reserves the next free token and sleeps until it is due,
provided that is within UPSTREAM_RATE_LIMIT_WAIT_S; otherwise it gets errors.RateLimited
(retryable) at once, without taking a token, instead of queueing behind everybody else.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

from upstream import errors

logger = logging.getLogger(__name__)

KEY_PREFIX = "caigou:upstream-rate:"

# KEYS[1]: the account's bucket. ARGV: rate (tokens/s), burst (capacity), max wait (s).
# Returns microseconds to wait for the reserved token (0: go now), or -(microseconds) until a
# token could be reserved when that is beyond the max wait (nothing is taken then).
TAKE_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3]) * 1000000
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000000)
local wait = 0
if tokens < 1 then
  wait = math.ceil((1 - tokens) * 1000000 / rate)
end
local function save(left)
  local stamp = string.format('%.0f', now)
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', left), 'ts', stamp)
  local refill_ms = math.ceil((burst - left) / rate * 1000)
  redis.call('PEXPIRE', KEYS[1], refill_ms + 1000)
end
if wait > max_wait then
  save(tokens)
  return -math.max(wait - max_wait, 1)
end
save(tokens - 1)
return wait
"""


def _refused(account: str, retry_after: float) -> errors.RateLimited:
    return errors.RateLimited(
        f"Too many upstream calls for {account}: try again shortly",
        code=429,
        retry_after=round(retry_after, 3),
    )


class LocalRateLimiter:
    """The bucket in this process's memory (no Redis): shared by its threads only."""

    def __init__(self, *, rate: float, burst: float | None = None, max_wait: float = 2.0) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(1.0, rate))
        self.max_wait = float(max_wait)
        self._buckets: dict[str, tuple[float, float]] = {}  # account -> (tokens, monotonic ts)
        self._lock = threading.Lock()

    def reserve(self, account: str) -> float:
        """Seconds until the token taken is due; raises RateLimited beyond the max wait."""
        with self._lock:
            now = time.monotonic()
            tokens, ts = self._buckets.get(account, (self.burst, now))
            tokens = min(self.burst, tokens + (now - ts) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            if wait > self.max_wait:
                self._buckets[account] = (tokens, now)
                raise _refused(account, wait - self.max_wait)
            self._buckets[account] = (tokens - 1, now)
            return wait

    def acquire(self, account: str) -> None:
        wait = self.reserve(account)
        if wait > 0:
            time.sleep(wait)


class RedisRateLimiter:
    """The bucket in Redis, shared by every process and machine using the same REDIS_URL.

    If Redis cannot be reached the limiter falls back to a bucket in this process (and logs
    it), so an outage of the limiter's store slows nobody down to zero.
    """

    def __init__(
        self,
        *,
        url: str,
        rate: float,
        burst: float | None = None,
        max_wait: float = 2.0,
        key_prefix: str = KEY_PREFIX,
    ) -> None:
        import redis

        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(1.0, rate))
        self.max_wait = float(max_wait)
        self.key_prefix = key_prefix
        self._redis_errors = (redis.RedisError, OSError)
        self._client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self._script = self._client.register_script(TAKE_SCRIPT)
        self._fallback = LocalRateLimiter(rate=rate, burst=burst, max_wait=max_wait)

    def reserve(self, account: str) -> float:
        try:
            result = int(
                self._script(
                    keys=[self.key_prefix + account], args=[self.rate, self.burst, self.max_wait]
                )
            )
        except self._redis_errors:
            logger.warning("rate limiter: Redis unavailable, limiting in this process only")
            return self._fallback.reserve(account)
        if result < 0:
            raise _refused(account, -result / 1_000_000)
        return result / 1_000_000

    def acquire(self, account: str) -> None:
        wait = self.reserve(account)
        if wait > 0:
            time.sleep(wait)


class NoRateLimit:
    """UPSTREAM_RATE_LIMIT_PER_S = 0: no limit (benchmarks)."""

    def acquire(self, account: str) -> None:
        return None


RateLimiterType = LocalRateLimiter | RedisRateLimiter | NoRateLimit
_limiters: dict[tuple, RateLimiterType] = {}
_lock = threading.Lock()


def _build(redis_url: str, rate: float, max_wait: float) -> RateLimiterType:
    if rate <= 0:
        return NoRateLimit()
    if redis_url:
        return RedisRateLimiter(url=redis_url, rate=rate, max_wait=max_wait)
    return LocalRateLimiter(rate=rate, max_wait=max_wait)


def default_limiter() -> RateLimiterType:
    """The process's limiter for the current settings (one per configuration, kept)."""
    config = (
        settings.REDIS_URL,
        float(settings.UPSTREAM_RATE_LIMIT_PER_S),
        float(settings.UPSTREAM_RATE_LIMIT_WAIT_S),
    )
    with _lock:
        limiter = _limiters.get(config)
        if limiter is None:
            limiter = _limiters[config] = _build(*config)
        return limiter
