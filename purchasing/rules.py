"""What may be done to a purchase order now, and by whom: one pure function per question.

Each `may_*` function takes the order and a user and answers from the order's state and the
user's permissions only (no upstream call, no query beyond the permission cache). The order
page, the bulk actions, the admin, the checkout pages and the storefront ask these; the services
keep their own guards, calling the state questions (`can_*`) so that a rule is written once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from purchasing.actors import is_policy
from purchasing.deadlines import is_reminder
from purchasing.models import PurchaseOrder
from purchasing.models.orders import Source
from purchasing.routes import Capability, route_for
from purchasing.services.orders.lookup import Adoption, is_awaiting_person
from purchasing.splitting import needs_split
from purchasing.statuses import FINAL, RANK, OrderStatus

# Nothing was sent upstream yet: a cancel is ours alone, and the order may be previewed again.
LOCAL_CANCEL = (
    OrderStatus.DRAFT,
    OrderStatus.PREVIEWED,
    OrderStatus.AWAITING_APPROVAL,
    OrderStatus.APPROVED,
)
# A voucher belongs to an order created upstream that is not closed.
VOUCHER_STATES = (
    OrderStatus.AWAITING_PAYMENT,
    OrderStatus.PAYING,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.AT_WAREHOUSE,
)
# Taobao's warehouse may change until the seller ships.
WAREHOUSE_STATES = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID)
# Whoever holds one of these may clear an order's needs_attention flag.
MAY_CLEAR = ("purchasing.approve_order", "purchasing.create_order")


def _route_can(order: PurchaseOrder, capability: Capability) -> bool:
    """What the order's route can do decides, never a platform test (purchasing/routes)."""
    return route_for(order).can(capability)


def is_created(order: PurchaseOrder) -> bool:
    """Whether the upstream holds an order of ours for it."""
    return bool(order.upstream_ids)


def is_paid(order: PurchaseOrder) -> bool:
    """Paid or further along the happy path (the upstream holds our money)."""
    return RANK.get(order.status, -1) >= RANK[OrderStatus.PAID]


def is_being_bought(order: PurchaseOrder) -> bool:
    """Sent upstream (or on its way) and not closed: a storefront may no longer withdraw it."""
    return not (cancels_locally(order) or is_closed(order))


# --- the order's state alone (the services' guards ask these too) ----------------------------


def can_preview(order: PurchaseOrder) -> bool:
    """Not sent upstream yet: previewed (again), its lines changed."""
    return order.status in LOCAL_CANCEL


def can_confirm(order: PurchaseOrder) -> bool:
    """A previewed order's latest preview may be accepted (if the preview itself still holds)."""
    return order.status == OrderStatus.PREVIEWED


def can_split(order: PurchaseOrder) -> bool:
    """A staff draft that one create cannot carry (purchasing/splitting.py) is split into
    parts before anything is sent upstream. A storefront's order keeps its one reference, which
    the storefront reads: it waits for a person instead."""
    return (
        order.status in (OrderStatus.DRAFT, OrderStatus.PREVIEWED)
        and order.source == Source.STAFF
        and needs_split(order)
    )


def can_note(order: PurchaseOrder) -> bool:
    """The note to the approver is written until an approver has decided."""
    return order.status in (
        OrderStatus.DRAFT,
        OrderStatus.PREVIEWED,
        OrderStatus.AWAITING_APPROVAL,
    )


def can_submit(order: PurchaseOrder) -> bool:
    """An approved order may be sent upstream."""
    return order.status == OrderStatus.APPROVED


def can_approve(order: PurchaseOrder) -> bool:
    """An approver may approve or reject the order (never their own: `approve_refusal`)."""
    return order.status == OrderStatus.AWAITING_APPROVAL


def can_cancel(order: PurchaseOrder) -> bool:
    """Before payment: locally before the create, upstream after it; never an order found by
    match before a person confirmed it (the cancel could hit someone else's order)."""
    if is_awaiting_person(order):
        return False
    return cancels_locally(order) or order.status == OrderStatus.AWAITING_PAYMENT


def awaits_payment(order: PurchaseOrder) -> bool:
    """Created upstream and not paid yet (whether it may be paid now is `can_pay`)."""
    return order.status == OrderStatus.AWAITING_PAYMENT


def can_choose_candidate(order: PurchaseOrder) -> bool:
    """A look-up after an unknown create found candidates without proof: a person adopts one or
    declares none ours."""
    return (
        order.status == OrderStatus.SUBMITTING
        and (order.adoption or {}).get("state") == Adoption.ASK
    )


def can_confirm_match(order: PurchaseOrder) -> bool:
    """An order adopted by a match waits for a person to confirm it is ours."""
    return (
        order.status not in FINAL
        and is_created(order)
        and (order.adoption or {}).get("state") == Adoption.MATCHED
    )


def can_pay(order: PurchaseOrder) -> bool:
    """Awaiting payment, and nobody was asked to look at it first. Its pay deadline raised is a
    reminder to pay, not a reason to stop: paying is what it asks for."""
    if not awaits_payment(order):
        return False
    return not order.needs_attention or is_reminder(order.attention_words)


def cancels_locally(order: PurchaseOrder) -> bool:
    """Nothing was sent upstream yet: a cancel is ours alone."""
    return order.status in LOCAL_CANCEL


def is_submitting(order: PurchaseOrder) -> bool:
    """Being created upstream: submitting it again changes nothing."""
    return order.status == OrderStatus.SUBMITTING


def is_closed(order: PurchaseOrder) -> bool:
    """Cancelled or failed: nothing is left to cancel."""
    return order.status in (OrderStatus.CANCELLED, OrderStatus.FAILED)


def can_confirm_receipt(order: PurchaseOrder) -> bool:
    """The goods of a shipped order reached the warehouse, where the route confirms receipt
    (1688)."""
    return _route_can(order, Capability.RECEIPT) and order.status == OrderStatus.SHIPPED


def can_change_warehouse(order: PurchaseOrder) -> bool:
    """Where the route lets the warehouse change (Taobao), before the seller ships."""
    return _route_can(order, Capability.WAREHOUSE) and order.status in WAREHOUSE_STATES


def can_take_voucher(order: PurchaseOrder) -> bool:
    return (
        _route_can(order, Capability.VOUCHER)
        and is_created(order)
        and order.status in VOUCHER_STATES
    )


def can_chat(order: PurchaseOrder) -> bool:
    """The seller chat link, where the route has one (Taobao), for orders past the draft."""
    return _route_can(order, Capability.IM) and order.status != OrderStatus.DRAFT


def shows_logistics(order: PurchaseOrder) -> bool:
    """The seller's logistics are worth reading once the order is paid upstream."""
    return is_created(order) and is_paid(order)


# --- by whom ---------------------------------------------------------------------------------


def may_preview(order: PurchaseOrder, user: Any) -> bool:
    return can_preview(order) and user.has_perm("purchasing.create_order")


def may_confirm(order: PurchaseOrder, user: Any) -> bool:
    """Accept the latest preview (which itself must still be acceptable)."""
    return can_confirm(order) and user.has_perm("purchasing.create_order")


def may_split(order: PurchaseOrder, user: Any) -> bool:
    return can_split(order) and user.has_perm("purchasing.create_order")


def may_note(order: PurchaseOrder, user: Any) -> bool:
    """Its purchaser writes the note to the approver (anyone who may buy, on an order nobody
    created, such as a storefront's)."""
    own = order.created_by_id is None or order.created_by_id == getattr(user, "pk", None)
    return can_note(order) and own and user.has_perm("purchasing.create_order")


def may_submit(order: PurchaseOrder, user: Any) -> bool:
    return can_submit(order) and user.has_perm("purchasing.submit_order")


def approve_refusal(order: PurchaseOrder, user: Any) -> str:
    """Why this person may not approve or reject the order now; empty when they may. Only a
    person approves: a policy's acceptance never stands in for an approver."""
    if not can_approve(order):
        return _("the order is not awaiting approval (it is %(status)s)") % {"status": order.status}
    if is_policy(user):
        return _("an order is approved by a person")
    if order.created_by_id is not None and order.created_by_id == user.pk:
        return _("nobody approves their own order")
    return ""


def approved_already(order: PurchaseOrder, user: Any) -> bool:
    """This person has given one of the approvals the waiting order asks for: nobody gives two
    (they may still reject it). An order not yet saved has no approvals."""
    if order.pk is None:
        return False
    request = order.approval_requests.order_by("-created_at", "-pk").first()
    return request is not None and request.approvals.filter(approver_id=user.pk).exists()


def may_approve(order: PurchaseOrder, user: Any) -> bool:
    return (
        user.has_perm("purchasing.approve_order")
        and not approve_refusal(order, user)
        and not approved_already(order, user)
    )


def may_pay(order: PurchaseOrder, user: Any) -> bool:
    return can_pay(order) and user.has_perm("purchasing.pay_order")


def may_pay_at_cashier(order: PurchaseOrder, user: Any, cashier_url: str) -> bool:
    """Follow the cashier link of an order whose password-free payment was refused
    (`selectors.orders.cashier_links`, read by the page): paying there is paying."""
    return bool(cashier_url) and awaits_payment(order) and user.has_perm("purchasing.pay_order")


def may_cancel(order: PurchaseOrder, user: Any) -> bool:
    return can_cancel(order) and user.has_perm("purchasing.create_order")


def may_refresh(order: PurchaseOrder, user: Any) -> bool:
    return (
        is_created(order)
        and order.status not in FINAL
        and (user.has_perm("purchasing.create_order") or user.has_perm("purchasing.pay_order"))
    )


def may_confirm_receipt(order: PurchaseOrder, user: Any) -> bool:
    return can_confirm_receipt(order) and user.has_perm("purchasing.create_order")


def may_change_warehouse(order: PurchaseOrder, user: Any) -> bool:
    return (
        is_created(order)
        and can_change_warehouse(order)
        and user.has_perm("purchasing.create_order")
    )


def may_upload_voucher(order: PurchaseOrder, user: Any) -> bool:
    return can_take_voucher(order) and user.has_perm("purchasing.pay_order")


def may_clear_attention(order: PurchaseOrder, user: Any) -> bool:
    """Not while a look-up's question is open: that is answered by its own actions."""
    return (
        order.needs_attention
        and not is_awaiting_person(order)
        and any(user.has_perm(p) for p in MAY_CLEAR)
    )


def may_choose_candidate(order: PurchaseOrder, user: Any) -> bool:
    return can_choose_candidate(order) and user.has_perm("purchasing.submit_order")


def may_confirm_match(order: PurchaseOrder, user: Any) -> bool:
    return can_confirm_match(order) and user.has_perm("purchasing.submit_order")


def may_open_refund(order: PurchaseOrder, user: Any) -> bool:
    """Open a refund or return: the upstream holds our money for the order."""
    return shows_logistics(order) and user.has_perm("purchasing.manage_aftersales")


def order_actions(order: PurchaseOrder, user: Any, *, cashier_url: str = "") -> dict[str, bool]:
    """Every question above for one order and person, as the order page shows them
    (`cashier_url`: the order's cashier link, if any)."""
    return {
        "confirm": may_confirm(order, user),
        "submit": may_submit(order, user),
        "pay": may_pay(order, user),
        "cashier": may_pay_at_cashier(order, user, cashier_url),
        "cancel": may_cancel(order, user),
        "refresh": may_refresh(order, user),
        "receipt": may_confirm_receipt(order, user),
        "im": can_chat(order),
        "logistics": shows_logistics(order),
        "warehouse": may_change_warehouse(order, user),
        "voucher": may_upload_voucher(order, user),
        "clear_attention": may_clear_attention(order, user),
        "choose_candidate": may_choose_candidate(order, user),
        "confirm_match": may_confirm_match(order, user),
        # Attention on a paid order (closed upstream after payment...): the way to the money.
        "refund": order.needs_attention and may_open_refund(order, user),
    }
