"""What staff read when the upstream fails: one plain sentence, never a server error page."""

from __future__ import annotations

from django.utils.translation import gettext_noop

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


# A failed call in Caigou's words, by the kind of failure (the first that matches).
FAILURES: tuple[tuple[type[errors.UpstreamError], str], ...] = (
    (errors.RateLimited, gettext_noop("the upstream is rate limiting us")),
    (errors.UpstreamTimeout, gettext_noop("the upstream did not answer in time")),
    (errors.ConnectionFailed, gettext_noop("the connection to the upstream broke")),
    (errors.UpstreamUnavailable, gettext_noop("the upstream is not reachable")),
    (errors.InvalidResponse, gettext_noop("the upstream's answer could not be read")),
)
# The refusals a person can act on (services/orders/outcomes.py: KNOWN_REFUSALS), in words.
REFUSALS: tuple[tuple[type[errors.UpstreamError], str], ...] = (
    (errors.PriceChanged, gettext_noop("the price changed since the preview")),
    (errors.OutOfStock, gettext_noop("not enough stock")),
    (errors.OfferUnavailable, gettext_noop("the goods are no longer offered")),
    (errors.SkuLimitExceeded, gettext_noop("too many SKUs in one supplier order")),
    (errors.InsufficientBalance, gettext_noop("the account's balance is too low")),
    (errors.StateForbids, gettext_noop("the order's state upstream does not allow it")),
    (errors.AuthenticationFailed, gettext_noop("the upstream refused our account")),
    (errors.PermissionDenied, gettext_noop("the upstream refused our account")),
)


def what_happened(exc: errors.UpstreamError) -> str:
    """A failed call as a timeline says it: the failure in Caigou's words (a refusal with the
    upstream's own words after them). The code, the operation and the request id stay in the
    call journal, found by the entry's request id or by the reference the call carried."""
    words = _words_for(exc, FAILURES)
    return words if words is not None else refusal(exc)


def refusal(exc: errors.UpstreamError) -> str:
    """Why the upstream refused a create or a payment a person can act on: Caigou's words for
    a refusal it knows, then the upstream's own, which are its to choose (and Chinese, from the
    agents)."""
    why = _words_for(exc, REFUSALS)
    if why is None:
        return exc.msg
    return _("%(why)s (the upstream said: %(said)s)") % {"why": why, "said": exc.msg}


def _words_for(
    exc: errors.UpstreamError, table: tuple[tuple[type[errors.UpstreamError], str], ...]
) -> str | None:
    """The words of the first kind in `table` that `exc` is, as a phrase; None for none."""
    return next((_(msgid) for kind, msgid in table if isinstance(exc, kind)), None)
