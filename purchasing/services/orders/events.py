"""Moving an order along its life from what the upstream says, and the attention flag.

Both write OrderEvents; callers hold the row lock inside a transaction."""

from __future__ import annotations

from typing import Any

from purchasing.models import PurchaseOrder
from purchasing.phrases import gettext as _
from purchasing.phrases import recorded
from purchasing.statuses import RANK, can_move, is_older


def advance_to(
    order: PurchaseOrder,
    target: str,
    *,
    actor: Any = None,
    actor_label: str = "upstream",
    message: str = "",
    upstream_request_id: str = "",
    fields: tuple[str, ...] = (),
) -> bool:
    """Walk the order forward to `target`, one allowed step at a time (the upstream may skip
    states we would pass through, e.g. a missed "paid" before "shipped"), each step an event.
    Never moves backwards; False when nothing moved."""
    if target == order.status or is_older(target, order.status):
        return False
    moved = False
    while order.status != target:
        if can_move(order.status, target):
            step = target
        else:
            # The furthest allowed step that does not pass the target.
            steps = [
                s
                for s in RANK
                if can_move(order.status, s)
                and RANK[s] > RANK.get(order.status, -1)
                and RANK[s] <= RANK.get(target, -1)
            ]
            if not steps:
                break
            step = max(steps, key=RANK.__getitem__)
        order.transition(
            step,
            actor=actor,
            actor_label=actor_label,
            message=message,
            upstream_request_id=upstream_request_id,
            fields=fields if not moved else (),
        )
        moved = True
    return moved


def flag_attention(
    order: PurchaseOrder, reason: str, *, actor: Any = None, actor_label: str = ""
) -> None:
    """Raise the needs_attention flag with a reason a person can act on; the event names the
    actor, or `actor_label` (system when neither is given)."""
    order.needs_attention = True
    # Kept in the site's language, whoever raised it; pages word it for their reader.
    text, order.attention_words = recorded(reason)
    order.attention_reason = text[:2000]
    order.save(
        update_fields=["needs_attention", "attention_reason", "attention_words", "updated_at"]
    )
    order.note(reason, actor=actor, actor_label=actor_label, kind="attention")


def clear_attention(order: PurchaseOrder, *, actor: Any, comment: str = "") -> None:
    order.needs_attention = False
    order.attention_reason, order.attention_words = "", None
    order.save(
        update_fields=["needs_attention", "attention_reason", "attention_words", "updated_at"]
    )
    order.note(comment or _("attention cleared"), actor=actor, kind="attention_cleared")
