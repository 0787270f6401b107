"""The clocks an order runs against, and its next deadline.

Four clocks, each a setting: an order created upstream must be paid within
CAIGOU_PAY_WITHIN_HOURS (the upstream closes unpaid orders); a paid order should be shipped by
the seller within CAIGOU_SHIP_WITHIN_HOURS; CAIGOU_AUTO_CONFIRM_DAYS after shipment Taobao and
1688 confirm receipt by themselves; CAIGOU_CLAIM_WINDOW_DAYS after receipt, refunds and returns
can no longer be opened. `next_deadline` is pure: the status, when the order entered each
status, and the clocks in; one deadline (or None) out. Pages, lists and the periodic task all
ask it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import ngettext

# A phrase: what happens at a deadline goes into the attention reason a timeline keeps.
from purchasing.phrases import gettext as _
from purchasing.statuses import OrderStatus

# Statuses at which the goods have left the seller (the claim window runs from receipt).
RECEIVED = (OrderStatus.AT_WAREHOUSE, OrderStatus.DISPATCHED, OrderStatus.DELIVERED)
# A case waiting on us must be sent before the claim window closes.
CASE_WAITING_ON_US = ("open", "refused", "return_agreed")
# The words of the attention reason a raised deadline writes (services/orders/deadlines.py).
REMINDER_MSGID = "Deadline: %(what)s, due %(due)s."


def is_reminder(attention_words: object) -> bool:
    """Whether an order's attention is only a deadline raised: a reminder to act (pay, chase
    the seller...), which stops nothing, unlike a reason to look before going on."""
    return isinstance(attention_words, Mapping) and attention_words.get("msgid") == REMINDER_MSGID


@dataclass(frozen=True)
class Clocks:
    pay_within: timedelta
    ship_within: timedelta
    auto_confirm: timedelta
    claim_window: timedelta

    @classmethod
    def from_settings(cls) -> Clocks:
        return cls(
            pay_within=timedelta(hours=settings.CAIGOU_PAY_WITHIN_HOURS),
            ship_within=timedelta(hours=settings.CAIGOU_SHIP_WITHIN_HOURS),
            auto_confirm=timedelta(days=settings.CAIGOU_AUTO_CONFIRM_DAYS),
            claim_window=timedelta(days=settings.CAIGOU_CLAIM_WINDOW_DAYS),
        )


@dataclass(frozen=True)
class Deadline:
    kind: str  # pay, ship, auto_confirm, claims_close
    due: datetime

    @property
    def what(self) -> str:
        """What happens at the deadline, in words."""
        return {
            "pay": _("pay before the upstream closes the order"),
            "ship": _("the seller should have shipped"),
            "auto_confirm": _("receipt is confirmed automatically"),
            "claims_close": _("refunds and returns can no longer be opened"),
        }[self.kind]


def _received_at(entered: Mapping[str, datetime], clocks: Clocks) -> datetime | None:
    """When receipt counts as confirmed: the arrival we saw, or the upstream's automatic
    confirmation after shipment, whichever came first."""
    shipped = entered.get(OrderStatus.SHIPPED)
    candidates = [entered[s] for s in RECEIVED if s in entered]
    if shipped is not None:
        candidates.append(shipped + clocks.auto_confirm)
    return min(candidates) if candidates else None


def next_deadline(
    *, status: str, entered: Mapping[str, datetime], clocks: Clocks, now: datetime
) -> Deadline | None:
    """The order's next deadline from its status and when it entered each status (the first
    time; `paid` may come from the order's paid_at). None when no clock runs (not created
    upstream yet, closed, or the claim window has closed)."""
    if status == OrderStatus.AWAITING_PAYMENT and OrderStatus.AWAITING_PAYMENT in entered:
        return Deadline("pay", entered[OrderStatus.AWAITING_PAYMENT] + clocks.pay_within)
    if status == OrderStatus.PAID and OrderStatus.PAID in entered:
        return Deadline("ship", entered[OrderStatus.PAID] + clocks.ship_within)
    if status == OrderStatus.SHIPPED and OrderStatus.SHIPPED in entered:
        return Deadline("auto_confirm", entered[OrderStatus.SHIPPED] + clocks.auto_confirm)
    if status in RECEIVED:
        received = _received_at(entered, clocks)
        if received is not None and received + clocks.claim_window > now:
            return Deadline("claims_close", received + clocks.claim_window)
    return None


def case_deadline(
    *, case_status: str, entered: Mapping[str, datetime], clocks: Clocks
) -> Deadline | None:
    """A case waiting on us runs against its order's claim window (it must reach the seller
    before the window closes); a case waiting on the seller, or closed, runs against none."""
    if case_status not in CASE_WAITING_ON_US:
        return None
    received = _received_at(entered, clocks)
    if received is None:
        return None
    return Deadline("claims_close", received + clocks.claim_window)


def time_left(due: datetime, now: datetime) -> str:
    """ "in 2 days", "in 5 hours", "overdue by 3 hours": the largest whole unit."""
    seconds = int((due - now).total_seconds())
    span = abs(seconds)
    if span >= 86400:
        n = span // 86400
        words = ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    elif span >= 3600:
        n = span // 3600
        words = ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    else:
        n = max(span // 60, 1)
        words = ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    if seconds >= 0:
        return _("in %(span)s") % {"span": words}
    return _("overdue by %(span)s") % {"span": words}
