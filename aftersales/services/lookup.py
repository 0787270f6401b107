"""After an unknown refund-create outcome: which upstream refunds could be the one we asked
for, and on what evidence (DESIGN.md rule 7, as purchasing/services/orders/lookup.py does for
orders).

No refund page promises to keep or echo our `outerRefundId`, and the account's refund list may
ignore its filter and hand us every refund of the account. So each listed refund is judged on
its own:
- `echoed`: it carries our reference. Proof: it is ours.
- `match`: no reference, but it claims exactly our order lines, our amount, our reason and our
  kind (refund only, or return), and was created inside the window of our create attempts.
- `doubtful`: no reference, it claims some of our lines, and something else differs or cannot
  be read. A person decides.
Refunds carrying another reference, on other lines, created outside the window, held by another
case, or declared not ours by a person are not candidates.

A unique match is adopted without a question (the case says "found by match"): the refund is a
claim on lines of an upstream order only we hold, asking exactly what we asked; adopting it
only reads it, and money is recorded only when the upstream reports it refunded, never past
what was paid (sync.py). Anything less certain stops the case for a person, and nothing is
created while any candidate stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_noop

from aftersales import routes
from aftersales.models import RefundCase
from aftersales.services.common import lease
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.phrases import listed
from upstream.types.aftersales import Refund
from upstream.types.orders.common import parse_time

# The upstream's clock and ours may disagree: the window is widened by this much either side.
CLOCK_SKEW = timedelta(minutes=10)
FACTS = ("lines", "amount", "reason", "kind", "time")


class Evidence(StrEnum):
    ECHOED = "echoed"  # our reference came back with it
    MATCH = "match"  # every fact matches, without our reference
    DOUBTFUL = "doubtful"  # claims some of our lines; something else differs or is unknown


class LookupState(StrEnum):
    """`RefundCase.lookup["state"]`: where the look-up left the case."""

    ASK = "ask"  # stopped: a person adopts one candidate or declares none ours
    CHOSEN = "chosen"  # a person adopted one of the candidates
    NONE_OURS = "none_ours"  # a person declared none ours: the create may happen again


@dataclass(frozen=True)
class Candidate:
    """One upstream refund that could be ours, with what speaks for and against it."""

    refund: Refund
    evidence: Evidence
    facts: dict[str, bool | None] = field(default_factory=dict)  # None: could not be read

    def record(self) -> dict[str, Any]:
        """What the case keeps of it, for the page and for a person's choice."""
        return {
            "refund_id": self.refund.refund_id,
            "apply_fen": self.refund.apply_fen,
            "created_at": self.refund.created_at,
            "status": self.refund.status,
            "evidence": str(self.evidence),
            "facts": self.facts,
        }


@dataclass
class LookUp:
    """Every candidate the look-up found, and what they allow."""

    candidates: list[Candidate]

    def ours(self) -> tuple[Candidate | None, str]:
        """The refund that is certainly ours, and how it was found; (None, "") when a person
        must decide or nothing was found."""
        echoed = sorted(
            (c for c in self.candidates if c.evidence == Evidence.ECHOED),
            key=lambda c: (c.refund.created_at, c.refund.refund_id),
        )
        if echoed:
            return echoed[0], _("found upstream by our reference")
        if len(self.candidates) == 1 and self.candidates[0].evidence == Evidence.MATCH:
            return self.candidates[0], _(
                "found upstream by match (same order lines, amount, reason and kind, created "
                "while our create was under way)"
            )
        return None, ""

    def records(self) -> list[dict[str, Any]]:
        return [c.record() for c in self.candidates]


def look_up(case: RefundCase) -> LookUp:
    """Ask the upstream for the refunds of the case's order, and judge each."""
    found = routes.for_case(case).find_refunds(case)
    lines = {cl.line.upstream_sub_order_id for cl in case.case_lines.select_related("line")}
    window = attempt_window(case)
    skip = _not_ours(case, [refund.refund_id for refund in found])
    judged = [_judge(case, r, lines, window) for r in found if r.refund_id not in skip]
    return LookUp(candidates=[c for c in judged if c is not None])


def attempt_window(case: RefundCase) -> tuple[datetime, datetime] | None:
    """From the first create attempt to the last one's lease, widened for clock skew."""
    attempts = case.events.filter(kind="create").order_by("created_at")
    first, last = attempts.first(), attempts.last()
    if first is None or last is None:
        return None
    return first.created_at - CLOCK_SKEW, last.created_at + lease() + CLOCK_SKEW


def _not_ours(case: RefundCase, ids: list[str]) -> set[str]:
    """Listed refunds held by another of our cases, or declared not ours by a person."""
    taken = RefundCase.objects.filter(platform=case.platform, upstream_refund_id__in=ids)
    held = set(taken.exclude(pk=case.pk).values_list("upstream_refund_id", flat=True))
    return held | set((case.lookup or {}).get("rejected", []))


def _judge(
    case: RefundCase, refund: Refund, lines: set[str], window: tuple[datetime, datetime] | None
) -> Candidate | None:
    if refund.outer_ref:
        if refund.outer_ref != case.reference:
            return None  # someone else's reference
        return Candidate(refund, Evidence.ECHOED)
    claimed = set(refund.sub_order_ids)
    if not claimed & lines:
        return None  # none of our lines (another order's, when the filter was ignored)
    created = parse_time(refund.created_at)
    if created is not None and window is not None and not window[0] <= created <= window[1]:
        return None  # created when no create of ours was under way
    facts: dict[str, bool | None] = {
        "lines": claimed == lines,
        "amount": refund.apply_fen == case.asked_fen,
        "reason": refund.reason_id == case.reason_id,
        "kind": refund.refund_type == case.refund_type,
        "time": None if created is None or window is None else True,
    }
    evidence = Evidence.MATCH if all(facts[f] is True for f in FACTS) else Evidence.DOUBTFUL
    return Candidate(refund, evidence, facts)


# -- in words ------------------------------------------------------------------------------------
# Msgids, said as phrases when used: a candidate's description goes on the case timeline
# (adopted, or the question a person is asked), which keeps its words for every reader.
FACT_WORDS = {
    "lines": gettext_noop("order lines"),
    "amount": gettext_noop("amount"),
    "reason": gettext_noop("reason"),
    "kind": gettext_noop("kind"),
    "time": gettext_noop("created while our create was under way"),
}


def describe(record: dict[str, Any]) -> str:
    """One candidate in words: its id, amount, creation time and what matched."""
    facts = record.get("facts") or {}
    same = [_(FACT_WORDS[f]) for f in FACTS if facts.get(f) is True]
    differ = [_(FACT_WORDS[f]) for f in FACTS if facts.get(f) is False]
    unknown = [_(FACT_WORDS[f]) for f in FACTS if facts.get(f) is None]
    parts = []
    if same:
        parts.append(_("same %(facts)s") % {"facts": listed(same)})
    if differ:
        parts.append(_("different %(facts)s") % {"facts": listed(differ)})
    if unknown:
        parts.append(_("unknown %(facts)s") % {"facts": listed(unknown)})
    return _("upstream refund %(id)s, %(amount)s, created %(created)s: %(why)s") % {
        "id": record.get("refund_id"),
        "amount": format_cny(record.get("apply_fen") or 0),
        "created": record.get("created_at") or _("an unknown time"),
        "why": listed(parts, semicolons=True),
    }


def question(records: list[dict[str, Any]]) -> str:
    """The attention reason of a case stopped with these candidates."""
    return _(
        "The create's outcome is unknown and the upstream lists refunds that may be ours: "
        "%(candidates)s. Adopt the one that is ours, or declare none ours to create it again."
    ) % {"candidates": listed([describe(record) for record in records], semicolons=True)}
