"""What a failed create or pay call means for the order (DESIGN.md rule 7: unknown is unknown).

Only what certainly did not happen may fail an order, and only a refusal a person can act on
goes back to a person; an answer we cannot read, or an error code we do not know, may hide an
order or a payment that did happen, so it is an unknown outcome, settled by a look-up.
"""

from __future__ import annotations

from enum import StrEnum

from upstream import errors


class Outcome(StrEnum):
    UNKNOWN = "unknown"  # it may have happened: look it up before anything else
    RETRY = "retry"  # certainly not done yet (never sent, rate limited): try again later
    PERSON = "person"  # a refusal a person can act on (price, stock, limits, balance, account)
    FAILED = "failed"  # certainly not done, and trying again will not change that


# Refusals the upstream documents (or we do) and a person can act on.
KNOWN_REFUSALS: tuple[type[errors.UpstreamError], ...] = (
    errors.PriceChanged,
    errors.OutOfStock,
    errors.OfferUnavailable,
    errors.SkuLimitExceeded,
    errors.StateForbids,
    errors.InsufficientBalance,
    errors.AuthenticationFailed,
    errors.PermissionDenied,
)
# Refused before anything was done, for good: the request itself was wrong.
CERTAIN_FAILURES: tuple[type[errors.UpstreamError], ...] = (errors.BadRequest, errors.NotFound)


def outcome_of(exc: errors.UpstreamError) -> Outcome:
    """What a failed create or pay call means. An unknown error code arrives as a plain
    BusinessError (upstream/errors.py: error_for_code), and is unknown here too."""
    if exc.outcome_unknown:
        return Outcome.UNKNOWN
    if isinstance(exc, KNOWN_REFUSALS):
        return Outcome.PERSON
    if exc.retryable:
        return Outcome.RETRY
    if isinstance(exc, CERTAIN_FAILURES):
        return Outcome.FAILED
    return Outcome.UNKNOWN


def unreadable(operation: str, what: str) -> errors.InvalidResponse:
    """An answer that came back in the envelope but does not say what happened."""
    return errors.InvalidResponse(
        f"The upstream's answer did not say {what}", operation=operation, outcome_unknown=True
    )
