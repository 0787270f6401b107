"""The order list through the test client: filters, search by every kind of id, pagination, a
fixed number of queries, and the bulk actions through their confirmation pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory, bulk, refs

pytestmark = pytest.mark.django_db


# -- the list ----------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_login(client):
    for url in ("/orders/", "/orders/exceptions/", f"/orders/{PurchaseOrderFactory().pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post("/orders/bulk/", {"action": "pay"})["Location"].startswith("/login/")


def test_a_user_without_a_role_may_not_see_orders(signed_in):
    client, _ = signed_in("")
    order = PurchaseOrderFactory()
    assert client.get("/orders/").status_code == 403
    assert client.get(f"/orders/{order.pk}/").status_code == 403
    assert client.get("/orders/exceptions/").status_code == 403


def test_the_list_shows_each_order_newest_first(signed_in):
    client, user = signed_in("purchaser")
    old = PurchaseOrderFactory(created_by=user, seller_name="老店", quoted_total_fen=12_345)
    new = PurchaseOrderFactory(
        needs_attention=True,
        attention_reason="price moved by ¥3",
        status=OrderStatus.AWAITING_PAYMENT,
    )
    PurchaseOrder.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))

    response = client.get("/orders/")
    html = response.content.decode()

    assert refs(response) == [new.reference, old.reference]
    assert "老店" in html and "¥123.45" in html and user.username in html
    assert 'data-testid="attention-badge"' in html and "price moved by ¥3" in html
    assert "Awaiting payment" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=paid", ["paid"]),
        ("platform=1688", ["alibaba"]),
        ("seller=Acme", ["acme"]),
        ("seller=line-seller-7", ["line_seller"]),
        ("attention=yes", ["attention"]),
    ],
)
def test_filters(signed_in, query, expected):
    client, _ = signed_in("approver")
    made = {
        "paid": PurchaseOrderFactory(status=OrderStatus.PAID),
        "alibaba": PurchaseOrderFactory(platform="1688"),
        "acme": PurchaseOrderFactory(seller_name="Acme Trading"),
        "line_seller": PurchaseOrderFactory(),
        "attention": PurchaseOrderFactory(needs_attention=True, attention_reason="look"),
    }
    PurchaseOrderLineFactory(order=made["line_seller"], seller_id="line-seller-7")

    response = client.get(f"/orders/?{query}")

    assert refs(response) == [made[name].reference for name in expected]


def test_filter_by_purchaser_and_dates(signed_in, staff_user):
    client, _ = signed_in("approver")
    alice = staff_user("purchaser", username="alice")
    mine = PurchaseOrderFactory(created_by=alice)
    other = PurchaseOrderFactory()
    PurchaseOrder.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()

    assert refs(client.get("/orders/?purchaser=alice")) == [mine.reference]
    since = (today - timedelta(days=2)).isoformat()
    assert refs(client.get(f"/orders/?date_from={since}")) == [mine.reference]
    until = (today - timedelta(days=5)).isoformat()
    assert refs(client.get(f"/orders/?date_to={until}")) == [other.reference]
    response = client.get(f"/orders/?date_from={today}&date_to={until}")
    assert "The start date is after the end date." in response.content.decode()


@pytest.mark.parametrize("kind", ["reference", "order_id", "order_no", "second_id", "sub", "item"])
def test_search_by_any_id(signed_in, kind):
    client, _ = signed_in("purchaser")
    order = PurchaseOrderFactory(
        upstream_order_id="3100000000000000001",
        upstream_order_ids=["3100000000000000001", "3100000000000000002"],
        upstream_order_no="NO-778899",
    )
    PurchaseOrderLineFactory(order=order, item_id="655001122", upstream_sub_order_id="SUB-4455")
    PurchaseOrderFactory(upstream_order_id="3100000000000000099")  # never found
    term = {
        "reference": order.reference,
        "order_id": "3100000000000000001",
        "order_no": "NO-778899",
        "second_id": "3100000000000000002",
        "sub": "SUB-4455",
        "item": "655001122",
    }[kind]

    assert refs(client.get("/orders/", {"q": term})) == [order.reference]


def test_search_that_finds_nothing_says_so(signed_in):
    client, _ = signed_in("purchaser")
    PurchaseOrderFactory()
    html = client.get("/orders/", {"q": "nothing-like-this"}).content.decode()
    assert "No orders match." in html


def test_fifty_orders_a_page(signed_in):
    client, _ = signed_in("purchaser")
    PurchaseOrderFactory.create_batch(51)
    newest = PurchaseOrder.objects.order_by("-created_at", "-pk").first()

    first = client.get("/orders/?status=draft")
    second = client.get("/orders/?status=draft&page=2")

    assert len(refs(first)) == 50 and refs(first)[0] == newest.reference
    assert len(refs(second)) == 1
    assert "status=draft&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_takes_a_fixed_number_of_queries(
    signed_in, staff_user, django_assert_max_num_queries, count
):
    client, _ = signed_in("approver")
    for n in range(count):
        order = PurchaseOrderFactory(
            created_by=staff_user("purchaser"), needs_attention=bool(n % 2), attention_reason="x"
        )
        PurchaseOrderLineFactory(order=order)
    client.get("/orders/")  # permissions and session warmed like any later request

    # One of them reads the page's status times, for each row's next deadline.
    with django_assert_max_num_queries(10):
        client.get("/orders/?q=6&seller=x&attention=yes&purchaser=nobody")
    with django_assert_max_num_queries(10):
        response = client.get("/orders/")
    assert len(refs(response)) == count


def test_bulk_buttons_follow_the_role(signed_in, client_as):
    PurchaseOrderFactory()
    finance = client_as("finance").get("/orders/").content.decode()
    purchaser = client_as("purchaser").get("/orders/").content.decode()

    assert 'value="pay"' in finance
    assert 'value="submit"' not in finance and 'value="cancel"' not in finance
    assert 'value="submit"' in purchaser and 'value="cancel"' in purchaser
    assert 'value="pay"' not in purchaser


# -- bulk actions ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role, action", [("finance", "cancel"), ("finance", "submit"), ("purchaser", "pay")]
)
def test_bulk_actions_need_their_permission(client_as, role, action):
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT)
    assert bulk(client_as(role), action, [order]).status_code == 403
    assert bulk(client_as(role), action, [order], confirmed="on").status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_bulk_without_ticked_orders_goes_back_with_a_sentence(signed_in):
    client, _ = signed_in("finance")
    response = client.post("/orders/bulk/", {"action": "pay"}, follow=True)
    assert "Tick at least one order." in response.content.decode()


def test_pay_confirmation_lists_each_order_and_the_total_and_changes_nothing(signed_in):
    client, _ = signed_in("finance")
    a = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, upstream_total_fen=10_050)
    b = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT, budget_fen=20_000, upstream_order_id="77"
    )
    flagged = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT, needs_attention=True, attention_reason="price moved"
    )
    paid = PurchaseOrderFactory(status=OrderStatus.PAID)

    response = bulk(client, "pay", [a, b, flagged, paid])
    html = response.content.decode()

    assert response.status_code == 200
    plan = {row.order.reference: row for row in response.context["plan"]}
    assert plan[a.reference].will and plan[b.reference].will
    assert not plan[flagged.reference].will and not plan[paid.reference].will
    assert response.context["total_fen"] == 30_050
    assert "¥300.50" in html and "¥100.50" in html and "¥200.00" in html
    assert "It needs attention first: price moved." in html
    assert "It is paid: only an unpaid order can be paid." in html
    assert "Pay ¥300.50 now" in html
    assert PaymentAttempt.objects.count() == 0
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) == {
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PAID,
    }


def test_confirmed_pay_requests_payment_and_reports_each_order(signed_in):
    client, user = signed_in("finance")
    a = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, upstream_total_fen=10_050)
    paid = PurchaseOrderFactory(status=OrderStatus.PAID)

    response = bulk(client, "pay", [a, paid], confirmed="on", total_fen="10050")
    assert response["Location"] == "/orders/bulk/done/"
    html = client.get(response["Location"]).content.decode()

    a.refresh_from_db()
    assert a.status == OrderStatus.PAYING and a.paid_by == user
    assert PaymentAttempt.objects.get().amount_fen == 10_050
    assert "Payment of ¥100.50 requested; it is now paying." in html
    assert "It is paid: only an unpaid order can be paid." in html
    assert client.get("/orders/bulk/done/")["Location"] == "/orders/"  # shown once


def test_pay_whose_total_moved_since_the_confirmation_is_asked_again(signed_in):
    client, _ = signed_in("finance")
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, upstream_total_fen=10_050)

    response = bulk(client, "pay", [order], confirmed="on", total_fen="9000")

    assert response.status_code == 200 and response.context["changed"]
    assert "The orders changed since the last page" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentAttempt.objects.exists()


def test_cancel_confirmation_then_cancel_with_a_reason(signed_in):
    client, _ = signed_in("purchaser")
    draft = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)
    shipped = PurchaseOrderFactory(status=OrderStatus.SHIPPED)

    html = bulk(client, "cancel", [draft, shipped]).content.decode()
    assert "It is cancelled here; nothing was sent upstream yet." in html
    assert "It is shipped by seller: only an unpaid order can be cancelled." in html
    draft.refresh_from_db()
    assert draft.status == OrderStatus.PREVIEWED

    done = bulk(client, "cancel", [draft, shipped], confirmed="on", reason="customer changed mind")
    html = client.get(done["Location"]).content.decode()

    draft.refresh_from_db()
    assert draft.status == OrderStatus.CANCELLED
    assert draft.events.last().message == "customer changed mind"
    assert "Cancelled; it is now cancelled." in html
    assert "only an unpaid order can be cancelled" in html


def test_submit_confirmation_and_the_services_refusal_as_a_sentence(signed_in):
    client, _ = signed_in("approver")
    approved = PurchaseOrderFactory(status=OrderStatus.APPROVED, budget_fen=10_000)
    failed = PurchaseOrderFactory(status=OrderStatus.FAILED)

    html = bulk(client, "submit", [approved, failed]).content.decode()
    assert "It is created upstream." in html
    assert "It is failed: it cannot be submitted." in html

    done = bulk(client, "submit", [approved, failed], confirmed="on")
    html = client.get(done["Location"]).content.decode()

    approved.refresh_from_db()
    assert approved.status == OrderStatus.SUBMITTING  # the task runs after commit
    assert "Submitted; it is now submitting." in html


def test_submit_of_a_previewed_order_above_the_limit_says_it_will_wait(signed_in):
    client, user = signed_in("purchaser")
    user.staff_profile.order_limit_fen = 5_000
    user.staff_profile.save()
    order = PurchaseOrderFactory(status=OrderStatus.PREVIEWED, quoted_total_fen=10_000)

    html = bulk(client, "submit", [order]).content.decode()

    assert "above your limit of ¥50.00, so it will wait for an approver" in html
