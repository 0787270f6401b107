"""Opening a case: what the upstream allows, and the checks before anything is stored.

Nothing is sent upstream here except reads (render / reasons): evidence is uploaded and the
refund created by the submit task (submit.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from aftersales import routes
from aftersales.models import (
    CaseEvidence,
    CaseKind,
    CaseLine,
    CaseStatus,
    RefundCase,
    evidence_path,
)
from aftersales.routes import CaseOptions, Operation
from aftersales.services.common import CaseError, check_evidence, require
from aftersales.services.limits import lock_order, room
from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.phrases import of_label
from purchasing.rules import is_paid
from upstream.types.aftersales import REFUND_ONLY, RETURN_AND_REFUND


def _refund_type(kind: str) -> int:
    if kind not in CaseKind.values:
        raise CaseError(_("unknown kind %(kind)s") % {"kind": repr(kind)})
    return REFUND_ONLY if kind == CaseKind.REFUND_ONLY else RETURN_AND_REFUND


def _check_order(order: PurchaseOrder) -> None:
    if not is_paid(order):
        raise CaseError(
            _("Order %(ref)s is %(status)s: only a paid order can be refunded.")
            % {"ref": order.reference, "status": order.get_status_display().lower()}
        )
    routes.for_order(order).check(Operation.OPEN)


def _check_lines(
    order: PurchaseOrder, counts: dict[int, int]
) -> list[tuple[PurchaseOrderLine, int]]:
    if not counts:
        raise CaseError(_("choose at least one line"))
    lines = {line.pk: line for line in order.lines.filter(pk__in=counts)}
    chosen = []
    for line_id, quantity in counts.items():
        line = lines.get(line_id)
        if line is None:
            raise CaseError(
                _("line %(line)s is not a line of order %(ref)s")
                % {"line": line_id, "ref": order.reference}
            )
        if not 1 <= quantity <= line.quantity:
            raise CaseError(
                _("line %(line)s: quantity must be 1 to %(max)s")
                % {"line": line.line_no, "max": line.quantity}
            )
        if not line.upstream_sub_order_id:
            raise CaseError(
                _("line %(line)s has no upstream sub-order yet") % {"line": line.line_no}
            )
        chosen.append((line, quantity))
    routes.for_order(order).check_lines(len(chosen))
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
    options = routes.for_order(order).options(
        order, chosen, refund_type=refund_type, goods_status=goods_status, left_fen=left.left_fen
    )
    return replace(options, room=left)


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
        raise CaseError(
            _("reason %(reason)s is not offered for this goods status") % {"reason": reason_id}
        )
    if options.room is not None:
        options.room.check(amount_fen)  # what our books leave, said in yuan
    if amount_fen > options.max_fen:
        raise CaseError(
            _("%(amount)s is more than the maximum refundable %(maximum)s")
            % {"amount": format_cny(amount_fen), "maximum": format_cny(options.max_fen)}
        )
    if amount_fen < options.min_fen:
        raise CaseError(
            _("the amount must be at least %(minimum)s") % {"minimum": format_cny(options.min_fen)}
        )
    if reason.need_voucher and not files:
        raise CaseError(
            _("the reason '%(reason)s' needs at least one evidence file")
            % {"reason": reason.description}
        )
    routes.for_order(order).check_description(description)
    # Stored before the case's transaction (a file store is no database) and deleted again if
    # the case is refused or fails under the locks: no stored file belongs to no case.
    stored = [
        (default_storage.save(evidence_path(None, name), ContentFile(data)), name, ctype, data)
        for name, ctype, data in files
    ]
    try:
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
                        case=case, file_name=name, content_type=ctype, size=len(data), file=path
                    )
                    for path, name, ctype, data in stored
                ]
            )
            case.note(
                _("opened: %(kind)s, %(amount)s asked (maximum %(maximum)s), reason %(reason)s")
                % {
                    "kind": of_label(CaseKind(case.kind).label),
                    "amount": format_cny(amount_fen),
                    "maximum": format_cny(options.max_fen),
                    "reason": reason.description,
                },
                actor=actor,
                kind="opened",
            )
            order.note(
                _("after-sales case %(reference)s opened") % {"reference": case.reference},
                actor=actor,
                kind="aftersales",
            )
    except BaseException:
        for path, *_unused in stored:
            default_storage.delete(path)
        raise
    return case
