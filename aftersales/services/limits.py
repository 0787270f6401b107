"""What may still be refunded: the one count every claim and every recorded refund answers to.

A case holds its money from the moment it is stored until it is withdrawn or fails: an open,
submitting or live case counts for what it asks, a refunded one for what was agreed. Closed
(withdrawn, or closed by the upstream without a refund) and failed cases hold nothing.

The counts are only true under the order's row lock (`lock_order`): every path that stores a
claim or records a refund takes it first, so two claims on the same money are counted one after
the other, never side by side (DESIGN.md rule 8). On SQLite the transaction itself takes the
write lock when it begins (config/env.py), which serialises them the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import ngettext

from aftersales.models import CaseLine, CaseStatus, RefundCase
from aftersales.services.common import CaseError
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.money import format_cny
from purchasing.phrases import gettext as _

# A case in one of these statuses holds no money, unless a refund was recorded on it.
RELEASED = frozenset({CaseStatus.CLOSED, CaseStatus.FAILED})


def lock_order(order_id: int) -> tuple[PurchaseOrder, list[PurchaseOrderLine]]:
    """The order and its lines, locked until the transaction ends (always in this order, so two
    claims never wait on each other crosswise). Call inside transaction.atomic."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order_id)
    lines = list(PurchaseOrderLine.objects.select_for_update().filter(order=order).order_by("pk"))
    return order, lines


def held_fen(case: RefundCase) -> int:
    """The money a case claims or got back, as far as the books go."""
    if case.refund_recorded:
        return case.agreed_fen or 0
    if case.status in RELEASED:
        return 0
    if case.status == CaseStatus.REFUNDED and case.agreed_fen is not None:
        return case.agreed_fen
    return case.asked_fen


def _holding(cases: Iterable[RefundCase], exclude: int | None, sent_only: bool) -> list[RefundCase]:
    return [
        case
        for case in cases
        if case.pk != exclude
        and held_fen(case) > 0
        and not (sent_only and case.status == CaseStatus.OPEN)
    ]


@dataclass(frozen=True)
class Room:
    """What these lines may still have refunded, and why."""

    paid_fen: int  # what was paid for the lines (the whole lines, not only the chosen counts)
    held_fen: int  # claimed or refunded on them by other cases
    left_fen: int  # what a new claim (or this case's new amount) may ask at most
    holders: tuple[str, ...]  # the references of the cases holding the money
    lines: int

    def check(self, amount_fen: int) -> None:
        """Refuse `amount_fen` past what is left, with what is left in the message."""
        if amount_fen <= self.left_fen:
            return
        if not self.holders:
            raise CaseError(
                _("%(amount)s is more than the maximum refundable %(left)s.")
                % {"amount": format_cny(amount_fen), "left": format_cny(self.left_fen)}
            )
        if self.left_fen <= 0:
            message = ngettext(
                "Nothing more of this line can be refunded: %(paid)s paid, %(held)s already "
                "claimed or refunded (%(cases)s).",
                "Nothing more of these lines can be refunded: %(paid)s paid, %(held)s already "
                "claimed or refunded (%(cases)s).",
                self.lines,
            )
        else:
            message = ngettext(
                "Only %(left)s of this line can still be refunded: %(paid)s paid, %(held)s "
                "already claimed or refunded (%(cases)s).",
                "Only %(left)s of these lines can still be refunded: %(paid)s paid, %(held)s "
                "already claimed or refunded (%(cases)s).",
                self.lines,
            )
        raise CaseError(
            message
            % {
                "left": format_cny(max(0, self.left_fen)),
                "paid": format_cny(self.paid_fen),
                "held": format_cny(self.held_fen),
                "cases": ", ".join(self.holders),
            }
        )


def room(
    order: PurchaseOrder,
    chosen: list[tuple[PurchaseOrderLine, int]],
    *,
    exclude_case: int | None = None,
    sent_only: bool = False,
) -> Room:
    """What a claim on `chosen` (line, count) may still ask: the least of what was paid for the
    counts, what the whole lines have left once other cases are counted, and what the order has
    left against what was paid for it. `exclude_case` leaves a case out (its own new amount);
    `sent_only` counts only cases past open (at submit: of two unsent claims, the first wins)."""
    line_ids = [line.pk for line, _count in chosen]
    on_lines = _holding(
        RefundCase.objects.filter(
            pk__in=CaseLine.objects.filter(line_id__in=line_ids).values("case_id")
        ),
        exclude_case,
        sent_only,
    )
    on_order = _holding(RefundCase.objects.filter(order=order), exclude_case, sent_only)
    paid_lines = sum(line.amount_fen for line, _count in chosen)
    for_counts = sum(line.amount_fen * count // max(1, line.quantity) for line, count in chosen)
    # The lines' own count, unless the order as a whole has less left: then the order's.
    paid, holders = paid_lines, on_lines
    if order_paid_fen(order) - _total(on_order) < paid_lines - _total(on_lines):
        paid, holders = order_paid_fen(order), on_order
    held = _total(holders)
    return Room(
        paid_fen=paid,
        held_fen=held,
        left_fen=max(0, min(for_counts, paid - held)),
        holders=tuple(case.reference for case in holders),
        lines=len(chosen),
    )


def _total(cases: list[RefundCase]) -> int:
    return sum(held_fen(case) for case in cases)


def order_paid_fen(order: PurchaseOrder) -> int:
    """What was paid for the order: the payment's amount, or its lines' when none is recorded."""
    if order.actual_fen is not None:
        return order.actual_fen
    return sum(order.lines.values_list("amount_fen", flat=True))
