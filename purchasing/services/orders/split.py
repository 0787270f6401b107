"""Split a 1688 draft that one create cannot carry into parts, each an order of its own.

Each part is one seller's SKUs, at most CAIGOU_1688_SKUS_PER_ORDER of them
(purchasing/splitting.py), with its own reference derived from the draft's ("…-1", "…-2"): the
reference the upstream keeps, so each part is created once and paid once by the same rules as
any order. Nothing goes upstream when a draft is split; the draft is cancelled, its lines kept
as they were, and its page lists its parts."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.actors import person
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.phrases import gettext as _
from purchasing.rules import can_split
from purchasing.services.orders.common import OrderError, locked, require
from purchasing.splitting import parts_of
from purchasing.statuses import OrderStatus


@transaction.atomic
def order_split(*, order: PurchaseOrder, actor: Any) -> list[PurchaseOrder]:
    """The draft's parts, as new drafts; the draft itself is cancelled, saying into what.

    The row is locked and the rule asked again under the lock, so a second click finds the
    draft cancelled and is refused; the parts' references are unique besides."""
    require(actor, "create_order")
    order = locked(order.pk)
    if not can_split(order):
        raise OrderError(
            _("%(reference)s is not split: one upstream order takes it, or it is no longer a draft")
            % {"reference": order.reference}
        )
    lines = list(order.lines.order_by("line_no", "pk"))
    parts = parts_of(lines)
    made = [_part(order, number, part, actor=actor) for number, part in enumerate(parts, start=1)]
    order.transition(
        OrderStatus.CANCELLED,
        actor=actor,
        kind="split",
        message=_("split into %(count)s orders: %(references)s")
        % {"count": len(made), "references": ", ".join(part.reference for part in made)},
    )
    return made


def _part(
    order: PurchaseOrder, number: int, lines: list[PurchaseOrderLine], *, actor: Any
) -> PurchaseOrder:
    sellers = {line.seller_id for line in lines}
    part = PurchaseOrder.objects.create(
        reference=f"{order.reference}-{number}",
        split_from=order,
        platform=order.platform,
        provider=order.provider,
        source=order.source,
        address=dict(order.address),
        approver_note=order.approver_note,
        created_by=order.created_by or person(actor),
        seller_id=lines[0].seller_id if len(sellers) == 1 else "",
        seller_name=lines[0].seller_name if len(sellers) == 1 else "",
    )
    for line_no, line in enumerate(lines, start=1):
        # A copy: the draft keeps its lines as they were when it was split.
        line.pk, line.id, line.order, line.line_no = None, None, part, line_no
        line.save(force_insert=True)
    part.quoted_goods_fen = part.quoted_total_fen = sum(line.amount_fen for line in lines)
    part.save(update_fields=["quoted_goods_fen", "quoted_total_fen", "updated_at"])
    part.note(
        _("part %(number)s of draft %(reference)s, %(count)s lines")
        % {"number": number, "reference": order.reference, "count": len(lines)},
        actor=actor,
        kind="created",
    )
    return part
