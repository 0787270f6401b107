"""What can go wrong when Caigou calls the upstream, as types callers can act on.

RetryableError: try again later (network, timeout, HTTP 5xx, rate limit, codes 500/503).
FinalError: the upstream said no; retrying will not change the answer.
`outcome_unknown` is True when the request may have been carried out upstream (a timeout after
sending, a 5xx, a dropped response): a create or pay must then be looked up, never repeated.
"""

from __future__ import annotations


class UpstreamError(Exception):
    """An upstream call failed. Carries the upstream's code, message and request id."""

    retryable = False

    def __init__(
        self,
        msg: str,
        *,
        code: int | str | None = None,
        request_id: str = "",
        operation: str = "",
        http_status: int | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(msg)
        self.msg = msg
        self.code = code
        self.request_id = request_id
        self.operation = operation
        self.http_status = http_status
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        where = f" [{self.operation}]" if self.operation else ""
        code = f" (code {self.code})" if self.code is not None else ""
        rid = f" request {self.request_id}" if self.request_id else ""
        return f"{self.msg}{code}{where}{rid}"


class RetryableError(UpstreamError):
    retryable = True


class ConnectionFailed(RetryableError):
    """Could not connect or the connection broke. `outcome_unknown` if it broke after sending."""


class UpstreamTimeout(RetryableError):
    """No answer in time. A read timeout means the request may have been carried out."""


class UpstreamUnavailable(RetryableError):
    """HTTP 5xx or envelope code 500/503: the upstream failed, maybe after committing."""


class RateLimited(RetryableError):
    """Too many calls: ours (shared token bucket) or the upstream's (429)."""

    def __init__(self, msg: str, *, retry_after: float | None = None, **kwargs) -> None:
        super().__init__(msg, **kwargs)
        self.retry_after = retry_after


class FinalError(UpstreamError):
    pass


class BadRequest(FinalError):
    """400: a parameter is missing or malformed (the message names it)."""


class AuthenticationFailed(FinalError):
    """401: bad signature, stale timestamp or unknown credentials."""


class PermissionDenied(FinalError):
    """403: the account may not do this."""


class NotFound(FinalError):
    """404: no such record upstream."""


class InvalidResponse(FinalError):
    """The answer was not the documented envelope. For a create it may still have been done."""


class BusinessError(FinalError):
    """The upstream refused for a business reason (stock, price, state, balance)."""


class OutOfStock(BusinessError):
    """1001."""


class PriceChanged(BusinessError):
    """1002."""


class OfferUnavailable(BusinessError):
    """1003."""


class SkuLimitExceeded(BusinessError):
    """1004: more than 50 SKUs in one supplier order."""


class StateForbids(BusinessError):
    """1005: the order's state does not allow this action."""


class InsufficientBalance(BusinessError):
    """1006."""


CODE_ERRORS: dict[int, type[UpstreamError]] = {
    400: BadRequest,
    401: AuthenticationFailed,
    403: PermissionDenied,
    404: NotFound,
    429: RateLimited,
    500: UpstreamUnavailable,
    503: UpstreamUnavailable,
    1001: OutOfStock,
    1002: PriceChanged,
    1003: OfferUnavailable,
    1004: SkuLimitExceeded,
    1005: StateForbids,
    1006: InsufficientBalance,
}


def error_for_code(code: int | str | None) -> type[UpstreamError]:
    """The exception type for an envelope code; unknown codes are final business errors."""
    try:
        return CODE_ERRORS.get(int(code), BusinessError)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return BusinessError
