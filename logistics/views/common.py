"""What the logistics pages share: the permission, refusals as sentences, paging links, and
who each line at the warehouse was bought for."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from logistics.services import Busy
from logistics.signals import line_customers_wanted
from purchasing.models import PurchaseOrderLine
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

PERM = "purchasing.manage_logistics"
PAGE_SIZE = 25


def problem_text(exc: Exception) -> str:
    """An exception as a sentence for a person."""
    if isinstance(exc, UpstreamError):
        return upstream_message(exc)
    if isinstance(exc, Busy):
        return _("The booking call may still be in flight. Try again in a minute.")
    text = str(exc)
    if text.endswith((".", "。")):
        return text[:1].upper() + text[1:]
    # A sentence in Chinese (the page's language) ends with a full-width stop.
    stop = "。" if any("\u4e00" <= c <= "\u9fff" for c in text) else "."
    return text[:1].upper() + text[1:] + stop


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without `names` (to add a page number to)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def with_customers(lines: list[PurchaseOrderLine]) -> list[PurchaseOrderLine]:
    """The lines, each with `customer`: who it was bought for, as the apps above logistics know
    it (empty for a line staff bought for no customer Caigou knows)."""
    names: dict[int, str] = {}
    for _receiver, answer in line_customers_wanted.send_robust(
        sender=PurchaseOrderLine, lines=lines
    ):
        if isinstance(answer, dict):
            names.update(answer)
    for line in lines:
        line.customer = names.get(line.pk, "")
    return lines
