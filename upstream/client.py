"""The signed transport: one requests session per account, mandatory timeouts, signing,
envelope parsing, typed errors, retries for reads only, a shared rate limit and the call journal.

Only the domain classes in `upstream.pandapon` and `upstream.dajisaas` call `Transport.call`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from urllib3 import exceptions as urllib3_errors

from upstream import errors, logcontext, wire
from upstream.operations import DAJISAAS, PANDAPON, Kind, Operation, operation
from upstream.signing import (
    DEFAULT_PANDAPON_SECRET_KEY,
    DEFAULT_PANDAPON_SIGN_FIELDS,
    dajisaas_sign,
    pandapon_headers,
)

logger = logging.getLogger(__name__)

# Failures that happen before a single byte of the request left: safe to call "not sent".
_NOT_SENT = (
    urllib3_errors.NewConnectionError,
    urllib3_errors.ConnectTimeoutError,
    urllib3_errors.NameResolutionError,
)


@dataclass(frozen=True)
class Account:
    """One upstream account: where it is and how it signs."""

    provider: str  # PANDAPON or DAJISAAS
    base_url: str
    key: str  # PandaPon access-key, Dajisaas appKey
    secret: str
    user_id: str = ""  # PandaPon user-id (sub-account)
    sign_fields: tuple[str, ...] = DEFAULT_PANDAPON_SIGN_FIELDS
    sign_secret_key: str = DEFAULT_PANDAPON_SECRET_KEY

    @property
    def label(self) -> str:
        """How the journal and the rate limiter name this account (never the secret)."""
        return f"{self.provider}:{self.key}"


@dataclass
class Reply:
    """A successful upstream answer: the envelope's `data`, and what identifies the call."""

    data: Any
    request_id: str
    code: int | str
    envelope: dict = field(repr=False)
    duration_ms: float = 0.0


class RateLimiter(Protocol):
    def acquire(self, account: str) -> None:
        """Wait briefly for a token, or raise errors.RateLimited."""


class Journal(Protocol):
    def record(self, entry: CallRecord) -> None:
        """Keep one call for the people who read it later."""


@dataclass
class CallRecord:
    """Everything the journal keeps of one call (bodies redacted by the journal)."""

    operation: str
    account: str
    method: str
    url: str
    outer_ref: str
    request_body: Any
    duration_ms: float
    http_status: int | None = None
    code: int | str | None = None
    request_id: str = ""
    response_body: Any = None
    error: str = ""
    attempt: int = 1


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter, for reads only."""

    attempts: int = 3
    base_s: float = 0.2
    cap_s: float = 2.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap_s, self.base_s * 2 ** (attempt - 1)))


class Transport:
    """Signs, sends and parses upstream calls for one account.

    Timeouts are mandatory: every request carries (connect, read). A rate limiter, when given,
    hands out one token per attempt; a journal, when given, keeps every attempt.
    """

    def __init__(
        self,
        account: Account,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 15.0,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        journal: Journal | None = None,
        session: requests.Session | None = None,
    ) -> None:
        for name, value in (("connect_timeout", connect_timeout), ("read_timeout", read_timeout)):
            if value is None or value <= 0:
                # A request without a timeout can hang a worker forever: refuse to build one.
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
        self.account = account
        self.timeout = (float(connect_timeout), float(read_timeout))
        self.retry = retry or RetryPolicy()
        self.rate_limiter = rate_limiter
        self.journal = journal
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "Caigou/1.0"

    # -- public ---------------------------------------------------------------------------
    def call(
        self,
        op: Operation | str,
        params: Mapping[str, Any] | None = None,
        *,
        outer_ref: str = "",
        files: Mapping[str, Any] | None = None,
    ) -> Reply:
        """Call one operation; return its Reply or raise an errors.UpstreamError subclass.

        Reads are retried on retryable errors; creates, payments and writes never are: their
        failures carry `outcome_unknown` when the upstream may have acted on them.
        """
        op = operation(op) if isinstance(op, str) else op
        if op.provider != self.account.provider:
            raise ValueError(f"{op.name} is a {op.provider} operation, not {self.account.provider}")
        attempts = max(1, self.retry.attempts) if op.kind is Kind.READ else 1
        for attempt in range(1, attempts + 1):
            # Our own limiter already made the caller wait: its refusal goes straight back.
            self._acquire(op)
            try:
                with logcontext.bound(order_ref=outer_ref):
                    return self._call_once(op, dict(params or {}), outer_ref, files, attempt)
            except errors.RetryableError as exc:
                if attempt >= attempts:
                    raise
                delay = self.retry.delay(attempt)
                if isinstance(exc, errors.RateLimited) and exc.retry_after:
                    delay = max(delay, min(exc.retry_after, self.retry.cap_s))
                logger.info(
                    "upstream %s attempt %d failed (%s); retrying in %.2fs",
                    op.name,
                    attempt,
                    type(exc).__name__,
                    delay,
                )
                time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- one attempt ----------------------------------------------------------------------
    def _acquire(self, op: Operation) -> None:
        if self.rate_limiter is None:
            return
        try:
            self.rate_limiter.acquire(self.account.label)
        except errors.RateLimited as exc:
            exc.operation = exc.operation or op.name
            raise

    def _call_once(
        self,
        op: Operation,
        params: dict[str, Any],
        outer_ref: str,
        files: Mapping[str, Any] | None,
        attempt: int,
    ) -> Reply:
        path = op.path
        for name in op.path_params:
            path = path.replace("{" + name + "}", str(params.pop(name)))
        url = self.account.base_url.rstrip("/") + path
        kwargs = self._signed_request(op, params, files)
        record = CallRecord(
            operation=op.name,
            account=self.account.label,
            method=op.method,
            url=url,
            outer_ref=outer_ref,
            request_body=params,
            duration_ms=0.0,
            attempt=attempt,
        )
        started = time.monotonic()
        try:
            response = self.session.request(op.method, url, timeout=self.timeout, **kwargs)
            record.http_status = response.status_code
            record.response_body = body = wire.body_of(response)
            reply = self._parse(op, response, body)
        except errors.UpstreamError as exc:
            record.error = f"{type(exc).__name__}: {exc.msg}"
            record.code, record.request_id = exc.code, exc.request_id
            raise
        except requests.RequestException as exc:
            error = self._transport_error(op, exc)
            record.error = f"{type(error).__name__}: {error.msg}"
            raise error from exc
        except Exception as exc:
            record.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            record.duration_ms = round((time.monotonic() - started) * 1000, 1)
            if record.error:
                logger.warning(
                    "upstream %s %s failed in %.0f ms: %s (request %s, outer ref %s)",
                    op.name,
                    self.account.label,
                    record.duration_ms,
                    record.error,
                    record.request_id or "-",
                    outer_ref or "-",
                )
                self._journal(record)
        record.code, record.request_id = reply.code, reply.request_id
        reply.duration_ms = record.duration_ms
        self._journal(record)
        return reply

    def _journal(self, record: CallRecord) -> None:
        """Keep the call; a journal that fails must never fail the call it describes."""
        if self.journal is None:
            return
        try:
            self.journal.record(record)
        except Exception:
            logger.exception("could not journal upstream call %s", record.operation)

    def _signed_request(
        self, op: Operation, params: dict[str, Any], files: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        account = self.account
        if account.provider == PANDAPON:
            headers = pandapon_headers(
                account.key,
                account.secret,
                account.user_id,
                fields=account.sign_fields,
                secret_key=account.sign_secret_key,
            )
            kwargs: dict[str, Any] = {"headers": headers}
            query: dict[str, Any] = {}
            if op.signed_query:
                query = {"timestamp": headers["timestamp"], "sign": headers["signature"]}
            if op.method == "GET":
                kwargs["params"] = {**wire.flat_params(params), **query}
            else:
                if query:
                    kwargs["params"] = query
                if op.multipart or op.form:
                    kwargs["data"] = wire.flat_params(params)
                    kwargs["files"] = files
                else:
                    kwargs["json"] = params
            return kwargs
        if account.provider == DAJISAAS:
            flat = op.method == "GET" or op.form or op.multipart
            signed = wire.flat_params(params) if flat else dict(params)
            signed["appKey"] = account.key
            signed["sign"] = dajisaas_sign(signed, account.secret)
            if op.method == "GET":
                return {"params": signed}
            if flat:
                return {"data": signed, "files": files}
            return {"json": signed}
        raise ValueError(f"unknown provider {account.provider}")

    # -- answers --------------------------------------------------------------------------
    def _parse(self, op: Operation, response: requests.Response, body: Any = None) -> Reply:
        status = response.status_code
        uncertain = op.kind is not Kind.READ
        envelope = body if isinstance(body, dict) else None
        if status == 429:
            retry_after = wire.as_float(response.headers.get("Retry-After"))
            raise errors.RateLimited(
                "The upstream is rate limiting us",
                code=429,
                http_status=status,
                operation=op.name,
                retry_after=retry_after,
                request_id=wire.request_id_of(envelope),
            )
        if status >= 500:
            raise errors.UpstreamUnavailable(
                f"The upstream answered HTTP {status}",
                code=status,
                http_status=status,
                operation=op.name,
                outcome_unknown=uncertain,
                request_id=wire.request_id_of(envelope),
            )
        if not isinstance(envelope, dict) or "code" not in envelope:
            raise errors.InvalidResponse(
                f"The upstream answered HTTP {status} without its envelope",
                http_status=status,
                operation=op.name,
                outcome_unknown=uncertain,
            )
        request_id = wire.request_id_of(envelope)
        code = envelope.get("code")
        message = str(envelope.get("msg") or envelope.get("message") or "")
        if wire.as_int(code) != 200:
            error_type = errors.error_for_code(code)
            extra: dict[str, Any] = {}
            if error_type is errors.RateLimited:
                extra["retry_after"] = wire.as_float(response.headers.get("Retry-After"))
            raise error_type(
                message or f"The upstream refused with code {code}",
                code=code,
                request_id=request_id,
                operation=op.name,
                http_status=status,
                outcome_unknown=uncertain and error_type is errors.UpstreamUnavailable,
                **extra,
            )
        data = envelope.get("data")
        wire.raise_for_inner_refusal(
            op,
            data,
            provider=self.account.provider,
            message=message,
            request_id=request_id,
            status=status,
        )
        return Reply(data=data, request_id=request_id, code=code, envelope=envelope)

    def _transport_error(
        self, op: Operation, exc: requests.RequestException
    ) -> errors.UpstreamError:
        """Map a requests failure; `outcome_unknown` for any non-read that may have been sent."""
        sent = op.kind is not Kind.READ
        if isinstance(exc, requests.ConnectTimeout) or (
            isinstance(exc, requests.ConnectionError) and _never_sent(exc)
        ):
            timed_out = isinstance(exc, requests.ConnectTimeout)
            return (errors.UpstreamTimeout if timed_out else errors.ConnectionFailed)(
                "Timed out connecting to the upstream"
                if timed_out
                else f"Could not connect to the upstream ({type(exc).__name__})",
                operation=op.name,
                outcome_unknown=False,
            )
        read_timeout = isinstance(exc, requests.ReadTimeout)
        if read_timeout or _caused_by(exc, urllib3_errors.ReadTimeoutError):
            # The request went out; the upstream may be committing it right now.
            return errors.UpstreamTimeout(
                "The upstream did not answer in time", operation=op.name, outcome_unknown=sent
            )
        # Connection reset or closed mid-response (ChunkedEncodingError, ProtocolError...).
        return errors.ConnectionFailed(
            f"The connection to the upstream broke ({type(exc).__name__})",
            operation=op.name,
            outcome_unknown=sent,
        )


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (requests keeps urllib3's error in args, urllib3 in
    `reason`) and its explicit causes; not `__context__`, which may be an unrelated error."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))
        todo.extend((current.__cause__, getattr(current, "reason", None)))
    return seen


def _caused_by(exc: BaseException, types: type | tuple[type, ...]) -> bool:
    return any(isinstance(link, types) for link in _chain(exc))


def _never_sent(exc: requests.ConnectionError) -> bool:
    """True only when the connection itself failed, so the request cannot have been sent."""
    return _caused_by(exc, _NOT_SENT)
