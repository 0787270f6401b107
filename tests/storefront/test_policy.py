"""The buying policy against the sandbox over real HTTP: split by platform and seller, bought
without a person when within budget, held for a person otherwise."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from purchasing.models import PaymentAttempt
from purchasing.models.orders import Source
from purchasing.services.orders.common import warehouse_address
from purchasing.statuses import OrderStatus
from storefront.models import CustomerOrderStatus, Storefront
from storefront.services.intake import customer_order_create
from tests.storefront.conftest import order_data, pick
from tests.upstream.factories import Pick
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment, Shop


def test_auto_policy_buys_and_pays_through_the_sandbox(live, storefront):
    chosen = pick("taobao")

    order, created = customer_order_create(storefront=storefront, data=order_data(chosen))

    order.refresh_from_db()
    assert created and order.status == CustomerOrderStatus.PURCHASED, order.status_reason
    purchase = order.purchase_orders.get()
    assert purchase.source == Source.STOREFRONT and purchase.status == OrderStatus.PAID
    assert purchase.address == warehouse_address()
    assert SandboxOrder.objects.filter(outer_ref=purchase.reference).count() == 1
    assert Payment.objects.filter(order__outer_ref=purchase.reference).count() == 1
    assert purchase.payments.get().status == PaymentAttempt.Status.SUCCEEDED
    line = order.lines.get()
    assert line.status == "purchased" and line.purchase_line.order == purchase
    ours = purchase.events.exclude(actor_label__in=["upstream", "system"])
    assert set(ours.values_list("actor_label", flat=True)) == {"storefront:Test shop"}


def test_lines_are_split_by_platform_and_seller(live, storefront):
    first, same_seller = two_from_one_shop("taobao")
    other_seller = pick("taobao", other_than=(first, same_seller), other_shop_than=(first,))
    alibaba = pick("1688")

    order, _ = customer_order_create(
        storefront=storefront, data=order_data(first, other_seller, alibaba, same_seller)
    )

    purchases = list(order.purchase_orders.order_by("pk"))
    assert sorted(p.platform for p in purchases) == ["1688", "taobao", "taobao"]
    for purchase in purchases:
        assert purchase.source == Source.STOREFRONT
        assert len({line.seller_id for line in purchase.lines.all()}) == 1
    lines = {line.line_no: line for line in order.lines.select_related("purchase_line")}
    assert lines[1].purchase_line.order_id == lines[4].purchase_line.order_id
    assert lines[1].purchase_line.order_id != lines[2].purchase_line.order_id
    assert lines[3].purchase_line.order.platform == "1688"


def test_a_sellers_skus_past_the_1688_limit_make_drafts_of_their_own(live, storefront, settings):
    settings.CAIGOU_1688_SKUS_PER_ORDER = 1
    first, second = two_from_one_shop("1688")

    order, _ = customer_order_create(storefront=storefront, data=order_data(first, second))

    order.refresh_from_db()
    purchases = list(order.purchase_orders.order_by("pk"))
    assert [p.lines.count() for p in purchases] == [1, 1]
    assert order.status == CustomerOrderStatus.PURCHASED, order.status_reason
    for purchase in purchases:
        assert purchase.status == OrderStatus.PAID, purchase.attention_reason
        assert SandboxOrder.objects.filter(outer_ref=purchase.reference).count() == 1
        assert Payment.objects.filter(order__outer_ref=purchase.reference).count() == 1


def two_from_one_shop(platform: str) -> tuple[Pick, Pick]:
    """Two orderable SKUs of two products sold by the same seller."""
    for shop in Shop.objects.filter(platform=platform).order_by("pk"):
        found = []
        for product in shop.products.filter(available=True).order_by("pk"):
            wanted = max(1, product.min_order_quantity)
            sku = product.skus.filter(available=True, stock__gte=wanted).order_by("pk").first()
            if sku is not None:
                found.append(Pick(product, sku, wanted))
            if len(found) == 2:
                return found[0], found[1]
    raise AssertionError(f"no {platform} seller with two orderable products")


def test_a_total_above_the_budget_waits_in_the_exceptions_queue(live, storefront):
    chosen = pick("taobao")

    order, _ = customer_order_create(storefront=storefront, data=order_data(chosen, budget_fen=100))

    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.ON_HOLD and "above the budget" in order.status_reason
    purchase = order.purchase_orders.get()
    assert purchase.status == OrderStatus.PREVIEWED and purchase.needs_attention
    assert "above the budget" in purchase.attention_reason
    assert not SandboxOrder.objects.filter(outer_ref=purchase.reference).exists()


def test_what_the_policy_writes_is_stored_in_the_sites_language(live, storefront, client_as):
    # The intake runs inside a Chinese reader's request (as in `make run`): the reasons are
    # stored in English all the same, and a Chinese reader's page words them.
    with translation.override("zh-hans"):
        order, _ = customer_order_create(
            storefront=storefront, data=order_data(pick("taobao"), budget_fen=100)
        )

    order.refresh_from_db()
    purchase = order.purchase_orders.get()
    assert "above the budget" in order.status_reason
    assert purchase.attention_reason.startswith(f"storefront order {order.external_id}: ")
    page = client_as("purchaser").get(
        reverse("orders:detail", args=[purchase.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    body = page.content.decode()
    assert f"前台订单 {order.external_id}：预览合计" in body


def test_a_review_storefront_holds_every_order(live, storefront):
    storefront.policy = Storefront.Policy.REVIEW
    storefront.save()

    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))

    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.ON_HOLD
    assert order.purchase_orders.get().needs_attention


def test_an_item_gone_upstream_holds_the_order_with_the_reason(live, storefront):
    data = order_data(pick("taobao"))
    data["lines"][0]["item_id"] = "999999999999"

    order, _ = customer_order_create(storefront=storefront, data=data)

    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.ON_HOLD
    assert "999999999999" in order.status_reason
    assert not order.purchase_orders.exists()


def test_intake_run_twice_changes_nothing(live, storefront):
    from storefront.services.policy import customer_order_intake
    from storefront.tasks import intake_order

    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))
    purchase = order.purchase_orders.get()
    events = purchase.events.count()

    customer_order_intake(order_id=order.pk)
    intake_order.delay(order_id=order.pk)

    assert order.purchase_orders.count() == 1
    assert purchase.events.count() == events
    assert Payment.objects.filter(order__outer_ref=purchase.reference).count() == 1


def test_the_sweeper_takes_in_an_order_whose_intake_was_lost(live, storefront):
    from datetime import timedelta

    from django.utils import timezone

    from storefront.models import CustomerOrder, CustomerOrderLine
    from storefront.tasks import sweep

    chosen = pick("taobao")
    # Stored, but the process died before the intake task was enqueued.
    order = CustomerOrder.objects.create(
        storefront=storefront, external_id="SO-LOST", currency="USD", customer_name="Ada"
    )
    CustomerOrderLine.objects.create(
        order=order,
        line_no=1,
        platform="taobao",
        item_id=chosen.product.item_id,
        sku_id=chosen.sku.sku_id,
        quantity=chosen.quantity,
    )
    CustomerOrder.objects.filter(pk=order.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    sweep.delay()

    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.PURCHASED


def test_the_demo_storefront_is_made_once_and_each_run_has_one_live_key(db):
    from storefront.demo import demo_storefront_create
    from storefront.models import ALL_SCOPES, ApiKey, hash_key

    storefront, first = demo_storefront_create()
    again, second = demo_storefront_create()

    assert again == storefront and first != second
    assert storefront.name == "Demo shop" and storefront.scopes == ALL_SCOPES
    assert storefront.policy == Storefront.Policy.AUTO
    live = ApiKey.objects.get(storefront=storefront, revoked_at__isnull=True)
    assert live.hashed == hash_key(second)
    assert ApiKey.objects.get(hashed=hash_key(first)).revoked_at is not None


def test_the_sweeper_pays_a_policy_order_whose_pay_task_was_lost(live, storefront):
    from datetime import timedelta

    from django.utils import timezone

    from purchasing.models import PurchaseOrder
    from purchasing.signals import order_moved
    from storefront import receivers
    from storefront.tasks import sweep

    order_moved.disconnect(dispatch_uid="storefront.order_moved")
    try:  # the enqueue after "awaiting payment" is lost with the broker
        order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))
    finally:
        order_moved.connect(receivers.order_moved, dispatch_uid="storefront.order_moved")
    purchase = order.purchase_orders.get()
    assert purchase.status == OrderStatus.AWAITING_PAYMENT and not purchase.payments.exists()
    PurchaseOrder.objects.filter(pk=purchase.pk).update(
        updated_at=timezone.now() - timedelta(hours=1)
    )

    assert sweep() >= 1

    purchase.refresh_from_db()
    assert purchase.status == OrderStatus.PAID
    assert Payment.objects.filter(order__outer_ref=purchase.reference).count() == 1


def test_payment_by_policy_follows_the_order_moved_event_not_a_saved_audit_row(
    db, django_capture_on_commit_callbacks
):
    """Money moves on purchasing's explicit event, never because a timeline row was saved."""
    from purchasing.models import OrderEvent
    from storefront.models import CustomerOrder
    from tests.orders.factories import PurchaseOrderFactory

    purchase = PurchaseOrderFactory(source=Source.STOREFRONT, status=OrderStatus.SUBMITTING)
    shop = Storefront.objects.create(name="Event shop")
    customer = CustomerOrder.objects.create(
        storefront=shop, external_id="E-1", currency="USD", customer_name="Eve"
    )
    customer.purchase_orders.add(purchase)

    with django_capture_on_commit_callbacks() as written_by_hand:
        OrderEvent.objects.create(
            order=purchase,
            from_status=OrderStatus.SUBMITTING,
            to_status=OrderStatus.AWAITING_PAYMENT,
        )
    with django_capture_on_commit_callbacks() as moved:
        purchase.transition(OrderStatus.AWAITING_PAYMENT, actor_label="upstream")

    assert written_by_hand == []
    assert len(moved) == 2  # the customer order's status, and the payment by policy


def test_a_pay_deadline_reminder_does_not_hold_the_customer_order(live, storefront, people):
    from purchasing.services.orders.approval import order_confirm
    from purchasing.services.orders.attention import order_clear_attention
    from purchasing.services.orders.deadlines import raise_due_deadlines

    storefront.policy = Storefront.Policy.REVIEW
    storefront.save()
    order, _ = customer_order_create(storefront=storefront, data=order_data(pick("taobao")))
    purchase = order.purchase_orders.get()
    # A person looks, lets it go on, and confirms it; paying it is theirs.
    order_clear_attention(order=purchase, actor=people.approver, comment="checked")
    order_confirm(order=purchase, actor=people.approver)
    purchase.refresh_from_db()
    assert purchase.status == OrderStatus.AWAITING_PAYMENT
    order.refresh_from_db()
    assert order.status == CustomerOrderStatus.PURCHASING

    assert raise_due_deadlines() == 1

    purchase.refresh_from_db()
    order.refresh_from_db()
    assert purchase.needs_attention  # in the exceptions queue, as a reminder
    assert order.status == CustomerOrderStatus.PURCHASING, order.status_reason
