"""What staff read when the upstream fails: one plain sentence, never a server error page."""

from __future__ import annotations

from upstream import errors


def upstream_message(exc: errors.UpstreamError) -> str:
    """A sentence for a person, naming what to do next; the upstream's own words where useful."""
    if isinstance(exc, errors.RateLimited):
        return "The upstream is busy (rate limited). Wait a few seconds and try again."
    if isinstance(exc, errors.UpstreamTimeout):
        return "The upstream did not answer in time. Try again in a moment."
    if isinstance(exc, errors.ConnectionFailed | errors.UpstreamUnavailable):
        return "The upstream is not reachable right now. Try again in a moment."
    if isinstance(exc, errors.AuthenticationFailed):
        return "The upstream refused our credentials. An administrator must check the account."
    if isinstance(exc, errors.NotFound):
        return "The upstream has no such item (it may have been delisted)."
    if isinstance(exc, errors.InvalidResponse):
        return "The upstream answered with something we could not read. Try again later."
    detail = f" (upstream request {exc.request_id})" if exc.request_id else ""
    return f"The upstream refused: {exc.msg}{detail}"
