"""What staff read when the upstream fails: one plain sentence, never a server error page."""

from __future__ import annotations

# Phrases: a sentence kept on a timeline or in an evidence pack is said in each reader's language.
from purchasing.phrases import gettext as _
from upstream import errors


def upstream_message(exc: errors.UpstreamError) -> str:
    """A sentence for a person, naming what to do next; the upstream's own words where useful."""
    if isinstance(exc, errors.RateLimited):
        return _("The upstream is busy (rate limited). Wait a few seconds and try again.")
    if isinstance(exc, errors.UpstreamTimeout):
        return _("The upstream did not answer in time. Try again in a moment.")
    if isinstance(exc, errors.ConnectionFailed | errors.UpstreamUnavailable):
        return _("The upstream is not reachable right now. Try again in a moment.")
    if isinstance(exc, errors.AuthenticationFailed):
        return _("The upstream refused our credentials. An administrator must check the account.")
    if isinstance(exc, errors.NotFound):
        return _("The upstream has no such item (it may have been delisted).")
    if isinstance(exc, errors.InvalidResponse):
        return _("The upstream answered with something we could not read. Try again later.")
    if exc.request_id:
        return _("The upstream refused: %(message)s (upstream request %(request)s)") % {
            "message": exc.msg,
            "request": exc.request_id,
        }
    return _("The upstream refused: %(message)s") % {"message": exc.msg}


def what_happened(exc: errors.UpstreamError) -> str:
    """A failed call as a timeline says it: the failure in Caigou's words (a refusal with the
    upstream's own words after them). The code, the operation and the request id stay in the
    call journal, found by the entry's request id or by the reference the call carried."""
    if isinstance(exc, errors.RateLimited):
        return _("the upstream is rate limiting us")
    if isinstance(exc, errors.UpstreamTimeout):
        return _("the upstream did not answer in time")
    if isinstance(exc, errors.ConnectionFailed):
        return _("the connection to the upstream broke")
    if isinstance(exc, errors.UpstreamUnavailable):
        return _("the upstream is not reachable")
    if isinstance(exc, errors.InvalidResponse):
        return _("the upstream's answer could not be read")
    return refusal(exc)


def refusal(exc: errors.UpstreamError) -> str:
    """Why the upstream refused a create or a payment a person can act on: Caigou's words for
    a refusal it knows (services/orders/outcomes.py: KNOWN_REFUSALS), then the upstream's own,
    which are its to choose (and Chinese, from the agents)."""
    why = _refusal_words(exc)
    if why is None:
        return exc.msg
    return _("%(why)s (the upstream said: %(said)s)") % {"why": why, "said": exc.msg}


def _refusal_words(exc: errors.UpstreamError) -> str | None:
    if isinstance(exc, errors.PriceChanged):
        return _("the price changed since the preview")
    if isinstance(exc, errors.OutOfStock):
        return _("not enough stock")
    if isinstance(exc, errors.OfferUnavailable):
        return _("the goods are no longer offered")
    if isinstance(exc, errors.SkuLimitExceeded):
        return _("too many SKUs in one supplier order")
    if isinstance(exc, errors.InsufficientBalance):
        return _("the account's balance is too low")
    if isinstance(exc, errors.StateForbids):
        return _("the order's state upstream does not allow it")
    if isinstance(exc, errors.AuthenticationFailed | errors.PermissionDenied):
        return _("the upstream refused our account")
    return None
