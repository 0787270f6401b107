"""Creating the refund upstream, exactly once (DESIGN.md rule 2, as orders' submit.py).

The case's reference (outerRefundId) is committed before anything is sent. A run that may have
created (a lease taken, or an unknown outcome recorded) looks the refund up among the order's
refunds, by evidence (lookup.py: our reference echoed, or one refund asking exactly what we
asked), before it creates again, and never overtakes a call that may still be in flight (the
lease). When the look-up cannot tell, the case stops for a person with the candidates listed,
and nothing is created while any candidate stands (adoption.py takes the person's answer).

1688 has no refund list to look a lost create up in. So a 1688 create whose outcome is unknown
is never repeated: the case is flagged needs_attention for a person to check the 1688 order's
refunds (and record the refund id) rather than risk a second claim on the same money.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from aftersales import routes
from aftersales.models import CaseStatus, RefundCase
from aftersales.routes import Operation
from aftersales.rules import can_submit
from aftersales.services.common import (
    Busy,
    CaseError,
    flag_case,
    lease,
    locked,
    logger,
    now,
    require,
)
from aftersales.services.limits import lock_order, room
from aftersales.services.lookup import Evidence, LookupState, look_up, question
from aftersales.services.pack import mark_summary_sent, pending_summary, with_summary
from purchasing.phrases import gettext as _
from purchasing.services.orders.common import unless_taken_meanwhile
from purchasing.upstream_errors import what_happened
from upstream import errors


@transaction.atomic
def case_submit(*, case: RefundCase, actor: Any) -> RefundCase:
    """open -> submitting, and the submit task enqueued after commit. Again: nothing changes."""
    from aftersales.tasks import submit_case

    require(actor)
    case = locked(case.pk)
    if case.status == CaseStatus.SUBMITTING or case.upstream_refund_id:
        logger.info("case %s: submit again while %s; nothing to do", case.reference, case.status)
        return case
    if not can_submit(case):
        raise CaseError(
            _("a case that is %(status)s cannot be submitted")
            % {"status": case.get_status_display().lower()}
        )
    # Counted again before anything is sent: a claim sent meanwhile on the same money wins.
    order, _lines = lock_order(case.order_id)
    chosen = [(cl.line, cl.quantity) for cl in case.case_lines.select_related("line")]
    room(order, chosen, exclude_case=case.pk, sent_only=True).check(case.asked_fen)
    case.submitted_at = now()
    case.move(
        CaseStatus.SUBMITTING,
        actor=actor,
        message=_("submitting as %(reference)s") % {"reference": case.reference},
        fields=("submitted_at",),
    )
    case_id = case.pk
    transaction.on_commit(lambda: submit_case.delay(case_id=case_id))
    return case


def case_submit_upstream(*, case_id: int) -> RefundCase:
    """The submit task's work; safe to run any number of times. Raises Busy or a
    RetryableError when the task should run again later."""
    with transaction.atomic():
        case = locked(case_id)
        if case.status != CaseStatus.SUBMITTING or case.upstream_refund_id:
            logger.info("case %s: not waiting for a create (%s)", case.reference, case.status)
            return case
        if case.needs_attention:
            logger.info("case %s: waits for a person; no create", case.reference)
            return case
        # An unknown create may still land under its lease: looked up at once (our reference,
        # where echoed, settles it), but nothing is matched, put to a person or created again
        # before the lease runs out.
        under_lease = bool(case.submit_lease_until and case.submit_lease_until > now())
        if under_lease and not case.submit_in_doubt:
            raise Busy(
                f"{case.reference}: a create may be in flight", until=case.submit_lease_until
            )
        must_look_up = case.submit_in_doubt or case.submit_lease_until is not None
        attempts = case.submit_attempts

    route = routes.for_case(case)
    if must_look_up:
        if not route.can(Operation.LOOKUP):
            return _needs_a_person(case_id, route.refusal(Operation.LOOKUP))
        found = look_up(case)
        ours, how = found.ours()
        if ours is not None and (ours.evidence == Evidence.ECHOED or not under_lease):
            return _adopt(case_id, ours.refund.refund_id, how)
        if under_lease:
            # Ours may still land: a match or a person's choice waits until nothing more can.
            raise Busy(
                f"{case.reference}: the create may still land; looking again later",
                until=case.submit_lease_until,
            )
        if found.candidates:
            return _stop_for_a_person(case_id, found.records())
        with transaction.atomic():
            case = locked(case_id)
            if case.status != CaseStatus.SUBMITTING or case.upstream_refund_id:
                return case
            unless_taken_meanwhile(
                case.reference,
                seen=attempts,
                attempts=case.submit_attempts,
                until=case.submit_lease_until,
            )
            case.submit_in_doubt, case.submit_lease_until = False, None
            case.save(update_fields=["submit_in_doubt", "submit_lease_until", "updated_at"])
            case.note(_("no refund of ours upstream: creating"), kind="lookup")

    try:
        urls = _upload_evidence(case_id, route)
    except errors.UpstreamError as exc:
        if exc.retryable or exc.outcome_unknown:
            raise
        return _failed(case_id, exc)

    with transaction.atomic():
        case = locked(case_id)
        if case.status != CaseStatus.SUBMITTING or case.upstream_refund_id or case.submit_in_doubt:
            return case
        if case.submit_lease_until and case.submit_lease_until > now():
            raise Busy(
                f"{case.reference}: a create may be in flight", until=case.submit_lease_until
            )
        case.submit_lease_until = now() + lease()
        case.submit_attempts += 1
        case.save(update_fields=["submit_lease_until", "submit_attempts", "updated_at"])
        case.note(
            _("creating upstream (attempt %(n)d)") % {"n": case.submit_attempts}, kind="create"
        )

    summary = pending_summary(case)
    description = with_summary(case.description, summary, route.description_limit)
    lines = list(case.case_lines.select_related("line"))
    try:
        refund_id = route.create(case, lines, pictures=urls, description=description)
    except errors.UpstreamError as exc:
        if exc.outcome_unknown:
            _in_doubt(case_id, exc)
            raise
        if exc.retryable:
            with transaction.atomic():
                case = locked(case_id)
                case.submit_lease_until = None
                case.save(update_fields=["submit_lease_until", "updated_at"])
                case.note(
                    _("upstream busy, will retry: %(error)s") % {"error": what_happened(exc)},
                    kind="retry",
                )
            raise
        return _failed(case_id, exc)
    if description != case.description:
        mark_summary_sent(case_id=case_id, summary=summary, where="description")
    return _adopt(case_id, refund_id, _("created upstream"))


def _upload_evidence(case_id: int, route: routes.AftersalesRoute) -> list[str]:
    """Upload what is not uploaded yet; each URL is saved at once, so a rerun uploads only the
    rest. (A voucher uploaded twice costs nothing: it is only a picture until a claim uses it.)"""
    case = RefundCase.objects.get(pk=case_id)
    urls = []
    for evidence in case.evidence.all():
        if not evidence.voucher_url:
            with evidence.file.open("rb") as stored:
                content = stored.read()
            voucher = route.upload_voucher(
                content=content,
                file_name=evidence.file_name,
                content_type=evidence.content_type,
            )
            evidence.voucher_id, evidence.voucher_url = voucher.voucher_id, voucher.url
            evidence.save(update_fields=["voucher_id", "voucher_url"])
        urls.append(evidence.voucher_url)
    return urls


def _adopt(case_id: int, refund_id: str, how: str) -> RefundCase:
    """Take `refund_id` as the case's refund; `how` (a phrase) says how it was found."""
    from aftersales.services.sync import case_refresh

    with transaction.atomic():
        case = locked(case_id)
        if case.upstream_refund_id:
            logger.info("case %s: already adopted; a second run stops", case.reference)
            return case
        case.upstream_refund_id = refund_id
        case.submit_lease_until, case.submit_in_doubt = None, False
        case.waiting_on = "seller"
        # The one question a flag raised here asks is whether the refund exists: answered.
        case.needs_attention, case.attention_reason, case.attention_words = False, "", None
        case.move(
            CaseStatus.WAITING_SELLER,
            actor_label="upstream",
            message=_("%(how)s: refund %(refund)s") % {"how": how, "refund": refund_id},
            fields=(
                "upstream_refund_id",
                "submit_lease_until",
                "submit_in_doubt",
                "waiting_on",
                "needs_attention",
                "attention_reason",
                "attention_words",
            ),
        )
    try:
        return case_refresh(case_id=case_id)
    except errors.UpstreamError as exc:  # the refund exists; the reconciler reads it later
        logger.warning("case %s: read after create failed: %s", case.reference, exc)
        return RefundCase.objects.get(pk=case_id)


def _in_doubt(case_id: int, exc: errors.UpstreamError) -> None:
    with transaction.atomic():
        case = locked(case_id)
        case.submit_in_doubt = True  # the lease stays: the create may still land
        case.save(update_fields=["submit_in_doubt", "updated_at"])
        case.note(
            _("create outcome unknown (%(error)s); looking it up before any new create")
            % {"error": what_happened(exc)},
            kind="create_unknown",
        )


def _stop_for_a_person(case_id: int, records: list[dict]) -> RefundCase:
    """Refunds that may be ours and none certainly: a person chooses, nothing is created."""
    with transaction.atomic():
        case = locked(case_id)
        rejected = (case.lookup or {}).get("rejected", [])
        case.lookup = {"state": LookupState.ASK, "candidates": records, "rejected": rejected}
        case.save(update_fields=["lookup", "updated_at"])
    return _needs_a_person(case_id, question(records))


def _needs_a_person(case_id: int, reason: str) -> RefundCase:
    with transaction.atomic():
        case = locked(case_id)
        flag_case(case, reason)
        return case


def _failed(case_id: int, exc: errors.UpstreamError) -> RefundCase:
    with transaction.atomic():
        case = locked(case_id)
        case.submit_lease_until = None
        case.failure_reason = what_happened(exc)[:2000]
        case.waiting_on = "us"
        case.move(
            CaseStatus.FAILED,
            actor_label="upstream",
            message=_("refused: %(error)s") % {"error": what_happened(exc)},
            fields=("submit_lease_until", "failure_reason", "waiting_on"),
        )
        return case
