"""After an unknown create outcome: which upstream orders could be ours, and on what evidence
(DESIGN.md rule 7: never adopt what is not provably ours).

The upstream may ignore our reference (it is not on its pages), and its list may ignore the
filter and hand us every order on the account, other people's included. So each listed order is
judged on its own:
- `echoed`: it carries our reference. Proof: it is ours.
- `match`: no reference, but its goods, quantities, address and amount are ours and it was
  created inside the window of our create attempts. Likely ours; a person confirms.
- `doubtful`: no reference, it shares goods with ours, and something else differs or cannot
  be read; or another of our orders, of the same goods, was being created at the same time
  and has no upstream order yet, so the order could as well be that one's. A person decides.
Orders carrying another reference, sharing no goods, created outside the window, already held by
another of our orders, or declared not ours by a person are not candidates at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy

from purchasing.models import PurchaseOrder, PurchaseOrderLine
from purchasing.money import format_cny, within_tolerance
from purchasing.phrases import gettext as _
from purchasing.routes import Capability, route_for
from purchasing.routes.base import LookUpIncomplete, by_seller
from purchasing.services.orders.common import lease
from purchasing.statuses import OrderStatus
from upstream.types.orders import DeliveryAddress
from upstream.types.orders import Order as UpstreamOrder
from upstream.types.orders.receivers import delivered_to

# The upstream's clock and ours may disagree: the window is widened by this much either side.
CLOCK_SKEW = timedelta(minutes=10)
FACTS = ("goods", "quantities", "address", "amount", "time")


class Evidence(StrEnum):
    ECHOED = "echoed"  # our reference came back with it
    MATCH = "match"  # every fact matches, without our reference
    DOUBTFUL = "doubtful"  # shares goods with ours; something else differs or is unknown


class Adoption(StrEnum):
    """`PurchaseOrder.adoption["state"]`: where the look-up left the order."""

    ASK = "ask"  # stopped: a person adopts one candidate or declares none ours
    MATCHED = "matched"  # adopted by a match: a person confirms before it may be paid
    CONFIRMED = "confirmed"  # a person confirmed the match
    CHOSEN = "chosen"  # a person adopted one of the candidates
    NONE_OURS = "none_ours"  # a person declared none ours: the create may happen again


@dataclass(frozen=True)
class Candidate:
    """One upstream order that could be ours, with what speaks for and against it."""

    order: UpstreamOrder
    evidence: Evidence
    facts: dict[str, bool | None] = field(default_factory=dict)  # None: could not be read
    covers: frozenset[str] = frozenset()  # the goods of ours it holds (item/SKU)
    rivals: tuple[str, ...] = ()  # references of our other orders that could claim it too

    def record(self) -> dict[str, Any]:
        """What the order keeps of it, for the page and for a person's choice."""
        return {
            "order_id": self.order.order_id,
            "order_no": self.order.order_no,
            "total_fen": self.order.total_fen,
            "created_at": self.order.created_at.isoformat() if self.order.created_at else "",
            "evidence": str(self.evidence),
            "facts": self.facts,
            "rivals": list(self.rivals),
        }


@dataclass
class LookUp:
    """Every candidate the look-up found, and what they allow."""

    candidates: list[Candidate]
    all_items: frozenset[str] = frozenset()
    # The upstream listed more orders in the window than were read: one of ours may be unread.
    incomplete: bool = False

    @property
    def echoed(self) -> list[UpstreamOrder]:
        return [c.order for c in self.candidates if c.evidence == Evidence.ECHOED]

    def unique_match(self) -> list[UpstreamOrder]:
        """The one set of matching orders that holds our goods exactly once (one order, or one
        per seller where the route splits), when nothing doubtful stands beside it and the whole
        window was read; else []."""
        if self.incomplete or any(c.evidence == Evidence.DOUBTFUL for c in self.candidates):
            return []
        matches = [c for c in self.candidates if c.evidence == Evidence.MATCH]
        covered: set[str] = set()
        for candidate in matches:
            if covered & candidate.covers:
                return []  # two orders hold the same goods: several candidates
            covered |= candidate.covers
        if not matches or covered != self.all_items:
            return []
        return [c.order for c in matches]

    def records(self) -> list[dict[str, Any]]:
        return [c.record() for c in self.candidates]


def look_up(order: PurchaseOrder) -> LookUp:
    """Ask the upstream for the orders that could be ours, and judge each.

    A list filtered by our reference that shows no order carrying it proves nothing: an
    upstream may have dropped the reference from the create and still filter by it. So the
    account's orders since the window opened are listed too, unfiltered, and judged alike."""
    window = attempt_window(order)
    incomplete = False
    try:
        listed = route_for(order).find_by_reference(
            order.reference, since=window[0] if window else None
        )
    except LookUpIncomplete as unread:
        listed, incomplete = unread.orders, True
    lines = list(order.lines.all())
    groups = _groups(order, lines)
    skip = _not_ours(order, [o.order_id for o in listed])
    rivals = _rivals(order, window)
    judged = [_judge(order, o, groups, window, rivals) for o in listed if o.order_id not in skip]
    every = frozenset(_quantities(lines))
    candidates = [c for c in judged if c is not None]
    return LookUp(candidates=candidates, all_items=every, incomplete=incomplete)


def attempt_window(order: PurchaseOrder) -> tuple[datetime, datetime] | None:
    """From the first create attempt to the last one's lease, widened for clock skew: an order
    ours could have made was created inside it."""
    attempts = order.events.filter(kind="create").order_by("created_at")
    first, last = attempts.first(), attempts.last()
    if first is None or last is None:
        return None
    return first.created_at - CLOCK_SKEW, last.created_at + lease() + CLOCK_SKEW


def _groups(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> list[dict[str, int]]:
    """What one upstream order of ours would hold, item -> quantity: all our lines, or where
    the route splits, one seller's lines (or all of them, in one order)."""
    whole = _quantities(lines)
    if not route_for(order).can(Capability.SPLIT):
        return [whole]
    sellers = [_quantities(group) for group in by_seller(lines)]
    return sellers if whole in sellers else [*sellers, whole]


def _quantities(lines: list[Any]) -> dict[str, int]:
    """Goods -> quantity, goods being the item and its SKU (or 1688 spec): the same item in
    another colour is other goods."""
    totals: dict[str, int] = {}
    for line in lines:
        goods = f"{line.item_id}/{line.sku_id or line.spec_id}"
        totals[goods] = totals.get(goods, 0) + line.quantity
    return totals


def _rivals(
    order: PurchaseOrder, window: tuple[datetime, datetime] | None
) -> dict[str, frozenset[str]]:
    """Our other orders whose create is in doubt as well: still submitting, holding no upstream
    order, with a create attempt inside our window; reference -> their goods. An order made
    without our reference that holds their goods could be theirs as much as ours."""
    if window is None:
        return {}
    others = (
        PurchaseOrder.objects.filter(
            platform=order.platform,
            status=OrderStatus.SUBMITTING,
            upstream_order_id="",
            events__kind="create",
            events__created_at__range=window,
        )
        .exclude(pk=order.pk)
        .distinct()
        .prefetch_related("lines")
    )
    return {other.reference: frozenset(_quantities(other.lines.all())) for other in others}


def _not_ours(order: PurchaseOrder, ids: list[str]) -> set[str]:
    """Listed orders that are certainly not this order's: held by another of our orders, or
    declared not ours by a person."""
    taken = set(
        PurchaseOrder.objects.filter(upstream_order_id__in=ids)
        .exclude(pk=order.pk)
        .values_list("upstream_order_id", flat=True)
    )
    taken |= set(
        PurchaseOrderLine.objects.filter(upstream_order_id__in=ids)
        .exclude(order=order)
        .values_list("upstream_order_id", flat=True)
    )
    return taken | set((order.adoption or {}).get("rejected", []))


def _judge(
    order: PurchaseOrder,
    upstream: UpstreamOrder,
    groups: list[dict[str, int]],
    window: tuple[datetime, datetime] | None,
    rivals: dict[str, frozenset[str]],
) -> Candidate | None:
    if upstream.outer_ref:
        if upstream.outer_ref != order.reference:
            return None  # someone else's reference
        return Candidate(upstream, Evidence.ECHOED)
    theirs = _quantities(upstream.lines)
    shared = [group for group in groups if set(group) & set(theirs)]
    if not shared:
        return None  # none of our goods
    created = upstream.created_at
    if created is not None and window is not None and not window[0] <= created <= window[1]:
        return None  # created when no create of ours was under way
    group = next((g for g in shared if set(g) == set(theirs)), None)
    facts: dict[str, bool | None] = {
        "goods": group is not None,
        "quantities": group is not None and group == theirs,
        "address": _same_place(order.address, delivered_to(upstream)),
        "amount": _same_amount(order, upstream, group),
        "time": None if created is None or window is None else True,
    }
    claimed = tuple(sorted(ref for ref, goods in rivals.items() if goods & theirs.keys()))
    matches = all(facts[f] is True for f in FACTS) and not claimed
    evidence = Evidence.MATCH if matches else Evidence.DOUBTFUL
    return Candidate(upstream, evidence, facts, frozenset(group or ()), claimed)


def _same_amount(
    order: PurchaseOrder, upstream: UpstreamOrder, group: dict[str, int] | None
) -> bool | None:
    """The whole order against the accepted total; one seller's part by its goods."""
    if group is None:
        return False
    lines = [line for line in order.lines.all() if _quantities([line]).keys() <= group.keys()]
    if len(lines) == order.lines.count():
        accepted = order.budget_fen if order.budget_fen is not None else order.quoted_total_fen
        return within_tolerance(accepted, upstream.total_fen)
    goods = upstream.goods_fen or sum(line.amount_fen for line in upstream.lines)
    return within_tolerance(sum(line.amount_fen for line in lines), goods)


def _same_place(ours: dict[str, Any], theirs: DeliveryAddress | None) -> bool | None:
    """Same person, same mobile (its last four digits: answers may mask the rest) and our
    street inside their address; None when the upstream did not say."""
    if theirs is None:
        return None
    mine = DeliveryAddress.of(ours or {})
    place = _compact(" ".join((theirs.state, theirs.city, theirs.district, theirs.address)))
    return (
        _compact(mine.name) == _compact(theirs.name)
        and _digits(mine.mobile)[-4:] == _digits(theirs.mobile)[-4:]
        and _compact(mine.address) in place
    )


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


# -- in words ------------------------------------------------------------------------------------
FACT_WORDS = {
    "goods": gettext_lazy("goods"),
    "quantities": gettext_lazy("quantities"),
    "address": gettext_lazy("address"),
    "amount": gettext_lazy("amount"),
    "time": gettext_lazy("created while our create was under way"),
}


def describe(record: dict[str, Any]) -> str:
    """One candidate in words: its id, amount, creation time and what matched."""
    facts = record.get("facts") or {}
    if record.get("evidence") == Evidence.ECHOED:
        why = _("carries our reference")
    else:
        same = [str(FACT_WORDS[f]) for f in FACTS if facts.get(f) is True]
        differ = [str(FACT_WORDS[f]) for f in FACTS if facts.get(f) is False]
        unknown = [str(FACT_WORDS[f]) for f in FACTS if facts.get(f) is None]
        parts = []
        if same:
            parts.append(_("same %(facts)s") % {"facts": ", ".join(same)})
        if differ:
            parts.append(_("different %(facts)s") % {"facts": ", ".join(differ)})
        if unknown:
            parts.append(_("unknown %(facts)s") % {"facts": ", ".join(unknown)})
        if record.get("rivals"):
            parts.append(
                _("it could as well be %(orders)s, of the same goods, created at the same time")
                % {"orders": ", ".join(record["rivals"])}
            )
        why = "; ".join(parts)
    created = (record.get("created_at") or "")[:19].replace("T", " ") or _("an unknown time")
    return _("upstream order %(id)s, %(amount)s, created %(created)s: %(why)s") % {
        "id": record.get("order_id"),
        "amount": format_cny(record.get("total_fen") or 0),
        "created": created,
        "why": why,
    }


def is_awaiting_person(order: PurchaseOrder) -> bool:
    """A look-up left a decision to a person (choose a candidate, or confirm a match)."""
    return (order.adoption or {}).get("state") in (Adoption.ASK, Adoption.MATCHED)
