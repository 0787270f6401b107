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
