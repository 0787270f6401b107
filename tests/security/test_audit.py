"""Who did what: every approval, payment, status change, admin change, case action and parcel
booking names the person who did it, driven through the real pages by different people.

A person's action is recorded with `actor` (the user) and `actor_label` (their username) on the
order's, the case's or the parcel's timeline; what the upstream or a worker did on its own is
labelled so (never a person's name, never blank). Django admin changes are in its LogEntry.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse

from aftersales.models import CaseEvent, RefundCase
from logistics.models import Address, Parcel, ParcelEvent
from purchasing.models import OrderEvent, PurchaseOrder
from purchasing.statuses import OrderStatus
from tests.aftersales.conftest import paid_order
from tests.aftersales.factories import save_case
from tests.logistics.conftest import CUSTOMER, at_warehouse
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import PurchaseOrderFactory
from tests.upstream.factories import pick


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def by_whom(events) -> list[tuple[str, str, str | None]]:
    """(to_status or kind, actor_label, actor's username) per event, in order."""
    return [
        (e.to_status if e.kind == "status" else e.kind, e.actor_label, e.actor and e.actor.username)
        for e in events.select_related("actor")
    ]


def assert_labelled(events) -> None:
    """Every event names someone: a person (user and label agree) or the system/upstream."""
    for event in events.select_related("actor"):
        assert event.actor_label, event
        if event.actor is not None:
            assert event.actor_label == event.actor.username, event


def test_an_order_through_the_pages_names_each_person(live, people, settings):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 1  # every order waits for an approver
    chosen = pick("taobao")
    purchaser = signed_in(people.purchaser)

    created = purchaser.post(
        reverse("checkout:new"),
        {"platform": "taobao", "items": f"{chosen.product.item_id} {chosen.sku.sku_id} 1"},
    )
    order = PurchaseOrder.objects.get()
    assert created.status_code == 302 and order.status == OrderStatus.PREVIEWED
    purchaser.post(
        reverse("checkout:confirm", args=[order.pk]), {"total_fen": order.quoted_total_fen}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL

    signed_in(people.approver).post(
        reverse("checkout:approve", args=[order.pk]), {"decision": "approve", "comment": "ok"}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT, order.attention_reason

    finance = signed_in(people.finance)
    shown = finance.post(reverse("checkout:pay_confirm"), {"order": [order.pk]})
    total = re.search(r'name="total_fen" value="(\d+)"', shown.content.decode()).group(1)
    finance.post(
        reverse("checkout:pay_confirm"), {"order": [order.pk], "confirmed": "1", "total_fen": total}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID, order.attention_reason
    assert (order.created_by, order.approved_by, order.paid_by) == (
        people.purchaser,
        people.approver,
        people.finance,
    )

    events = OrderEvent.objects.filter(order=order)
    assert_labelled(events)
    who = {step: username for step, _label, username in by_whom(events)}
    purchaser_name = people.purchaser.username
    assert who["created"] == purchaser_name
    assert who[OrderStatus.PREVIEWED] == purchaser_name
    assert who[OrderStatus.AWAITING_APPROVAL] == purchaser_name
    assert who[OrderStatus.APPROVED] == people.approver.username
    assert who[OrderStatus.SUBMITTING] == people.approver.username
    assert who[OrderStatus.PAYING] == people.finance.username
    assert (
        who[OrderStatus.PAID] == people.finance.username
    )  # the upstream confirmed the payer's act
    assert who[OrderStatus.AWAITING_PAYMENT] is None  # the upstream's answer, labelled so


def test_a_bulk_cancel_and_a_cleared_attention_name_the_person(live, people):
    draft = previewed_order(people)
    flagged = previewed_order(people)
    PurchaseOrder.objects.filter(pk=flagged.pk).update(
        needs_attention=True, attention_reason="price moved"
    )
    approver = signed_in(people.approver)

    approver.post(
        reverse("orders:bulk"),
        {"action": "cancel", "orders": [draft.pk], "confirmed": "1", "reason": "not needed"},
    )
    approver.post(
        reverse("orders:clear_attention", args=[flagged.pk]), {"comment": "checked the price"}
    )

    cancelled = OrderEvent.objects.filter(order=draft, to_status=OrderStatus.CANCELLED).get()
    assert (cancelled.actor, cancelled.actor_label) == (people.approver, people.approver.username)
    cleared = OrderEvent.objects.filter(order=flagged).order_by("pk").last()
    assert "checked the price" in cleared.message
    assert (cleared.actor, cleared.actor_label) == (people.approver, people.approver.username)


def test_an_admin_action_and_an_admin_edit_name_the_admin(live, people, staff_user):
    admin_user = staff_user("admin")
    client = signed_in(admin_user)
    order = submitted_order(people)
    total = str(order.upstream_total_fen)

    client.post(
        reverse("admin:purchasing_purchaseorder_changelist"),
        {"action": "pay_orders", "_selected_action": [order.pk], "post": "yes", "total_fen": total},
    )
    paying = OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAYING).get()
    assert (paying.actor, paying.actor_label) == (admin_user, admin_user.username)

    address = Address.objects.create(**{**CUSTOMER, "phone": "+15035550100"})
    change = reverse("admin:logistics_address_change", args=[address.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    client.post(change, {**data, "city": "Salem"})
    entry = LogEntry.objects.get(object_id=str(address.pk))
    assert (entry.user, entry.action_flag) == (admin_user, CHANGE)


def test_case_actions_name_the_person(live, people, staff_user):
    order = paid_order(people, live)
    colleague = staff_user("purchaser")
    opener = signed_in(people.purchaser)

    save_case(opener, order)
    case = RefundCase.objects.get()
    signed_in(colleague).post(reverse("aftersales:submit", args=[case.pk]))
    signed_in(people.approver).post(reverse("aftersales:cancel", args=[case.pk]))

    events = CaseEvent.objects.filter(case=case)
    assert_labelled(events)
    who = by_whom(events)
    assert who[0] == ("opened", people.purchaser.username, people.purchaser.username)
    persons = [username for _step, _label, username in who]
    assert colleague.username in persons and people.approver.username in persons
    case.refresh_from_db()
    assert case.created_by == people.purchaser
    order_note = OrderEvent.objects.filter(order=order, kind="aftersales").first()
    assert order_note.actor == people.purchaser


def test_building_and_booking_a_parcel_names_the_person(live, people, staff_user):
    order = at_warehouse(people)
    customer = Address.objects.create(**{**CUSTOMER, "phone": "+15035550100"})
    builder, booker = staff_user("purchaser"), staff_user("approver")
    line = order.lines.first()
    new = reverse("logistics:parcel_new")
    page = signed_in(builder).get(new, {"lines": [line.pk], "address": customer.pk})
    service = re.search(r'name="service" value="([^"]+)"', page.content.decode()).group(1)

    signed_in(builder).post(
        f"{new}?lines={line.pk}&address={customer.pk}",
        {
            "lines": [line.pk],
            "address": customer.pk,
            "service": service,
            "declared_value": "10.00",
            "description": "cups",
        },
    )
    parcel = Parcel.objects.get()
    signed_in(booker).post(reverse("logistics:parcel_book", args=[parcel.pk]))

    events = ParcelEvent.objects.filter(parcel=parcel)
    assert_labelled(events)
    persons = {username for _step, _label, username in by_whom(events)}
    assert {builder.username, booker.username} <= persons
    booked = events.exclude(to_status="draft").select_related("actor").first()
    assert booked.actor == booker
    assert parcel.created_by == builder


@pytest.mark.django_db
def test_a_system_event_is_never_blank_or_a_person():
    """Events nobody did by hand say who did them instead."""
    order = PurchaseOrderFactory()
    order.note("checked upstream", actor_label="upstream")
    event = OrderEvent.objects.get(order=order)
    assert (event.actor, event.actor_label) == (None, "upstream")
