"""What a person does on a live case: messages, cancel, the return's logistics.

The upstream call is made outside any row lock (a check under the lock first, the record under
the lock after), so a slow upstream never holds the case row; the upstream's own state machine
refuses a repeated step (StateForbids), which we turn into a sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from aftersales import routes
from aftersales.models import LIVE, CaseStatus, RefundCase, WaitingOn
from aftersales.routes import Operation, ReturnOptions
from aftersales.services.common import CaseError, check_pictures, locked, require
from aftersales.services.limits import lock_order, room
from aftersales.services.pack import mark_summary_sent, pending_summary, with_summary
from aftersales.services.sync import case_refresh
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.phrases import listed, ngettext
from upstream import errors
from upstream.types.aftersales import RefundMessage


def _live(case_id: int, *allowed: str) -> RefundCase:
    case = RefundCase.objects.get(pk=case_id)
    if not case.upstream_refund_id or case.status not in (allowed or LIVE):
        raise CaseError(
            _("a case that is %(status)s cannot do this")
            % {"status": case.get_status_display().lower()}
        )
    return case


def _refused(exc: errors.UpstreamError) -> CaseError:
    return CaseError(_("the upstream refused: %(why)s") % {"why": getattr(exc, "msg", "") or exc})


def case_messages(*, case: RefundCase) -> list[RefundMessage]:
    """The negotiation thread, where the case's route has one (1688 has no message API)."""
    route = routes.for_case(case)
    if not route.can(Operation.MESSAGES) or not case.upstream_refund_id:
        return []
    return route.messages(case.upstream_refund_id)


def case_send_message(
    *,
    case: RefundCase,
    text: str,
    actor: Any,
    pictures: Sequence[tuple[str, bytes]] = (),
) -> RefundCase:
    """Post a message on a refund whose route keeps a thread (1688 has none), with pictures
    (name, bytes): each is checked like the evidence files, then uploaded as a voucher and sent
    by its URL. A refused picture sends nothing. An evidence summary the seller has not had yet
    goes along with the text."""
    require(actor)
    route = routes.for_case(case)
    route.check(Operation.MESSAGES)
    if not text.strip():
        raise CaseError(_("write a message"))
    checked = check_pictures(list(pictures))
    case = _live(case.pk)
    summary = pending_summary(case)
    body = with_summary(text, summary, route.message_limit)
    try:
        urls = [
            route.upload_voucher(content=content, file_name=name, content_type=ctype).url
            for name, ctype, content in checked
        ]
        route.send_message(case.upstream_refund_id, text=body, pictures=urls)
    except errors.FinalError as exc:
        raise _refused(exc) from exc
    if body != text:
        mark_summary_sent(case_id=case.pk, summary=summary, where="message", actor=actor)
    with transaction.atomic():
        case = locked(case.pk)
        case.note(_sent(text[:500], len(urls)), actor=actor, kind="message")
    return case


def _sent(text: str, pictures: int) -> str:
    # Whole sentences, with pictures and without: a translation orders its words its own way.
    if not pictures:
        return _("message sent: %(text)s") % {"text": text}
    return ngettext(
        "message sent (+%(count)d picture): %(text)s",
        "message sent (+%(count)d pictures): %(text)s",
        pictures,
    ) % {"count": pictures, "text": text}


def case_cancel(*, case: RefundCase, actor: Any) -> RefundCase:
    """Withdraw the claim. An unsent case closes here; a live one is cancelled upstream where its
    route can (Taobao); 1688 has no cancel in the API we use, so a person does it in 1688 and
    we read the result."""
    require(actor)
    with transaction.atomic():
        row = locked(case.pk)
        if row.status == CaseStatus.OPEN:
            row.waiting_on = WaitingOn.NOBODY
            row.move(
                CaseStatus.CLOSED,
                actor=actor,
                message=_("cancelled before submit"),
                fields=("waiting_on",),
            )
            return row
    route = routes.for_case(case)
    route.check(Operation.WITHDRAW)
    case = _live(case.pk, CaseStatus.WAITING_SELLER, CaseStatus.REFUSED, CaseStatus.RETURN_AGREED)
    try:
        route.withdraw(case.upstream_refund_id)
    except errors.FinalError as exc:
        raise _refused(exc) from exc
    with transaction.atomic():
        locked(case.pk).note(_("cancel sent upstream"), actor=actor, kind="cancel")
    return case_refresh(case_id=case.pk)


def case_modify(
    *,
    case: RefundCase,
    actor: Any,
    amount_fen: int | None = None,
    description: str | None = None,
) -> RefundCase:
    """Change the amount or the description of a claim the seller has not agreed yet (or
    refused), where its route can (Taobao); unset fields stay. The reason stays the one the
    case was opened with, whose words the page shows. The maximum is the one rendered when the
    case was opened."""
    require(actor)
    route = routes.for_case(case)
    route.check(Operation.MODIFY)
    case = _live(case.pk, CaseStatus.WAITING_SELLER, CaseStatus.REFUSED)
    if amount_fen is not None and not 1 <= amount_fen <= case.max_fen:
        raise CaseError(
            _("the amount must be ¥0.01 to %(maximum)s") % {"maximum": format_cny(case.max_fen)}
        )
    if amount_fen is not None and amount_fen > case.asked_fen:
        _check_room(case, amount_fen)
    try:
        route.modify(
            case.upstream_refund_id,
            refund_fen=amount_fen,
            description=description,
        )
    except errors.FinalError as exc:
        raise _refused(exc) from exc
    with transaction.atomic():
        row = locked(case.pk)
        changes = {"asked_fen": amount_fen, "description": description}
        changed = {name: value for name, value in changes.items() if value is not None}
        for name, value in changed.items():
            setattr(row, name, value)
        row.save(update_fields=[*changed, "updated_at"])
        row.note(
            _("claim modified: %(changed)s") % {"changed": listed(_changes_in_words(changed))},
            actor=actor,
            kind="modify",
        )
    return case_refresh(case_id=case.pk)


def _changes_in_words(changed: dict[str, Any]) -> list[str]:
    """What a modification changed, as a person reads it (an amount in yuan, never a field)."""
    words = []
    if "asked_fen" in changed:
        words.append(_("amount %(amount)s") % {"amount": format_cny(changed["asked_fen"])})
    if "description" in changed:
        words.append(_("description: %(text)s") % {"text": changed["description"][:200]})
    return words


def _check_room(case: RefundCase, amount_fen: int) -> None:
    """A raised claim still fits in what the lines have left besides this case's own claim."""
    with transaction.atomic():
        order, _lines = lock_order(case.order_id)
        chosen = [(cl.line, cl.quantity) for cl in case.case_lines.select_related("line")]
        room(order, chosen, exclude_case=case.pk).check(amount_fen)


def case_return_options(*, case: RefundCase) -> ReturnOptions:
    """Where the goods go back to and which couriers may carry them."""
    case = _live(case.pk, CaseStatus.RETURN_AGREED)
    return routes.for_case(case).return_options(case)


def case_submit_return(
    *, case: RefundCase, company_code: str, tracking_no: str, actor: Any
) -> RefundCase:
    """Tell the seller how the goods travel back. Sending the same waybill again is a no-op."""
    require(actor)
    company_code, tracking_no = company_code.strip().upper(), tracking_no.strip()
    if not company_code or not tracking_no:
        raise CaseError(_("choose the logistics company and enter the tracking number"))
    current = RefundCase.objects.get(pk=case.pk)
    if current.status == CaseStatus.RETURNING and current.return_tracking_no == tracking_no:
        return current
    case = _live(case.pk, CaseStatus.RETURN_AGREED)
    route = routes.for_case(case)
    # Where the route takes text with a return (1688, which takes no messages), the evidence
    # summary goes with it; a route that takes none (limit 0) is sent "".
    summary = pending_summary(case)
    description = with_summary("", summary, route.return_description_limit)
    try:
        route.send_return(
            case.upstream_refund_id,
            company_code=company_code,
            tracking_no=tracking_no,
            description=description,
        )
    except errors.FinalError as exc:
        raise _refused(exc) from exc
    if description:
        mark_summary_sent(case_id=case.pk, summary=summary, where="return", actor=actor)
    with transaction.atomic():
        row = locked(case.pk)
        row.return_company_code, row.return_tracking_no = company_code, tracking_no
        row.save(update_fields=["return_company_code", "return_tracking_no", "updated_at"])
        row.note(
            _("return sent with %(company)s %(tracking)s")
            % {"company": company_code, "tracking": tracking_no},
            actor=actor,
            kind="return",
        )
    return case_refresh(case_id=case.pk)
