"""What must hold once the faults stop and the sweeper and reconciler have gone quiet, checked
against the sandbox's ledger and orders and against our database; and the table of a run."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from purchasing.models import OrderEvent, PurchaseOrder, UpstreamMessage
from purchasing.statuses import OrderStatus, from_upstream
from tests.faults.chaos import FORGED
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment
from upstream.sandbox.models.control import LedgerEntry
from upstream.sandbox.models.orders import FOREIGN_PREFIX

# Where an order that never reached the upstream may rest.
NOT_CREATED = (OrderStatus.DRAFT, OrderStatus.PREVIEWED, OrderStatus.FAILED, OrderStatus.CANCELLED)


@dataclass
class Findings:
    orders: int = 0
    creates: int = 0
    duplicate_creates: list[str] = field(default_factory=list)
    payments: int = 0
    duplicate_payments: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)
    broken_timelines: list[str] = field(default_factory=list)
    unsigned_changes: list[str] = field(default_factory=list)
    foreign_adopted: list[str] = field(default_factory=list)
    foreign_paid: list[str] = field(default_factory=list)
    by_status: Counter = field(default_factory=Counter)
    needs_attention: int = 0
    split_parts: int = 0  # orders that are a part of a split draft

    @property
    def problems(self) -> dict[str, list[str]]:
        return {
            name: found
            for name, found in (
                ("duplicate creates", self.duplicate_creates),
                ("duplicate payments", self.duplicate_payments),
                ("lost orders", self.lost),
                ("orders out of step with the upstream", self.inconsistent),
                ("broken timelines", self.broken_timelines),
                ("changes without a valid signature", self.unsigned_changes),
                ("someone else's orders taken for ours", self.foreign_adopted),
                ("someone else's orders paid by us", self.foreign_paid),
            )
            if found
        }


def check(order_ids: Iterable[int]) -> Findings:
    ids = sorted(set(order_ids))
    found = Findings(orders=len(ids))
    orders = {o.pk: o for o in PurchaseOrder.objects.filter(pk__in=ids)}
    refs = {o.reference: o for o in orders.values()}

    creates: Counter = Counter()
    pays: Counter = Counter()
    for entry in LedgerEntry.objects.all():
        for ref in filter(None, entry.outer_ref.split(",")):
            (creates if entry.kind == "create" else pays)[ref] += 1
    found.creates, found.payments = sum(creates.values()), sum(pays.values())
    found.duplicate_creates = [f"{ref}: {n} creates" for ref, n in creates.items() if n > 1]
    found.duplicate_payments = [f"{ref}: {n} pay calls" for ref, n in pays.items() if n > 1]
    ours_paid = Payment.objects.exclude(order__created_by__startswith=FOREIGN_PREFIX)
    paid = Counter(ours_paid.values_list("order__outer_ref", flat=True))
    found.duplicate_payments += [f"{ref}: paid {n} times" for ref, n in paid.items() if n > 1]
    _foreign(orders, found)

    upstream: dict[str, list[SandboxOrder]] = defaultdict(list)
    for sandbox_order in SandboxOrder.objects.filter(outer_ref__in=list(refs)):
        upstream[sandbox_order.outer_ref].append(sandbox_order)

    for pk in ids:
        order = orders.get(pk)
        if order is None:
            found.lost.append(f"order {pk} is gone")
            continue
        found.by_status[order.status] += 1
        found.needs_attention += order.needs_attention
        found.split_parts += order.split_from_id is not None
        theirs = upstream.get(order.reference, [])
        _consistent(order, theirs, found)
    for ref in creates:
        if ref not in refs and ref.startswith("CG"):
            found.lost.append(f"{ref} was created upstream but is not one of ours")

    found.broken_timelines = _timelines(orders)
    forged = UpstreamMessage.objects.filter(raw__contains=FORGED)
    found.unsigned_changes = [f"message {m.pk} ({m.message_type}) stored" for m in forged]
    found.unsigned_changes += [
        f"message {m.pk} stored unverified" for m in UpstreamMessage.objects.filter(verified=False)
    ]
    found.unsigned_changes += [
        f"{e.order.reference}: {e.message}"
        for e in OrderEvent.objects.filter(message__contains=FORGED).select_related("order")
    ]
    return found


def _foreign(orders: dict[int, PurchaseOrder], found: Findings) -> None:
    """Orders someone else placed on the account: never ours, never paid by us (their own
    payments leave no Payment row: the sandbox records only pay calls it received)."""
    foreign = SandboxOrder.objects.filter(created_by__startswith=FOREIGN_PREFIX)
    foreign_ids = set(foreign.values_list("order_id", flat=True))
    found.foreign_adopted = [
        f"{order.reference}: took {sorted(set(order.upstream_ids) & foreign_ids)}"
        for order in orders.values()
        if set(order.upstream_ids) & foreign_ids
    ]
    found.foreign_paid = [
        f"{payment.order.order_id} paid by {payment.operation}"
        for payment in Payment.objects.filter(order__in=foreign).select_related("order")
    ]


def _consistent(order: PurchaseOrder, theirs: list[SandboxOrder], found: Findings) -> None:
    if order.status == OrderStatus.SUBMITTING and (order.adoption or {}).get("state") == "ask":
        # Stopped for a person after a look-up: nothing adopted, and what our creates made
        # upstream is among the candidates the person chooses from.
        listed = {c.get("order_id") for c in order.adoption.get("candidates", [])}
        missing = sorted(o.order_id for o in theirs if o.order_id not in listed)
        if not order.needs_attention or order.upstream_ids or missing:
            found.lost.append(f"{order.reference}: stopped for a person, ours not listed {missing}")
        return
    if order.status in (OrderStatus.SUBMITTING, OrderStatus.PAYING):
        found.lost.append(f"{order.reference} left {order.status}")
        return
    if not theirs:
        if order.upstream_ids:
            found.inconsistent.append(f"{order.reference}: upstream ids but no upstream order")
        elif order.status not in NOT_CREATED:
            found.inconsistent.append(f"{order.reference}: {order.status}, never created")
        return
    if sorted(order.upstream_ids) != sorted(o.order_id for o in theirs):
        found.lost.append(
            f"{order.reference}: upstream has {[o.order_id for o in theirs]}, "
            f"we know {order.upstream_ids}"
        )
        return
    for sandbox_order in theirs:
        expected = from_upstream(sandbox_order.status)
        if expected == OrderStatus.SUBMITTING:  # still being built upstream: ours awaits payment
            expected = OrderStatus.AWAITING_PAYMENT
        if expected != order.status:
            found.inconsistent.append(
                f"{order.reference}: ours {order.status}, upstream {sandbox_order.status}"
            )


def _timelines(orders: dict[int, PurchaseOrder]) -> list[str]:
    """Each event starts where the one before it ended, and the last ends where the order is."""
    events: dict[int, list[OrderEvent]] = defaultdict(list)
    for event in OrderEvent.objects.filter(order_id__in=list(orders)).order_by(
        "order_id", "created_at", "pk"
    ):
        events[event.order_id].append(event)
    broken = []
    for pk, order in orders.items():
        timeline = events.get(pk, [])
        if not timeline:
            broken.append(f"{order.reference}: no events")
            continue
        if timeline[0].from_status not in ("", OrderStatus.DRAFT):
            broken.append(f"{order.reference}: starts at {timeline[0].from_status}")
        for before, after in itertools.pairwise(timeline):
            if after.from_status != before.to_status:
                broken.append(
                    f"{order.reference}: event {after.pk} from {after.from_status} after "
                    f"event {before.pk} to {before.to_status}"
                )
        if timeline[-1].to_status != order.status:
            broken.append(f"{order.reference}: ends at {timeline[-1].to_status}, is {order.status}")
        if [e.pk for e in timeline] != sorted(e.pk for e in timeline):
            broken.append(f"{order.reference}: event times disagree with their order")
    return broken


def table(faults: Counter, found: Findings, *, lost_enqueues: int, seconds: float) -> str:
    """The run in one table: faults by kind, then orders, creates, payments and the zeros."""
    width = max([len(k) for k in faults] + [36])
    rows = [f"{'fault injected':<{width}}  count", "-" * (width + 7)]
    rows += [f"{kind:<{width}}  {n:5d}" for kind, n in sorted(faults.items())]
    rows += [
        f"{'faults, all kinds':<{width}}  {sum(faults.values()):5d}",
        f"{'task enqueues lost with the broker':<{width}}  {lost_enqueues:5d}",
        "-" * (width + 7),
        f"{'orders':<{width}}  {found.orders:5d}",
        f"{'of them parts of split drafts':<{width}}  {found.split_parts:5d}",
        f"{'upstream creates':<{width}}  {found.creates:5d}",
        f"{'duplicate creates (must be 0)':<{width}}  {len(found.duplicate_creates):5d}",
        f"{'payments':<{width}}  {found.payments:5d}",
        f"{'duplicate payments (must be 0)':<{width}}  {len(found.duplicate_payments):5d}",
        f"{'lost orders (must be 0)':<{width}}  {len(found.lost):5d}",
        f"{'out of step with upstream (must be 0)':<{width}}  {len(found.inconsistent):5d}",
        f"{'broken timelines (must be 0)':<{width}}  {len(found.broken_timelines):5d}",
        f"{'unsigned changes (must be 0)':<{width}}  {len(found.unsigned_changes):5d}",
        f"{'foreign orders taken (must be 0)':<{width}}  {len(found.foreign_adopted):5d}",
        f"{'foreign orders paid (must be 0)':<{width}}  {len(found.foreign_paid):5d}",
        f"{'stopped for a person':<{width}}  {found.needs_attention:5d}",
        "final statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(found.by_status.items())),
        f"wall time: {seconds:.0f} s",
    ]
    return "\n".join(rows)
