"""After-sales cases in the work queue: taken, given and put back like orders (the helpers and
the rules are purchasing's, purchasing/services/orders/work.py); the case timeline says so."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aftersales.models import RefundCase
from aftersales.services.common import locked
from purchasing.models import TakenHow
from purchasing.phrases import gettext as _
from purchasing.services.orders.common import NotAllowed
from purchasing.services.orders.work import (
    MAY_ASSIGN,
    WORK_KIND,
    WorkError,
    check_free_for,
    expire_idle_claims,
    free,
    hold,
    holder_name,
    require_person_with,
)

MAY_TAKE_CASE = "purchasing.manage_aftersales"


def _open_case(case_id: int) -> RefundCase:
    case = locked(case_id)
    if case.is_final:
        raise WorkError(
            _("%(ref)s is closed: there is no work left on it.") % {"ref": case.reference}
        )
    return case


@transaction.atomic
def case_claim(*, case: RefundCase, actor: Any) -> RefundCase:
    """The acting person takes the case; refused while someone else holds it."""
    user = require_person_with(actor, MAY_TAKE_CASE)
    case = _open_case(case.pk)
    if not check_free_for(case, user, label=case.reference):
        return case
    hold(case, user=user, how=TakenHow.CLAIMED)
    case.note(_("Claimed by %(name)s.") % {"name": holder_name(case)}, actor=user, kind=WORK_KIND)
    return case


@transaction.atomic
def case_assign(*, case: RefundCase, assignee: Any, actor: Any) -> RefundCase:
    """An approver gives the case to a person who handles after-sales."""
    user = require_person_with(actor, MAY_ASSIGN)
    if assignee is None or not assignee.is_active or not assignee.has_perm(MAY_TAKE_CASE):
        raise WorkError(_("Choose a person who handles after-sales."))
    case = _open_case(case.pk)
    if case.assignee_id == assignee.pk and case.taken_how == TakenHow.ASSIGNED:
        return case
    hold(case, user=assignee, how=TakenHow.ASSIGNED)
    case.note(_("Assigned to %(name)s.") % {"name": holder_name(case)}, actor=user, kind=WORK_KIND)
    return case


@transaction.atomic
def case_release(*, case: RefundCase, actor: Any) -> RefundCase:
    """The holder (or an approver) puts the case back in the queue."""
    user = require_person_with(actor, MAY_TAKE_CASE)
    case = locked(case.pk)
    if not case.assignee_id:
        return case
    if case.assignee_id != user.pk and not user.has_perm(MAY_ASSIGN):
        raise NotAllowed(_("Only its holder or an approver can put it back."))
    name = holder_name(case)
    free(case)
    case.note(
        _("Put back in the queue (was with %(name)s).") % {"name": name}, actor=user, kind=WORK_KIND
    )
    return case


def _latest_case_action(case: RefundCase) -> datetime | None:
    return (
        case.events.filter(actor_id=case.assignee_id)
        .exclude(kind=WORK_KIND)
        .aggregate(at=models.Max("created_at"))["at"]
    )


def release_idle_case_claims(*, now: datetime | None = None) -> int:
    """Every case claim idle past CAIGOU_CLAIM_EXPIRES_MINUTES goes back to the queue."""
    return expire_idle_claims(
        RefundCase,
        now=now or timezone.now(),
        lock=locked,
        latest_action=_latest_case_action,
        say=lambda case, text: case.note(text, actor_label="system", kind=WORK_KIND),
    )
