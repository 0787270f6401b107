"""Where a form sends a person back to: the page it came from (a `next` field or the Referer),
only if that is a page of this site."""

from __future__ import annotations

import unicodedata

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def page_of_this_site(request: HttpRequest, target: str) -> str:
    """`target` when it is a page of this site (a path, or an address on this host), else "".

    A bare word ("abc") is refused too: `redirect()` would take it for a view's name, and a
    control character anywhere would make the Location header itself refused."""
    if not target or any(unicodedata.category(char) == "Cc" for char in target):
        return ""
    if not target.startswith("/") and "://" not in target:
        return ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return target
