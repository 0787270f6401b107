"""Opening a case: what the upstream allows, and the checks before anything is stored.

Nothing is sent upstream here except reads (render / reasons): evidence is uploaded and the
refund created by the submit task (submit.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from aftersales.models import CaseEvidence, CaseKind, CaseLine, CaseStatus, RefundCase
from aftersales.services.common import CaseError, alibaba, check_evidence, require, taobao
from aftersales.services.limits import Room, lock_order, room
from purchasing.models import Platform, PurchaseOrder, PurchaseOrderLine
from purchasing.routes import Capability, route_for
from purchasing.rules import is_paid
from upstream.types.aftersales import (
    ALIBABA_GOODS_RECEIVED,
    GOODS_NOT_RECEIVED,
    GOODS_RECEIVED,
    REFUND_ONLY,
    RETURN_AND_REFUND,
    RefundReason,
)

TAOBAO_GOODS_STATUSES = {str(GOODS_NOT_RECEIVED), str(GOODS_RECEIVED)}


@dataclass
class CaseOptions:
    """What the upstream allows for these lines, kind and goods status."""

    reasons: list[RefundReason]
    max_fen: int
    min_fen: int = 1
    can_edit_fee: bool = True
    fee_tips: str = ""
    refund_types: list[int] = field(default_factory=lambda: [REFUND_ONLY, RETURN_AND_REFUND])
    goods_statuses: list[str] = field(default_factory=list)
    # What our books leave for these lines (max_fen is never above it).
    room: Room | None = None


def _refund_type(kind: str) -> int:
    if kind not in CaseKind.values:
        raise CaseError(f"unknown kind {kind!r}")
    return REFUND_ONLY if kind == CaseKind.REFUND_ONLY else RETURN_AND_REFUND


def _check_order(order: PurchaseOrder) -> None:
    if not is_paid(order):
        raise CaseError(
            f"Order {order.reference} is {order.get_status_display().lower()}: "
            "only a paid order can be refunded."
        )
    if not route_for(order).can(Capability.AFTERSALES):
        raise CaseError("after-sales of Dajisaas orders is not supported yet")


def _check_lines(
    order: PurchaseOrder, counts: dict[int, int]
) -> list[tuple[PurchaseOrderLine, int]]:
    if not counts:
        raise CaseError("choose at least one line")
    lines = {line.pk: line for line in order.lines.filter(pk__in=counts)}
    chosen = []
    for line_id, quantity in counts.items():
        line = lines.get(line_id)
        if line is None:
            raise CaseError(f"line {line_id} is not a line of order {order.reference}")
        if not 1 <= quantity <= line.quantity:
            raise CaseError(f"line {line.line_no}: quantity must be 1 to {line.quantity}")
        if not line.upstream_sub_order_id:
            raise CaseError(f"line {line.line_no} has no upstream sub-order yet")
        chosen.append((line, quantity))
    if order.platform == Platform.TAOBAO and len(chosen) > 1:
        raise CaseError("a Taobao refund covers one line: open one case per line")
    return chosen


def case_options(
    *, order: PurchaseOrder, lines: dict[int, int], kind: str, goods_status: str
) -> CaseOptions:
    """Ask the upstream what a case on these lines may be (a read: opens nothing). Lines whose
    money is already claimed or refunded in full are refused here, before any upstream call."""
    _check_order(order)
    chosen = _check_lines(order, lines)
    refund_type = _refund_type(kind)
    left = room(order, chosen)
    if left.left_fen <= 0:
        left.check(1)
    if order.platform == Platform.TAOBAO:
        if goods_status not in TAOBAO_GOODS_STATUSES:
            raise CaseError(f"goods status must be one of {sorted(TAOBAO_GOODS_STATUSES)}")
        render = taobao().render(
            sub_order_id=chosen[0][0].upstream_sub_order_id,
            refund_type=refund_type,
            goods_status=int(goods_status),
        )
        return CaseOptions(
            reasons=render.reasons,
            max_fen=min(render.max_refund_fen, left.left_fen),
            min_fen=max(1, render.min_refund_fen) if not render.can_edit_fee else 1,
            can_edit_fee=render.can_edit_fee,
            fee_tips=render.fee_tips,
            refund_types=render.refund_types,
            goods_statuses=[str(value) for value in render.goods_statuses],
            room=left,
        )
    if refund_type == RETURN_AND_REFUND and goods_status not in ALIBABA_GOODS_RECEIVED:
        raise CaseError("a return needs goods status 'received'")
    reasons = alibaba().reasons(
        order_id=chosen[0][0].upstream_order_id or order.upstream_order_id,
        goods_status=goods_status,
        order_entry_ids=[line.upstream_sub_order_id for line, _ in chosen],
    )
    return CaseOptions(
        reasons=reasons, max_fen=left.left_fen, goods_statuses=[goods_status], room=left
    )


def case_open(
    *,
    order: PurchaseOrder,
    lines: dict[int, int],
    kind: str,
    goods_status: str,
    reason_id: str,
    amount_fen: int,
    description: str = "",
    evidence: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    actor: Any,
) -> RefundCase:
    """Store a case (status open) after every check; nothing is created upstream here.

    `lines` maps our line ids to quantities; `evidence` is (file name, bytes) pairs."""
    require(actor)
    files = check_evidence(list(evidence))  # before any upstream call: a bad file sends nothing
    options = case_options(order=order, lines=lines, kind=kind, goods_status=goods_status)
    reason = next((r for r in options.reasons if r.reason_id == str(reason_id)), None)
    if reason is None:
        raise CaseError(f"reason {reason_id} is not offered for this goods status")
    if options.room is not None:
        options.room.check(amount_fen)  # what our books leave, said in yuan
    if amount_fen > options.max_fen:
        raise CaseError(
            f"{amount_fen / 100:.2f} yuan is more than the maximum refundable "
            f"{options.max_fen / 100:.2f} yuan"
        )
    if amount_fen < options.min_fen:
        raise CaseError(f"the amount must be at least {options.min_fen / 100:.2f} yuan")
    if reason.need_voucher and not files:
        raise CaseError(f"the reason '{reason.description}' needs at least one evidence file")
    if order.platform == Platform.ALIBABA and not 2 <= len(description.strip()) <= 150:
        raise CaseError("a 1688 refund needs a description of 2 to 150 characters")
    with transaction.atomic():
        # Counted again under the order's and lines' locks: a claim stored meanwhile (a second
        # click, another person) is seen, and this one refused if the money is no longer there.
        order, _lines = lock_order(order.pk)
        _check_order(order)
        chosen = _check_lines(order, lines)
        now_left = room(order, chosen)
        now_left.check(amount_fen)
        case = RefundCase.objects.create(
            order=order,
            platform=order.platform,
            kind=kind,
            goods_status=goods_status,
            reason_id=str(reason_id),
            reason_text=reason.description[:200],
            asked_fen=amount_fen,
            max_fen=min(options.max_fen, now_left.left_fen),
            description=description.strip(),
            status=CaseStatus.OPEN,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        CaseLine.objects.bulk_create(
            [CaseLine(case=case, line=line, quantity=count) for line, count in chosen]
        )
        CaseEvidence.objects.bulk_create(
            [
                CaseEvidence(
                    case=case, file_name=name, content_type=ctype, size=len(data), content=data
                )
                for name, ctype, data in files
            ]
        )
        case.note(
            f"opened: {case.get_kind_display()}, {amount_fen} fen asked "
            f"(maximum {options.max_fen}), reason {reason.description}",
            actor=actor,
            kind="opened",
        )
        order.note(f"after-sales case {case.reference} opened", actor=actor, kind="aftersales")
    return case
