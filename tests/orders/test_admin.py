"""The orders admin: read-only rows, searchable, and submit / pay / cancel actions that show an
intermediate page with each order's preview before anything is committed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from purchasing.models import OrderPreview, PaymentAttempt, UpstreamMessage
from purchasing.money import format_cny
from purchasing.statuses import OrderStatus
from tests.orders.conftest import previewed_order, submitted_order
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from upstream.sandbox.models import Payment

CHANGELIST = "admin:purchasing_purchaseorder_changelist"


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_preview(order, sellers=(("s1", 1_000, 500), ("s2", 2_000, 0))):
    for seller_id, _goods, _freight in sellers:
        PurchaseOrderLineFactory(order=order, seller_id=seller_id, seller_name=f"Shop {seller_id}")
    OrderPreview.objects.create(
        order=order,
        sellers=[
            {
                "seller_id": seller_id,
                "goods_fen": goods,
                "freight_fen": freight,
                "total_fen": goods + freight,
                "lines": [],
            }
            for seller_id, goods, freight in sellers
        ],
        goods_fen=sum(s[1] for s in sellers),
        freight_fen=sum(s[2] for s in sellers),
        total_fen=sum(s[1] + s[2] for s in sellers),
        expires_at=timezone.now() + timedelta(minutes=30),
    )
    return order


def action(client, name: str, orders, **extra):
    data = {"action": name, helpers.ACTION_CHECKBOX_NAME: [o.pk for o in orders], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


@pytest.mark.django_db
def test_the_changelist_filters_and_searches_by_any_id(staff_user):
    client = admin_client(staff_user("admin"))
    order = PurchaseOrderFactory(
        upstream_order_id="UP-77", upstream_order_ids=["UP-77", "UP-78"], needs_attention=True
    )
    PurchaseOrderFactory()

    for query in (order.reference, "UP-78"):
        page = client.get(reverse(CHANGELIST), {"q": query})
        assert page.status_code == 200 and page.context["cl"].result_count == 1, query
    page = client.get(reverse(CHANGELIST), {"needs_attention__exact": "1", "status": "draft"})
    assert page.context["cl"].result_count == 1


@pytest.mark.django_db
def test_an_order_cannot_be_edited_added_or_deleted_in_the_admin(staff_user):
    client = admin_client(staff_user("admin"))
    order = with_preview(PurchaseOrderFactory(status=OrderStatus.PREVIEWED))
    url = reverse("admin:purchasing_purchaseorder_change", args=[order.pk])

    page = client.get(url)
    assert page.status_code == 200 and order.reference in page.content.decode()
    assert client.post(url, {"status": OrderStatus.PAID}).status_code == 403
    assert client.get(reverse("admin:purchasing_purchaseorder_add")).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED


@pytest.mark.django_db
def test_the_submit_action_shows_each_preview_per_seller_before_anything_happens(staff_user):
    client = admin_client(staff_user("admin"))
    ready = with_preview(PurchaseOrderFactory(status=OrderStatus.PREVIEWED, quoted_total_fen=3_500))
    paid = with_preview(PurchaseOrderFactory(status=OrderStatus.PAID))

    page = action(client, "submit_orders", [ready, paid])

    html = page.content.decode()
    assert page.templates[0].name == "admin/purchasing/purchaseorder/action_confirmation.html"
    assert html.count('data-testid="admin-confirm-order"') == 2
    assert "Shop s1" in html and "Shop s2" in html and format_cny(1_500) in html
    assert "Skipped: it is paid" in html
    assert "Submit 1 order, " + format_cny(3_500) in html
    ready.refresh_from_db()
    assert ready.status == OrderStatus.PREVIEWED and not ready.events.exists()


@pytest.mark.django_db
def test_the_cancel_action_cancels_after_its_confirmation(staff_user):
    client = admin_client(staff_user("admin"))
    order = with_preview(PurchaseOrderFactory(status=OrderStatus.PREVIEWED, quoted_total_fen=3_500))

    action(client, "cancel_orders", [order])
    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED
    page = action(
        client, "cancel_orders", [order], post="yes", total_fen="3500", reason="wrong colour"
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.events.last().message == "wrong colour"
    assert f"{order.reference}: Cancelled" in page.content.decode()


@pytest.mark.django_db
def test_an_action_confirmed_on_stale_numbers_does_nothing(staff_user):
    client = admin_client(staff_user("admin"))
    order = with_preview(PurchaseOrderFactory(status=OrderStatus.PREVIEWED, quoted_total_fen=3_500))

    page = action(client, "cancel_orders", [order], post="yes", total_fen="100")

    order.refresh_from_db()
    assert order.status == OrderStatus.PREVIEWED
    assert "nothing was done" in page.content.decode()


@pytest.mark.django_db
def test_finance_cannot_open_the_orders_admin(staff_user):
    finance = staff_user("finance")
    finance.is_staff = True
    finance.save()

    page = admin_client(finance).get(reverse(CHANGELIST))

    # Finance holds no model permission on orders: the admin does not list them at all.
    assert page.status_code == 403


def test_submit_and_pay_actions_go_through_the_services(live, people, staff_user):
    client = admin_client(staff_user("admin"))
    order = previewed_order(people, actor=people.approver)

    action(client, "submit_orders", [order])
    page = action(
        client, "submit_orders", [order], post="yes", total_fen=str(order.quoted_total_fen)
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT, page.content.decode()
    assert len(live.creates(order.reference)) == 1

    page = action(client, "pay_orders", [order])
    assert "Pay 1 order" in page.content.decode()
    assert not PaymentAttempt.objects.exists()
    total = order.upstream_total_fen
    action(client, "pay_orders", [order], post="yes", total_fen=str(total))
    action(client, "pay_orders", [order], post="yes", total_fen=str(total))  # skipped now

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.filter(order__outer_ref=order.reference).count() == 1


def test_a_second_order_paid_through_the_admin_pays_only_itself(live, people, staff_user):
    client = admin_client(staff_user("admin"))
    first, second = submitted_order(people), submitted_order(people)

    action(client, "pay_orders", [first], post="yes", total_fen=str(first.upstream_total_fen))
    page = action(client, "pay_orders", [first, second])

    assert "Skipped: it is paid" in page.content.decode()
    assert Payment.objects.filter(order__outer_ref=second.reference).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["purchasing_orderevent", "purchasing_paymentattempt", "purchasing_upstreammessage"]
)
def test_the_journal_admins_are_read_only_and_searchable(staff_user, name):
    client = admin_client(staff_user("admin"))
    order = PurchaseOrderFactory()
    order.note("hello", kind="note")
    PaymentAttempt.objects.create(order=order, key=f"{order.reference}-P1", status="failed")
    UpstreamMessage.objects.create(provider="pandapon", dedupe_key="k1", order=order)

    page = client.get(reverse(f"admin:{name}_changelist"), {"q": order.reference})

    assert page.status_code == 200 and page.context["cl"].result_count == 1
    assert client.get(reverse(f"admin:{name}_add")).status_code == 403
