"""A person settles what a look-up could not (services/orders/lookup.py): adopt one of the
candidates, declare none of them ours (and only then may the order be created again), or
confirm an order found by match.

Each verb locks the row and re-checks the look-up's state, so a second click, or a second
person at the same time, changes nothing and is told why.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from purchasing.models import PurchaseOrder
from purchasing.phrases import gettext as _
from purchasing.routes import Created, route_for
from purchasing.rules import can_choose_candidate, can_confirm_match
from purchasing.services.orders.common import OrderError, locked, require
from purchasing.services.orders.events import clear_attention
from purchasing.services.orders.lookup import Adoption, describe
from purchasing.services.orders.submit import adopt_locked


def _candidate(order: PurchaseOrder, upstream_order_id: str) -> dict[str, Any]:
    for record in (order.adoption or {}).get("candidates", []):
        if record.get("order_id") == upstream_order_id:
            return record
    raise OrderError(_("%(id)s is not one of the candidates") % {"id": upstream_order_id})


def _refuse_unless(allowed: bool, order: PurchaseOrder) -> None:
    if not allowed:
        raise OrderError(
            _("%(ref)s has no open question about its upstream order (decided already?)")
            % {"ref": order.reference}
        )


def order_adopt_candidate(
    *, order: PurchaseOrder, upstream_order_id: str, actor: Any
) -> PurchaseOrder:
    """A person says which candidate is ours: the order adopts it as it reads now."""
    require(actor, "submit_order")
    with transaction.atomic():
        order = locked(order.pk)
        _refuse_unless(can_choose_candidate(order), order)
        record = _candidate(order, upstream_order_id)
    # Read outside the lock (an upstream call), then lock again and re-check: a second click
    # that read too finds the question answered.
    [upstream] = route_for(order).read([upstream_order_id])
    with transaction.atomic():
        order = locked(order.pk)
        _refuse_unless(can_choose_candidate(order), order)
        order.adoption = {**order.adoption, "state": Adoption.CHOSEN, "chosen": upstream_order_id}
        order.save(update_fields=["adoption", "updated_at"])
        clear_attention(
            order,
            actor=actor,
            comment=_("adopted by a person: %(what)s") % {"what": describe(record)},
        )
        adopt_locked(order, Created.from_orders([upstream]), _("adopted by a person"))
        return order


def order_declare_none_ours(*, order: PurchaseOrder, actor: Any) -> PurchaseOrder:
    """A person says no candidate is ours: they are left out of every later look-up, and the
    order is created again (after one more look-up for anything new)."""
    from purchasing.tasks import submit_order

    require(actor, "submit_order")
    with transaction.atomic():
        order = locked(order.pk)
        _refuse_unless(can_choose_candidate(order), order)
        candidates = order.adoption.get("candidates", [])
        rejected = [*order.adoption.get("rejected", []), *(c["order_id"] for c in candidates)]
        order.adoption = {**order.adoption, "state": Adoption.NONE_OURS, "rejected": rejected}
        order.create_in_doubt = True  # look up once more before the create, for anything new
        order.save(update_fields=["adoption", "create_in_doubt", "updated_at"])
        clear_attention(
            order,
            actor=actor,
            comment=_("none of the candidates is ours (%(ids)s): creating again")
            % {"ids": ", ".join(c["order_id"] for c in candidates)},
        )
        order_id = order.pk
        transaction.on_commit(lambda: submit_order.delay(order_id=order_id))
        return order


def order_confirm_match(*, order: PurchaseOrder, actor: Any) -> PurchaseOrder:
    """A person confirms that the order found by match is ours: it may be paid now."""
    require(actor, "submit_order")
    with transaction.atomic():
        order = locked(order.pk)
        _refuse_unless(can_confirm_match(order), order)
        order.adoption = {**order.adoption, "state": Adoption.CONFIRMED}
        order.save(update_fields=["adoption", "updated_at"])
        clear_attention(
            order,
            actor=actor,
            comment=_("confirmed ours: %(ids)s") % {"ids": ", ".join(order.upstream_ids)},
        )
        return order
