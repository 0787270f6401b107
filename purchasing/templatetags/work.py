"""`{% work_panel thing %}`: who holds an order or a case, and the buttons to take it, give it
to someone or put it back, as the signed-in person may."""

from __future__ import annotations

from typing import Any

from django import template

from purchasing.models import PurchaseOrder, WaitReason
from purchasing.selectors.work import assignable_people, is_past_sla
from purchasing.services.orders.work import MAY_ASSIGN, MAY_TAKE_ORDER
from purchasing.statuses import FINAL

register = template.Library()
MAY_TAKE_CASE = "purchasing.manage_aftersales"


@register.inclusion_tag("purchasing/partials/work_panel.html", takes_context=True)
def work_panel(context: template.Context, thing: Any, compact: bool = False) -> dict:
    user = context["request"].user
    is_order = isinstance(thing, PurchaseOrder)
    is_open = thing.status not in FINAL if is_order else not thing.is_final
    prefix = "orders" if is_order else "aftersales"
    may_assign = user.has_perm(MAY_ASSIGN)
    people: list = []
    if is_open and may_assign:
        # One query for every row of a list: kept on the render of this page.
        cache = context.render_context
        if "work_people" not in cache:
            cache["work_people"] = list(assignable_people())
        people = cache["work_people"]
    return {
        "thing": thing,
        "compact": compact,
        "claim_url": f"{prefix}:claim",
        "assign_url": f"{prefix}:assign",
        "release_url": f"{prefix}:release",
        "may_take": is_open and user.has_perm(MAY_TAKE_ORDER if is_order else MAY_TAKE_CASE),
        "may_assign": is_open and may_assign,
        "mine": thing.assignee_id == user.pk,
        "people": people,
        "here": context["request"].get_full_path(),
        "ask_reason": is_open and is_order and not compact and is_past_sla(thing),
        "reasons": WaitReason.choices,
        "csrf_token": context.get("csrf_token"),
    }
