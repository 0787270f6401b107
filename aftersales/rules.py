"""What may be done to a refund case now, and by whom: one pure function per question.

The `can_*` functions answer from the case's state alone (the services' guards ask them too);
`case_actions` adds the person, for the case page. Every after-sales page already requires the
after-sales permission, which `may_handle` names once. What the case's platform allows upstream
(withdraw, modify, messages, returns) is asked of its route (`aftersales.routes`)."""

from __future__ import annotations

from typing import Any

from aftersales import routes
from aftersales.models import CaseStatus, RefundCase
from aftersales.routes import Operation

PERMISSION = "purchasing.manage_aftersales"
# A claim the seller has not agreed (or has refused) may still change.
MODIFIABLE = (CaseStatus.WAITING_SELLER, CaseStatus.REFUSED)
# A claim is withdrawn upstream until the goods travel back.
WITHDRAWABLE_UPSTREAM = (CaseStatus.WAITING_SELLER, CaseStatus.REFUSED, CaseStatus.RETURN_AGREED)


def may_handle(user: Any) -> bool:
    """Whether this person opens and follows refunds and returns at all."""
    return user.has_perm(PERMISSION)


def is_live(case: RefundCase) -> bool:
    """Created upstream and not finished."""
    return bool(case.upstream_refund_id) and not case.is_final


def _route_can(case: RefundCase, operation: Operation) -> bool:
    return routes.for_case(case).can(operation)


def has_thread(case: RefundCase) -> bool:
    """The case's route keeps a negotiation thread (Taobao; 1688 refunds have none)."""
    return _route_can(case, Operation.MESSAGES)


def can_submit(case: RefundCase) -> bool:
    """Stored here and not sent to the seller yet."""
    return case.status == CaseStatus.OPEN


def can_withdraw(case: RefundCase) -> bool:
    """An unsent case closes here; a live claim is cancelled upstream where the route can
    (1688 has no cancel in the API: a person withdraws it in 1688)."""
    return can_submit(case) or (
        _route_can(case, Operation.WITHDRAW)
        and is_live(case)
        and case.status in WITHDRAWABLE_UPSTREAM
    )


def can_modify(case: RefundCase) -> bool:
    """Where the route can (1688 claims are changed in 1688 itself)."""
    return _route_can(case, Operation.MODIFY) and is_live(case) and case.status in MODIFIABLE


def can_message(case: RefundCase) -> bool:
    """Where the route keeps a thread: 1688 refunds have none."""
    return has_thread(case) and is_live(case)


def can_send_return(case: RefundCase) -> bool:
    """The seller agreed to a return: the goods' tracking number goes to them."""
    return (
        _route_can(case, Operation.RETURN)
        and is_live(case)
        and case.status == CaseStatus.RETURN_AGREED
    )


def can_refresh(case: RefundCase) -> bool:
    return bool(case.upstream_refund_id)


def can_attach_pack(case: RefundCase) -> bool:
    """A finished case takes no more evidence."""
    return not case.is_final


def can_choose_candidate(case: RefundCase) -> bool:
    """A look-up after an unknown create stopped the case: a person says which refund is ours,
    or that none is (services/adoption.py)."""
    return case.status == CaseStatus.SUBMITTING and (case.lookup or {}).get("state") == "ask"


def case_actions(case: RefundCase, user: Any) -> dict[str, bool]:
    """Every question above for one case and person, as the case page shows them."""
    allowed = may_handle(user)
    answers = {
        "submit": can_submit(case),
        "cancel": can_withdraw(case),
        "modify": can_modify(case),
        "message": can_message(case),
        "return": can_send_return(case),
        "refresh": can_refresh(case),
        "pack": can_attach_pack(case),
        "choose_candidate": can_choose_candidate(case),
    }
    return {name: allowed and answer for name, answer in answers.items()}
