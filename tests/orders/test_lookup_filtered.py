"""An upstream that honours the list filter by our reference, yet dropped that reference on the
create: the order it holds is listed only unfiltered. The look-up must still find it by its
goods, never create it again (the fault suite met this with a 5xx after the create landed)."""

from __future__ import annotations

import pytest

from purchasing.models import PurchaseOrder
from purchasing.statuses import OrderStatus
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import looked_up_after_its_lease
from upstream.sandbox import control
from upstream.sandbox.models import Fault, LedgerEntry
from upstream.sandbox.models import Order as SandboxOrder

CREATES = ("/open/order", "/alibaba/order/create", "/v2/alibaba/order/create")


@pytest.fixture
def creates_drop_the_reference(monkeypatch):
    """Creates keep no reference; lists still filter by it."""
    before = control.before_call

    def dropping(call):
        if call.op.kind == "create":
            call.references_ignored = True
        return before(call)

    monkeypatch.setattr(control, "before_call", dropping)


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_a_lost_create_whose_reference_was_dropped_is_found_by_its_goods(
    live, people, creates_drop_the_reference, early_look_alikes, platform
):
    # Under the documented profile the account's look-alikes are placed outside the window of
    # our attempts, so the one order inside it is ours (look-alikes inside it: test_adoption).
    for path in CREATES:
        Fault.objects.create(path=path, mode="drop_response", count=1)

    order = looked_up_after_its_lease(submitted_order(people, platform=platform))

    landed = SandboxOrder.objects.get(outer_ref=order.reference)
    assert LedgerEntry.objects.filter(kind="create").count() == 1
    assert order.status == OrderStatus.AWAITING_PAYMENT, (order.attention_reason, order.adoption)
    assert order.upstream_ids == [landed.order_id]
    assert order.needs_attention and order.adoption["state"] == "matched"


def test_a_match_another_of_our_orders_could_claim_stops_for_a_person(
    live, people, creates_drop_the_reference, early_look_alikes
):
    # Two orders of the same goods are created at once; one's answer is lost, and the order it
    # made upstream keeps no reference. The other has no upstream order yet, so what the
    # upstream lists could be either's: adopting it by its goods could take the other's order
    # (and that one would then create again). A person decides.
    rival = previewed_order(people, actor=people.approver)
    PurchaseOrder.objects.filter(pk=rival.pk).update(status=OrderStatus.SUBMITTING)
    rival.note("creating upstream (attempt 1)", kind="create")
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = looked_up_after_its_lease(submitted_order(people))

    assert [(line.item_id, line.sku_id) for line in order.lines.all()] == [
        (line.item_id, line.sku_id) for line in rival.lines.all()
    ]
    landed = SandboxOrder.objects.get(outer_ref=order.reference)
    assert LedgerEntry.objects.filter(kind="create").count() == 1
    assert order.status == OrderStatus.SUBMITTING and not order.upstream_ids
    assert order.needs_attention and order.adoption["state"] == "ask"
    assert [c["order_id"] for c in order.adoption["candidates"]] == [landed.order_id]
    assert order.adoption["candidates"][0]["rivals"] == [rival.reference]
    assert rival.reference in order.attention_reason


def test_another_order_in_create_of_other_goods_leaves_a_match_alone(
    live, people, creates_drop_the_reference, early_look_alikes
):
    # Another of our orders is being created at the same time, but of other goods: it cannot
    # claim what the upstream lists for ours, so the match is adopted as before.
    rival = previewed_order(people, actor=people.approver, picks=2)
    rival.lines.order_by("pk").first().delete()
    PurchaseOrder.objects.filter(pk=rival.pk).update(status=OrderStatus.SUBMITTING)
    rival.note("creating upstream (attempt 1)", kind="create")
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = looked_up_after_its_lease(submitted_order(people))

    assert not {(line.item_id, line.sku_id) for line in order.lines.all()} & {
        (line.item_id, line.sku_id) for line in rival.lines.all()
    }
    landed = SandboxOrder.objects.get(outer_ref=order.reference)
    assert order.upstream_ids == [landed.order_id]
    assert order.needs_attention and order.adoption["state"] == "matched"
    assert rival.reference not in order.attention_reason


def test_a_look_up_that_cannot_read_the_whole_window_stops_for_a_person(
    live, people, creates_drop_the_reference, monkeypatch
):
    # Pages of one order, one page read: the account lists more in the window than is read.
    from purchasing.routes import base, taobao_pandapon

    for module in (base, taobao_pandapon):
        monkeypatch.setattr(module, "LOOK_UP_PAGE_SIZE", 1)
    monkeypatch.setattr(base, "LOOK_UP_MAX_PAGES", 1)
    Fault.objects.create(path="/open/order", mode="drop_response", count=1)

    order = looked_up_after_its_lease(submitted_order(people))

    assert LedgerEntry.objects.filter(kind="create").count() == 1
    assert order.status == OrderStatus.SUBMITTING and not order.upstream_ids
    assert order.needs_attention and order.adoption["state"] == "ask"
    assert "more orders since the first attempt" in order.attention_reason


@pytest.mark.django_db
def test_the_sweeper_resends_lost_creates_but_not_orders_left_to_a_persons_choice():
    from datetime import timedelta

    from django.utils import timezone

    from purchasing.models import PurchaseOrder
    from purchasing.selectors.orders import orders_submitting_stuck
    from tests.orders.factories import PurchaseOrderFactory

    untouched = PurchaseOrderFactory(status=OrderStatus.SUBMITTING)
    asked = PurchaseOrderFactory(status=OrderStatus.SUBMITTING, adoption={"state": "ask"})
    chosen = PurchaseOrderFactory(status=OrderStatus.SUBMITTING, adoption={"state": "chosen"})
    later = timezone.now() + timedelta(minutes=1)
    PurchaseOrder.objects.update(updated_at=timezone.now() - timedelta(hours=1))

    assert set(orders_submitting_stuck(older_than=later)) == {untouched.pk, chosen.pk}
    assert asked.pk not in set(orders_submitting_stuck(older_than=later))
