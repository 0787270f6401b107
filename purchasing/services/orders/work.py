"""The work queue: an approver assigns an order to a person, a person claims one, a claim left
idle goes back to the queue, and a person says why an order waited past its time.

Assigning and claiming lock the row and check again who holds it, so two people who click
"Take" at once cannot both win. The helpers below the order verbs serve any `Workable` row:
after-sales cases use them too (aftersales/services/work.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from purchasing.actors import person
from purchasing.models import OrderWait, PurchaseOrder, TakenHow, WaitReason, Workable
from purchasing.phrases import gettext as _
from purchasing.phrases import joined, of_label
from purchasing.selectors.work import is_past_sla
from purchasing.services.orders.common import NotAllowed, OrderError, locked
from purchasing.statuses import FINAL

logger = logging.getLogger(__name__)

# Who may give work to someone, and who may take order work for themselves.
MAY_ASSIGN = "purchasing.approve_order"
MAY_TAKE_ORDER = "purchasing.create_order"
# The timeline kind of taking, giving and releasing: these are not the holder's own actions,
# so they do not keep a claim alive.
WORK_KIND = "work"
# Saved without `updated_at`: the sweepers and the exceptions queue read that as the time the
# order or case itself last moved, which taking it does not change.
TAKEN_FIELDS = ["assignee", "taken_how", "taken_at", "last_action_at"]


class WorkError(OrderError):
    """The work cannot be taken, given or released now (someone else holds it, it is closed)."""


def holder_name(row: Workable) -> str:
    user = row.assignee
    return (user.get_full_name() or user.get_username()) if user else ""


def require_person_with(actor: Any, permission: str) -> Any:
    """The acting person, holding `permission` (a policy never takes work)."""
    user = person(actor)
    if user is None or not user.has_perm(permission):
        raise NotAllowed(_("you may not do that"))
    return user


def check_free_for(row: Workable, user: Any, *, label: str) -> bool:
    """False when `user` holds it already; WorkError when someone else does."""
    if row.assignee_id == user.pk:
        return False
    if row.assignee_id:
        raise WorkError(
            _("%(what)s is already with %(name)s.") % {"what": label, "name": holder_name(row)}
        )
    return True


def hold(row: Workable, *, user: Any, how: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    row.assignee, row.taken_how, row.taken_at, row.last_action_at = user, how, now, now
    row.save(update_fields=TAKEN_FIELDS)


def free(row: Workable) -> None:
    row.assignee, row.taken_how, row.taken_at, row.last_action_at = None, "", None, None
    row.save(update_fields=TAKEN_FIELDS)


def expire_idle_claims(
    model: type[Workable],
    *,
    now: datetime,
    lock: Callable[[int], Any],
    latest_action: Callable[[Any], datetime | None],
    say: Callable[[Any, str], None],
) -> int:
    """Give back every claim of `model` idle for CAIGOU_CLAIM_EXPIRES_MINUTES at `now`; each row
    is locked and checked again. A holder's own timeline event newer than the recorded action
    keeps the claim (and becomes the recorded action). Returns how many went back."""
    minutes = settings.CAIGOU_CLAIM_EXPIRES_MINUTES
    cutoff = now - timedelta(minutes=minutes)
    released = 0
    candidates = model.objects.filter(taken_how=TakenHow.CLAIMED, last_action_at__lt=cutoff)
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            row = lock(pk)
            if row.taken_how != TakenHow.CLAIMED or row.last_action_at >= cutoff:
                logger.info("claim on %s moved since it was found idle: left as it is", row)
                continue
            acted = latest_action(row)
            if acted is not None and acted > row.last_action_at:
                row.last_action_at = acted
                row.save(update_fields=["last_action_at"])
                if acted >= cutoff:
                    continue
            name = holder_name(row)
            free(row)
            say(
                row,
                _(
                    "Claim by %(name)s expired after %(minutes)d minutes without action: "
                    "back in the queue."
                )
                % {"name": name, "minutes": minutes},
            )
            released += 1
    return released


# --- orders --------------------------------------------------------------------------------


def _open_order(order_id: int) -> PurchaseOrder:
    order = locked(order_id)
    if order.status in FINAL:
        raise WorkError(
            _("%(ref)s is closed: there is no work left on it.") % {"ref": order.reference}
        )
    return order


@transaction.atomic
def order_claim(*, order: PurchaseOrder, actor: Any) -> PurchaseOrder:
    """The acting purchaser or approver takes the order; refused while someone else holds it."""
    user = require_person_with(actor, MAY_TAKE_ORDER)
    order = _open_order(order.pk)
    if not check_free_for(order, user, label=order.reference):
        logger.info("%s claimed again by its holder: nothing to do", order.reference)
        return order
    hold(order, user=user, how=TakenHow.CLAIMED)
    order.note(_("Claimed by %(name)s.") % {"name": holder_name(order)}, actor=user, kind=WORK_KIND)
    return order


@transaction.atomic
def order_assign(*, order: PurchaseOrder, assignee: Any, actor: Any) -> PurchaseOrder:
    """An approver gives the order to a person who may work on orders (taking it from whoever
    held it: assigning is the approver's decision)."""
    user = require_person_with(actor, MAY_ASSIGN)
    if assignee is None or not assignee.is_active or not assignee.has_perm(MAY_TAKE_ORDER):
        raise WorkError(_("Choose a person who works on orders."))
    order = _open_order(order.pk)
    if order.assignee_id == assignee.pk and order.taken_how == TakenHow.ASSIGNED:
        return order
    hold(order, user=assignee, how=TakenHow.ASSIGNED)
    order.note(
        _("Assigned to %(name)s.") % {"name": holder_name(order)}, actor=user, kind=WORK_KIND
    )
    return order


@transaction.atomic
def order_release(*, order: PurchaseOrder, actor: Any) -> PurchaseOrder:
    """The holder (or an approver) puts the order back in the queue."""
    user = require_person_with(actor, MAY_TAKE_ORDER)
    order = locked(order.pk)
    if not order.assignee_id:
        return order
    if order.assignee_id != user.pk and not user.has_perm(MAY_ASSIGN):
        raise NotAllowed(_("Only its holder or an approver can put it back."))
    name = holder_name(order)
    free(order)
    order.note(
        _("Put back in the queue (was with %(name)s).") % {"name": name},
        actor=user,
        kind=WORK_KIND,
    )
    return order


def _latest_order_action(order: PurchaseOrder) -> datetime | None:
    return (
        order.events.filter(actor_id=order.assignee_id)
        .exclude(kind=WORK_KIND)
        .aggregate(at=models.Max("created_at"))["at"]
    )


def release_idle_order_claims(*, now: datetime | None = None) -> int:
    """Every order claim idle past CAIGOU_CLAIM_EXPIRES_MINUTES goes back to the queue."""
    return expire_idle_claims(
        PurchaseOrder,
        now=now or timezone.now(),
        lock=locked,
        latest_action=_latest_order_action,
        say=lambda order, text: order.note(text, actor_label="system", kind=WORK_KIND),
    )


@transaction.atomic
def order_record_wait(
    *, order: PurchaseOrder, actor: Any, reason: str, note: str = "", now: datetime | None = None
) -> OrderWait:
    """Say why an order has waited past CAIGOU_ORDER_SLA_HOURS (a reason from WaitReason)."""
    user = require_person_with(actor, MAY_TAKE_ORDER)
    if reason not in WaitReason.values:
        raise WorkError(_("Choose a reason from the list."))
    order = _open_order(order.pk)
    if not is_past_sla(order, now=now):
        raise WorkError(_("%(ref)s has not waited past its time yet.") % {"ref": order.reference})
    wait = OrderWait.objects.create(
        order=order,
        reason=reason,
        note=note.strip()[:300],
        actor=user,
        created_at=now or timezone.now(),
    )
    text = _("Waiting: %(reason)s.") % {"reason": of_label(WaitReason(reason).label)}
    if wait.note:
        text = joined([text, wait.note])
    order.note(text, actor=user, kind="wait")
    return wait
