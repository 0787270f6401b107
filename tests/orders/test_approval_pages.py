"""The approval page with tiers: which rule asked, in words and yuan, how many approvals are in
and by whom, the purchaser's note; the first approver leaves the order waiting, the second
submits it; the admin takes the rule's amounts in yuan and keeps them in fen."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from purchasing.models import ApprovalRule
from purchasing.statuses import OrderStatus
from tests.orders.factories import awaiting_approval, bulk, client_for, previewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tier(purchaser):
    ApprovalRule.objects.create(
        name="Large orders",
        kind=ApprovalRule.Kind.AMOUNT,
        min_total_fen=300_000,
        approvals_needed=2,
    )
    order = awaiting_approval(purchaser, 600_000)
    type(order).objects.filter(pk=order.pk).update(approver_note="The seller ships on Monday")
    return order


def test_the_page_says_which_rule_asked_and_who_approved(two_tier, staff_user):
    first, second = staff_user("approver"), staff_user("approver")
    url = reverse("checkout:approve", args=[two_tier.pk])

    html = client_for(first).get(url).content.decode()
    assert "Rule “Large orders”: the total ¥6,000.00 is ¥3,000.00 or more: 2 approvals." in html
    assert "Approvals: 0 of 2" in html and "The seller ships on Monday" in html
    assert "Approve (1 of 2)" in html

    answer = client_for(first).post(url, {"decision": "approve", "comment": "ok"})
    assert answer.status_code == 302
    two_tier.refresh_from_db()
    assert two_tier.status == OrderStatus.AWAITING_APPROVAL

    mine = client_for(first).get(url).content.decode()
    assert "You have approved this order" in mine and 'data-testid="approve"' not in mine
    theirs = client_for(second).get(url).content.decode()
    assert "Approvals: 1 of 2" in theirs and first.get_username() in theirs
    assert "Approve and submit ¥6,000.00" in theirs
    queue = client_for(second).get(reverse("checkout:approvals")).content.decode()
    assert "1 of 2" in queue

    with mock.patch("purchasing.tasks.submit_order.delay"):
        client_for(second).post(url, {"decision": "approve"})
    two_tier.refresh_from_db()
    assert (two_tier.status, two_tier.approved_by) == (OrderStatus.SUBMITTING, second)


def test_a_second_approval_by_the_same_person_is_answered_with_a_message(two_tier, staff_user):
    approver = staff_user("approver")
    client = client_for(approver)
    url = reverse("checkout:approve", args=[two_tier.pk])
    client.post(url, {"decision": "approve"})

    page = client.post(url, {"decision": "approve"})

    assert page.status_code == 200 and "already approved" in page.content.decode()
    assert two_tier.approvals.count() == 1


def test_the_admin_takes_yuan_and_keeps_fen(client_as):
    client = client_as("admin")
    add = reverse("admin:purchasing_approvalrule_add")
    data = {"name": "Big", "kind": "amount", "active": "on", "approvals_needed": "2"}

    missing = client.post(add, data)
    assert missing.status_code == 200 and "This kind of rule needs this value." in (
        missing.content.decode()
    )
    client.post(add, {**data, "from_total": "10000.50", "margin_floor": "5"})

    rule = ApprovalRule.objects.get()
    assert (rule.min_total_fen, rule.margin_floor_fen, rule.approvals_needed) == (
        1_000_050,
        None,
        2,
    )
    listing = client.get(reverse("admin:purchasing_approvalrule_changelist")).content.decode()
    assert "total ¥10,000.50 or more" in listing


def test_the_preview_and_confirmation_say_what_a_rule_will_ask(purchaser):
    ApprovalRule.objects.create(
        name="Mid orders", kind=ApprovalRule.Kind.AMOUNT, min_total_fen=10_000, approvals_needed=2
    )
    order = previewed(purchaser, 50_000)  # below the purchaser's own ¥2,000 limit
    client = client_for(purchaser)

    for name in ("checkout:preview", "checkout:confirm"):
        html = client.get(reverse(name, args=[order.pk])).content.decode()
        assert "Once confirmed it waits for 2 approvals from different approvers" in html, name
        assert "Rule “Mid orders”: the total ¥500.00 is ¥100.00 or more" in html, name
        assert "above your limit" not in html, name
    assert "Confirm and ask for approval ¥500.00" in html


def test_the_bulk_submit_plan_says_a_rule_will_ask(purchaser):
    ApprovalRule.objects.create(
        name="Mid orders", kind=ApprovalRule.Kind.AMOUNT, min_total_fen=10_000, approvals_needed=2
    )
    asked, free = previewed(purchaser, 50_000), previewed(purchaser, 5_000)

    page = bulk(client_for(purchaser), "submit", [asked, free]).content.decode()

    assert page.count("An approval rule asks for approvals, so it will wait for approvers.") == 1
    assert "Its latest preview is accepted and it is created upstream." in page
