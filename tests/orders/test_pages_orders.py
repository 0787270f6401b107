"""The order pages through the test client: the list (filters, search by every kind of id,
pagination, a fixed number of queries), bulk actions through their confirmation pages, the order
page and its actions, and the exceptions queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from purchasing.models import OrderEvent, PaymentAttempt, PurchaseOrder, UpstreamMessage
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.security.files import tiny_png
from upstream import errors
from upstream.models import CallJournal
from upstream.sandbox.models import Order as SandboxOrder

S = OrderStatus
pytestmark = pytest.mark.django_db

PNG = tiny_png()  # a real picture: vouchers are decoded and saved again
PDF = b"%PDF-1.7\n" + b"0" * 64 + b"\n%%EOF\n"


def refs(response) -> list[str]:
    return [order.reference for order in response.context["rows"]]


def bulk(client, action: str, orders, **extra):
    data = {"action": action, "orders": [o.pk for o in orders], **extra}
    return client.post("/orders/bulk/", data)


@pytest.fixture
def signed_in(staff_user, client):
    """`signed_in("finance")` -> (client, user)."""

    def make(role: str):
        user = staff_user(role)
        client.force_login(user)
        return client, user

    return make


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
        needs_attention=True, attention_reason="price moved by ¥3", status=S.AWAITING_PAYMENT
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
        "paid": PurchaseOrderFactory(status=S.PAID),
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

    with django_assert_max_num_queries(9):
        client.get("/orders/?q=6&seller=x&attention=yes&purchaser=nobody")
    with django_assert_max_num_queries(9):
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
    order = PurchaseOrderFactory(status=S.AWAITING_PAYMENT)
    assert bulk(client_as(role), action, [order]).status_code == 403
    assert bulk(client_as(role), action, [order], confirmed="on").status_code == 403
    order.refresh_from_db()
    assert order.status == S.AWAITING_PAYMENT


def test_bulk_without_ticked_orders_goes_back_with_a_sentence(signed_in):
    client, _ = signed_in("finance")
    response = client.post("/orders/bulk/", {"action": "pay"}, follow=True)
    assert "Tick at least one order." in response.content.decode()


def test_pay_confirmation_lists_each_order_and_the_total_and_changes_nothing(signed_in):
    client, _ = signed_in("finance")
    a = PurchaseOrderFactory(status=S.AWAITING_PAYMENT, upstream_total_fen=10_050)
    b = PurchaseOrderFactory(status=S.AWAITING_PAYMENT, budget_fen=20_000, upstream_order_id="77")
    flagged = PurchaseOrderFactory(
        status=S.AWAITING_PAYMENT, needs_attention=True, attention_reason="price moved"
    )
    paid = PurchaseOrderFactory(status=S.PAID)

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
        S.AWAITING_PAYMENT,
        S.PAID,
    }


def test_confirmed_pay_requests_payment_and_reports_each_order(signed_in):
    client, user = signed_in("finance")
    a = PurchaseOrderFactory(status=S.AWAITING_PAYMENT, upstream_total_fen=10_050)
    paid = PurchaseOrderFactory(status=S.PAID)

    response = bulk(client, "pay", [a, paid], confirmed="on", total_fen="10050")
    assert response["Location"] == "/orders/bulk/done/"
    html = client.get(response["Location"]).content.decode()

    a.refresh_from_db()
    assert a.status == S.PAYING and a.paid_by == user
    assert PaymentAttempt.objects.get().amount_fen == 10_050
    assert "Payment of ¥100.50 requested; it is now paying." in html
    assert "It is paid: only an unpaid order can be paid." in html
    assert client.get("/orders/bulk/done/")["Location"] == "/orders/"  # shown once


def test_pay_whose_total_moved_since_the_confirmation_is_asked_again(signed_in):
    client, _ = signed_in("finance")
    order = PurchaseOrderFactory(status=S.AWAITING_PAYMENT, upstream_total_fen=10_050)

    response = bulk(client, "pay", [order], confirmed="on", total_fen="9000")

    assert response.status_code == 200 and response.context["changed"]
    assert "The orders changed since the last page" in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.AWAITING_PAYMENT and not PaymentAttempt.objects.exists()


def test_cancel_confirmation_then_cancel_with_a_reason(signed_in):
    client, _ = signed_in("purchaser")
    draft = PurchaseOrderFactory(status=S.PREVIEWED)
    shipped = PurchaseOrderFactory(status=S.SHIPPED)

    html = bulk(client, "cancel", [draft, shipped]).content.decode()
    assert "It is cancelled here; nothing was sent upstream yet." in html
    assert "It is shipped by seller: only an unpaid order can be cancelled." in html
    draft.refresh_from_db()
    assert draft.status == S.PREVIEWED

    done = bulk(client, "cancel", [draft, shipped], confirmed="on", reason="customer changed mind")
    html = client.get(done["Location"]).content.decode()

    draft.refresh_from_db()
    assert draft.status == S.CANCELLED
    assert draft.events.last().message == "customer changed mind"
    assert "Cancelled; it is now cancelled." in html
    assert "only an unpaid order can be cancelled" in html


def test_submit_confirmation_and_the_services_refusal_as_a_sentence(signed_in):
    client, _ = signed_in("approver")
    approved = PurchaseOrderFactory(status=S.APPROVED, budget_fen=10_000)
    failed = PurchaseOrderFactory(status=S.FAILED)

    html = bulk(client, "submit", [approved, failed]).content.decode()
    assert "It is created upstream." in html
    assert "It is failed: it cannot be submitted." in html

    done = bulk(client, "submit", [approved, failed], confirmed="on")
    html = client.get(done["Location"]).content.decode()

    approved.refresh_from_db()
    assert approved.status == S.SUBMITTING  # the task runs after commit
    assert "Submitted; it is now submitting." in html


def test_submit_of_a_previewed_order_above_the_limit_says_it_will_wait(signed_in):
    client, user = signed_in("purchaser")
    user.staff_profile.order_limit_fen = 5_000
    user.staff_profile.save()
    order = PurchaseOrderFactory(status=S.PREVIEWED, quoted_total_fen=10_000)

    html = bulk(client, "submit", [order]).content.decode()

    assert "above your limit of ¥50.00, so it will wait for an approver" in html


# -- one order ---------------------------------------------------------------------------------
def test_order_page_shows_timeline_lines_amounts_journal_and_messages(signed_in):
    client, user = signed_in("purchaser")
    order = PurchaseOrderFactory(
        status=S.AWAITING_PAYMENT,
        upstream_order_id="3300001",
        upstream_order_ids=["3300001"],
        quoted_goods_fen=9_000,
        quoted_freight_fen=1_000,
        budget_fen=10_000,
        created_by=user,
    )
    PurchaseOrderLineFactory(
        order=order,
        title="男士短裤",
        properties=[{"prop_name": "颜色", "value_name": "黑色"}],
        upstream_sub_order_id="SUB-1",
        status="WAIT_BUYER_P",
    )
    order.note("created upstream: 3300001", actor_label="upstream", upstream_request_id="req-42")
    CallJournal.objects.create(
        operation="taobao_order_create",
        provider="pandapon",
        account="pandapon:demo",
        method="POST",
        path="/open/order",
        outer_ref=order.reference,
        duration_ms=123,
        code="200",
        request_id="req-42",
    )
    UpstreamMessage.objects.create(
        provider="pandapon",
        dedupe_key="k1",
        message_type="ORDER_STATUS",
        raw='{"x": 1}',
        order=order,
        outcome="applied",
    )

    response = client.get(f"/orders/{order.pk}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "男士短裤" in html and "颜色: 黑色" in html and "sub-order SUB-1" in html
    assert "created upstream: 3300001" in html and "req-42" in html
    # the journal's rows link into the Django admin only for those who may open it
    assert "taobao_order_create" in html and "/admin/upstream/calljournal/" not in html
    assert "ORDER_STATUS" in html and "Applied" in html
    assert "¥90.00" in html and "¥10.00" in html
    # awaiting payment, for a purchaser: cancel, refresh, chat, warehouse; no pay, no voucher
    actions = response.context["actions"]
    assert actions["cancel"] and actions["refresh"] and actions["im"] and actions["warehouse"]
    assert not actions["pay"] and not actions["voucher"] and not actions["receipt"]
    assert 'hx-trigger="every 3s"' not in html
    admin, _ = signed_in("admin")
    assert "/admin/upstream/calljournal/" in admin.get(f"/orders/{order.pk}/").content.decode()


def test_finance_sees_the_order_read_only_except_pay(signed_in):
    client, _ = signed_in("finance")
    order = PurchaseOrderFactory(status=S.AWAITING_PAYMENT, upstream_order_id="1")

    response = client.get(f"/orders/{order.pk}/")
    actions = {name for name, allowed in response.context["actions"].items() if allowed}

    assert actions == {"pay", "refresh", "voucher", "im"}
    assert client.post(f"/orders/{order.pk}/warehouse/", {}).status_code == 403
    assert client.post(f"/orders/{order.pk}/attention/clear/", {}).status_code == 403


def test_status_area_polls_only_while_submitting_or_paying(signed_in):
    client, _ = signed_in("purchaser")
    paying = PurchaseOrderFactory(status=S.PAYING)
    paid = PurchaseOrderFactory(status=S.PAID)

    assert 'hx-trigger="every 3s"' in client.get(f"/orders/{paying.pk}/").content.decode()
    assert 'hx-trigger="every 3s"' not in client.get(f"/orders/{paid.pk}/").content.decode()
    same = client.get(f"/orders/{paying.pk}/status/?was=paying")
    assert "HX-Refresh" not in same
    moved = client.get(f"/orders/{paid.pk}/status/?was=paying")
    assert moved["HX-Refresh"] == "true"


def test_confirm_shows_submit_when_no_checkout_page_exists(signed_in):
    client, _ = signed_in("purchaser")
    order = PurchaseOrderFactory(status=S.PREVIEWED)
    response = client.get(f"/orders/{order.pk}/")
    html = response.content.decode()
    if response.context["checkout_url"]:
        assert response.context["checkout_url"] in html
    else:
        assert "Confirm and submit…" in html


def test_receipt_asks_before_anything(signed_in):
    client, _ = signed_in("purchaser")
    order = PurchaseOrderFactory(platform="1688", status=S.SHIPPED, upstream_order_id="9")
    html = client.get(f"/orders/{order.pk}/receipt/").content.decode()
    assert "It cannot be undone" in html
    order.refresh_from_db()
    assert order.status == S.SHIPPED


def test_logistics_upstream_failure_is_a_sentence(signed_in, monkeypatch):
    client, _ = signed_in("purchaser")
    order = PurchaseOrderFactory(status=S.SHIPPED, upstream_order_id="9")

    def boom(**kwargs):
        raise errors.UpstreamTimeout("read timed out")

    monkeypatch.setattr("purchasing.views.orders.detail.order_logistics", boom)
    html = client.get(f"/orders/{order.pk}/logistics/").content.decode()

    assert "The upstream did not answer in time. Try again in a moment." in html


# -- clear attention ---------------------------------------------------------------------------
def test_clear_attention_with_a_comment(signed_in):
    client, user = signed_in("purchaser")
    order = PurchaseOrderFactory(needs_attention=True, attention_reason="price moved")

    refused = client.post(f"/orders/{order.pk}/attention/clear/", {"comment": ""}, follow=True)
    assert "Say what was done about it before clearing." in refused.content.decode()
    order.refresh_from_db()
    assert order.needs_attention

    client.post(f"/orders/{order.pk}/attention/clear/", {"comment": "seller confirmed the price"})

    order.refresh_from_db()
    event = order.events.last()
    assert not order.needs_attention and order.attention_reason == ""
    assert event.kind == "attention_cleared" and event.actor == user
    assert "seller confirmed the price" in event.message


def test_clearing_an_order_that_needs_nothing_is_refused_as_a_sentence(signed_in):
    client, _ = signed_in("approver")
    order = PurchaseOrderFactory()
    response = client.post(f"/orders/{order.pk}/attention/clear/", {"comment": "x"}, follow=True)
    assert f"{order.reference} does not need attention." in response.content.decode()
    assert not OrderEvent.objects.filter(order=order).exists()


# -- vouchers ----------------------------------------------------------------------------------
@pytest.fixture
def voucher_order():
    return PurchaseOrderFactory(status=S.PAID, upstream_order_id="3300001")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.txt", b"just some text", "A voucher must be an image (PNG, JPEG, GIF or WEBP)"),
        ("fake.png", b"GIF? no: plain bytes", "A voucher must be an image"),
        ("huge.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "at most 5 MB; this file is 5.0 MB"),
        ("empty.png", b"", "The submitted file is empty."),
    ],
)
def test_voucher_refusals_save_nothing(
    signed_in, voucher_order, monkeypatch, name, content, message
):
    client, _ = signed_in("finance")
    calls = []
    monkeypatch.setattr(
        "purchasing.services.orders.voucher.pandapon", lambda: calls.append(1) or None
    )

    response = client.post(
        f"/orders/{voucher_order.pk}/voucher/",
        {"voucher": SimpleUploadedFile(name, content, content_type="image/png")},
        follow=True,
    )

    assert message in response.content.decode()
    assert calls == [] and not voucher_order.events.exists()


def test_voucher_upload_sends_the_sniffed_type_and_writes_an_event(
    signed_in, voucher_order, monkeypatch
):
    client, user = signed_in("finance")
    sent = {}

    class Orders:
        def upload_voucher(self, **kwargs):
            sent.update(kwargs)
            return "https://sandbox/vouchers/1"

    class Client:
        taobao_orders = Orders()

    monkeypatch.setattr("purchasing.services.orders.voucher.pandapon", lambda: Client())

    response = client.post(
        f"/orders/{voucher_order.pk}/voucher/",
        {"voucher": SimpleUploadedFile("slip.pdf", PDF, content_type="text/plain")},
        follow=True,
    )

    assert "Payment voucher slip.pdf uploaded." in response.content.decode()
    assert sent["content_type"] == "application/pdf" and sent["order_id"] == "3300001"
    event = voucher_order.events.get()
    assert event.kind == "voucher" and event.actor == user


def test_a_voucher_the_upstream_refuses_leaves_no_event(signed_in, voucher_order, monkeypatch):
    client, _ = signed_in("finance")

    class Orders:
        def upload_voucher(self, **kwargs):
            raise errors.BadRequest("file too strange", request_id="r-9")

    class Client:
        taobao_orders = Orders()

    monkeypatch.setattr("purchasing.services.orders.voucher.pandapon", lambda: Client())
    response = client.post(
        f"/orders/{voucher_order.pk}/voucher/",
        {"voucher": SimpleUploadedFile("slip.png", PNG)},
        follow=True,
    )

    assert (
        "The upstream refused: file too strange (upstream request r-9)" in response.content.decode()
    )
    assert not voucher_order.events.exists()


def test_purchasers_may_not_upload_vouchers(client_as, voucher_order):
    response = client_as("purchaser").post(
        f"/orders/{voucher_order.pk}/voucher/", {"voucher": SimpleUploadedFile("a.png", PNG)}
    )
    assert response.status_code == 403


# -- the exceptions queue and the dashboard ----------------------------------------------------
def _queue_orders(settings):
    now = timezone.now()
    attention = PurchaseOrderFactory(needs_attention=True, attention_reason="price moved")
    failed = PurchaseOrderFactory(status=S.FAILED, failure_reason="seller refused")
    unpaid = PurchaseOrderFactory(status=S.AWAITING_PAYMENT)
    stuck = PurchaseOrderFactory(
        status=S.PAID, paid_at=now - timedelta(days=settings.CAIGOU_NO_SHIPMENT_DAYS + 7)
    )
    PurchaseOrderFactory(status=S.PAID, paid_at=now)  # fine: not in the queue
    for order, days in ((attention, 1), (failed, 4), (unpaid, 2)):
        PurchaseOrder.objects.filter(pk=order.pk).update(updated_at=now - timedelta(days=days))
    return attention, failed, unpaid, stuck


def test_exceptions_queue_lists_reason_and_action_oldest_first(signed_in, settings):
    client, _ = signed_in("approver")
    attention, failed, unpaid, stuck = _queue_orders(settings)

    response = client.get("/orders/exceptions/")
    html = response.content.decode()

    order = [row.order.reference for row in response.context["rows"]]
    assert order == [stuck.reference, failed.reference, unpaid.reference, attention.reference]
    assert "price moved" in html and "submission failed: seller refused" in html
    assert "created upstream, not paid" in html and "Pay or cancel →" in html
    assert f'href="/orders/{attention.pk}/#actions"' in html


def test_exceptions_queue_is_empty(signed_in):
    client, _ = signed_in("finance")
    assert "Nothing is waiting." in client.get("/orders/exceptions/").content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_exceptions_queue_takes_a_fixed_number_of_queries(
    signed_in, staff_user, django_assert_max_num_queries, count
):
    client, _ = signed_in("approver")
    for _ in range(count):
        PurchaseOrderFactory(
            created_by=staff_user("purchaser"), needs_attention=True, attention_reason="x"
        )
    client.get("/orders/exceptions/")

    # One more than the orders take: the parked upstream messages, read in one query.
    with django_assert_max_num_queries(9):
        response = client.get("/orders/exceptions/")
    assert len(response.context["rows"]) == count


def test_dashboard_lists_what_needs_attention(signed_in, settings):
    client, _ = signed_in("approver")
    _queue_orders(settings)
    for _ in range(8):
        PurchaseOrderFactory(status=S.AWAITING_PAYMENT)

    html = client.get("/dashboard/").content.decode()

    assert "Dashboard" in html and 'data-testid="current-user"' in html
    assert 'data-testid="attention-count">12<' in html
    assert html.count('data-testid="exception-row"') == 10
    assert "2 more in the queue" in html and 'href="/orders/exceptions/"' in html


def test_dashboard_of_someone_who_may_not_see_orders_keeps_its_empty_state(signed_in):
    client, _ = signed_in("")
    PurchaseOrderFactory(needs_attention=True)
    html = client.get("/dashboard/").content.decode()
    assert "Nothing needs your attention." in html and "exception-row" not in html


# -- actions against the live sandbox ----------------------------------------------------------
def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_cancel_an_unpaid_order_upstream_through_the_confirmation(live, people):
    order = submitted_order(people)
    client = _client_for(people.purchaser)

    html = bulk(client, "cancel", [order]).content.decode()
    assert f"Upstream order {order.upstream_order_id} is closed, then ours." in html
    done = bulk(client, "cancel", [order], confirmed="on", reason="duplicate")
    html = client.get(done["Location"]).content.decode()

    order.refresh_from_db()
    assert order.status == S.CANCELLED and "Cancelled; it is now cancelled." in html
    assert SandboxOrder.objects.get(outer_ref=order.reference).status == "TRADE_CLOSED"


@pytest.mark.django_db(transaction=True)
def test_voucher_warehouse_and_chat_link_against_the_sandbox(live, people):
    order = submitted_order(people)
    finance, purchaser = _client_for(people.finance), _client_for(people.purchaser)

    finance.post(f"/orders/{order.pk}/voucher/", {"voucher": SimpleUploadedFile("slip.png", PNG)})
    changed = purchaser.post(
        f"/orders/{order.pk}/warehouse/",
        {"warehouse_name": "义乌仓", "warehouse_address": "义乌市福田街道 8 号"},
        follow=True,
    )
    chat = purchaser.get(f"/orders/{order.pk}/im/")

    upstream = SandboxOrder.objects.get(outer_ref=order.reference)
    assert [v["contentType"] for v in upstream.vouchers] == ["image/png"]
    assert "Warehouse changed to 义乌仓." in changed.content.decode()
    order.refresh_from_db()
    assert order.address["warehouse"] == "义乌仓"
    assert {"voucher", "warehouse"} <= set(order.events.values_list("kind", flat=True))
    assert chat.status_code == 302 and chat["Location"].startswith("http")


@pytest.mark.django_db(transaction=True)
def test_refresh_then_confirm_receipt_of_a_shipped_1688_order(live, people):
    order = submitted_order(people, platform="1688")
    client = _client_for(people.purchaser)
    for upstream_id in order.upstream_ids:
        live.control("advance", order=upstream_id, to="waitbuyerreceive")

    client.post(f"/orders/{order.pk}/refresh/")
    order.refresh_from_db()
    assert order.status == S.SHIPPED
    assert client.get(f"/orders/{order.pk}/").context["actions"]["receipt"]

    response = client.post(f"/orders/{order.pk}/receipt/", follow=True)

    order.refresh_from_db()
    assert order.status == S.AT_WAREHOUSE
    assert "Receipt confirmed: the order is at the warehouse." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("purchaser", ["/checkout/new/"], ["/checkout/approvals/", "/checkout/pay/"]),
        ("approver", ["/checkout/new/", "/checkout/approvals/", "/checkout/pay/"], []),
        ("finance", ["/checkout/pay/"], ["/checkout/new/", "/checkout/approvals/"]),
    ],
)
def test_order_list_links_the_checkout_pages_each_role_may_use(client_as, role, shown, hidden):
    html = client_as(role).get("/orders/").content.decode()
    for url in shown:
        assert f'href="{url}"' in html, url
    for url in hidden:
        assert f'href="{url}"' not in html, url
