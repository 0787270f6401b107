"""Every upstream call about one order, from the call journal, in words for its page.

A call is about the order when it carried our reference (create, look-up) or named one of the
order's upstream orders or sub-orders (read, pay, cancel, receipt, logistics, voucher), in its
path or its request. Only calls made since the order was created are searched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purchasing.glossary import operation_words
from purchasing.models import PurchaseOrder
from upstream.models import CallJournal

MAX_CALLS = 100

# Words for a failed call, by the error's type (upstream/errors.py).
ERROR_WORDS = {
    "UpstreamTimeout": gettext_lazy("no answer in time: it may have been done"),
    "ConnectionFailed": gettext_lazy("the connection broke"),
    "UpstreamUnavailable": gettext_lazy("the upstream failed: it may have been done"),
    "InvalidResponse": gettext_lazy("an answer that could not be read"),
    "RateLimited": gettext_lazy("rate limited, not done"),
    "AuthenticationFailed": gettext_lazy("our credentials were refused"),
}


@dataclass(frozen=True)
class Call:
    """One upstream call, as the order page shows it."""

    pk: int
    when: datetime
    what: str
    outcome: str
    ok: bool
    request_id: str
    duration_ms: int


def calls_about(order: PurchaseOrder) -> list[Call]:
    """The newest MAX_CALLS upstream calls about the order, newest first."""
    names = {order.reference, *order.upstream_ids}
    names |= {sub for sub in order.lines.values_list("upstream_sub_order_id", flat=True) if sub}
    about = Q(outer_ref=order.reference)
    for name in names:
        about |= Q(path__contains=name) | Q(request_text__contains=name)
    rows = (
        CallJournal.objects.filter(created_at__gte=order.created_at)
        .annotate(request_text=Cast("request_body", TextField()))
        .filter(about)
        .order_by("-created_at", "-id")[:MAX_CALLS]
    )
    return [_call(row) for row in rows]


def _call(row: CallJournal) -> Call:
    return Call(
        pk=row.pk,
        when=row.created_at,
        what=operation_words(row.operation),
        outcome=outcome_words(row),
        ok=row.ok,
        request_id=row.request_id,
        duration_ms=row.duration_ms,
    )


def outcome_words(row: CallJournal) -> str:
    if not row.error:
        return _("answered")
    kind, _sep, message = row.error.partition(":")
    if kind in ERROR_WORDS:
        return str(ERROR_WORDS[kind])
    return _("refused: %(why)s") % {"why": message.strip() or kind}
