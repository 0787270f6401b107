"""Caigou splits what one create cannot carry, before anything goes upstream: a 1688 draft of
several sellers through Dajisaas (one seller per create), or of more SKUs from one seller than
CAIGOU_1688_SKUS_PER_ORDER, becomes parts of their own, each created once and paid once; the
sandbox over real HTTP, through either provider. The parts are one purchase: a part that stops
for a person (its price moved, its create was refused for good) holds the others back from
payment until that person decides, and a held part's page names the part it waits for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.attention import order_clear_attention
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.outcomes import Outcome
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import order_create_from_items, order_preview
from purchasing.services.orders.split import order_split
from purchasing.services.orders.submit import _create_failed
from purchasing.splitting import needs_split
from purchasing.statuses import OrderStatus
from tests.concurrency import at_once
from tests.orders.factories import ADDRESS, client_for
from tests.upstream.factories import Pick, pick
from upstream import errors
from upstream.sandbox.models import Order as SandboxOrder
from upstream.sandbox.models import Payment, Sku


def items_of(*picks: Pick) -> list[dict]:
    return [
        {"item_id": p.product.item_id, "spec_id": p.sku.spec_id, "quantity": p.quantity}
        for p in picks
    ]


def two_sellers() -> list[dict]:
    first = pick("1688")
    return items_of(first, pick("1688", other_shop_than=(first,)))


def one_seller_skus(count: int) -> list[dict]:
    """`count` SKUs of one 1688 offer: the sandbox's first offer gets the SKUs it lacks."""
    chosen = pick("1688")
    product, template = chosen.product, chosen.sku
    for n in range(product.skus.count(), count):
        Sku.objects.create(
            product=product,
            sku_id=f"{template.sku_id}{n:03d}",
            spec_id=f"{template.spec_id}{n:03d}",
            properties=template.properties,
            price_fen=template.price_fen,
            stock=template.stock,
        )
    skus = product.skus.filter(available=True, stock__gte=chosen.quantity).order_by("pk")
    return items_of(*(Pick(product, sku, chosen.quantity) for sku in skus[:count]))


def draft(people, items: list[dict]) -> PurchaseOrder:
    order = order_create_from_items(
        platform="1688", items=items, address=ADDRESS, actor=people.approver
    )
    order_preview(order=order, actor=people.approver)
    order.refresh_from_db()
    return order


def bought(people, parts: list[PurchaseOrder]) -> None:
    """Each part previewed, confirmed (so created) and paid, the pay asked twice."""
    for part in parts:
        order_preview(order=part, actor=people.approver)
        order_confirm(order=part, actor=people.approver)
    order_pay(orders=parts, actor=people.finance)
    order_pay(orders=parts, actor=people.finance)


def upstream_orders(part: PurchaseOrder) -> list[SandboxOrder]:
    return list(SandboxOrder.objects.filter(outer_ref=part.reference))


def test_a_two_seller_dajisaas_draft_becomes_two_orders_each_created_and_paid_once(
    live, people, settings
):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    order = draft(people, two_sellers())
    assert needs_split(order)
    with pytest.raises(OrderError, match="split it into orders first"):
        order_confirm(order=order, actor=people.approver)
    assert live.ledger(order.reference) == []  # refused before any create

    parts = order_split(order=order, actor=people.approver)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert [p.reference for p in parts] == [f"{order.reference}-1", f"{order.reference}-2"]
    assert len({p.seller_id for p in parts}) == 2
    assert sum(p.lines.count() for p in parts) == order.lines.count() == 2
    bought(people, parts)
    for part in parts:
        part.refresh_from_db()
        assert part.status == OrderStatus.PAID, part.attention_reason
        creates = live.creates(part.reference)
        assert [e["operation"] for e in creates] == ["dj_create_cross_order"]
        made = upstream_orders(part)
        assert len(made) == 1 and Payment.objects.filter(order__in=made).count() == 1


@pytest.mark.parametrize("provider", ["pandapon", "dajisaas"])
def test_51_skus_from_one_supplier_become_two_upstream_orders(live, people, settings, provider):
    settings.UPSTREAM_PROVIDER_1688 = provider
    order = draft(people, one_seller_skus(51))
    assert order.lines.count() == 51 and needs_split(order)

    parts = order_split(order=order, actor=people.approver)

    assert [p.lines.count() for p in parts] == [50, 1]
    bought(people, parts)
    for part in parts:
        part.refresh_from_db()
        assert part.status == OrderStatus.PAID, part.attention_reason
        assert len(live.creates(part.reference)) == 1
        made = upstream_orders(part)
        assert len(made) == 1 and Payment.objects.filter(order__in=made).count() == 1


def test_a_pandapon_two_seller_draft_is_not_split(live, people, settings):
    settings.UPSTREAM_PROVIDER_1688 = "pandapon"
    order = draft(people, two_sellers())
    assert not needs_split(order)
    with pytest.raises(OrderError, match="is not split"):
        order_split(order=order, actor=people.approver)
    assert not PurchaseOrder.objects.filter(split_from=order).exists()


def test_the_preview_page_offers_the_split_instead_of_the_confirm(live, people, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    client = client_for(people.approver)
    # Built as a person builds it: Orders → New order from item ids, which previews it.
    typed = "\n".join(f"{i['item_id']} {i['spec_id']} {i['quantity']}" for i in two_sellers())
    made = client.post("/checkout/new/", {"platform": "1688", "items": typed})
    order = PurchaseOrder.objects.get()
    assert made.status_code == 302 and order.status == OrderStatus.PREVIEWED

    page = client.get(f"/checkout/{order.pk}/preview/").content.decode()
    assert 'data-testid="split-needed"' in page and 'data-testid="confirm-link"' not in page

    response = client.post(f"/checkout/{order.pk}/split/")
    assert response.status_code == 302
    page = client.get(f"/checkout/{order.pk}/preview/").content.decode()
    parts = list(order.parts.order_by("pk"))
    assert 'data-testid="split-parts"' in page and "under our reference" not in page
    assert all(part.reference in page for part in parts) and len(parts) == 2
    assert all(part.status == OrderStatus.PREVIEWED for part in parts)  # previewed at once
    part_page = client.get(f"/checkout/{parts[0].pk}/preview/").content.decode()
    assert 'data-testid="part-of"' in part_page and 'data-testid="confirm-link"' in part_page

    again = client.post(f"/checkout/{order.pk}/split/")  # the page's button pressed twice
    assert again.status_code == 302 and order.parts.count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a double click needs PostgreSQL's row locks (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_a_double_click_splits_once(people, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    order = PurchaseOrder.objects.create(platform="1688", provider="dajisaas")
    for n, seller in enumerate(("a", "b"), start=1):
        order.lines.create(line_no=n, item_id=f"i{n}", seller_id=seller, quantity=1)
    ended = at_once(lambda: order_split(order=order, actor=people.approver), times=4)

    assert ended == ["done", "refused", "refused", "refused"]
    assert order.parts.count() == 2


def created_parts(people, settings) -> list[PurchaseOrder]:
    """A two-seller Dajisaas draft split in two, each part previewed and created upstream."""
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    parts = order_split(order=draft(people, two_sellers()), actor=people.approver)
    for part in parts:
        order_preview(order=part, actor=people.approver)
        order_confirm(order=part, actor=people.approver)
        part.refresh_from_db()
        assert part.status == OrderStatus.AWAITING_PAYMENT, part.attention_reason
    return parts


def payments_of(part: PurchaseOrder) -> int:
    return Payment.objects.filter(order__outer_ref=part.reference).count()


def test_a_part_whose_price_moved_holds_the_other_until_a_person_decides(live, people, settings):
    first, second = created_parts(people, settings)
    live.control("price-change", order=second.reference, delta_fen=500)

    # Both asked at once: the second is found moved in the same run, so the first is not paid.
    order_pay(orders=[first, second], actor=people.finance)

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.needs_attention and second.status == OrderStatus.AWAITING_PAYMENT
    assert first.status == OrderStatus.AWAITING_PAYMENT and not first.needs_attention
    assert second.reference in first.payments.get().error
    assert first.payments.get().status == PaymentAttempt.Status.FAILED
    assert payments_of(first) == payments_of(second) == 0

    # Asked again for the first alone: refused, naming the part it waits for.
    with pytest.raises(OrderError, match=second.reference):
        order_pay(orders=[first], actor=people.finance)
    page = client_for(people.finance).get(reverse("orders:detail", args=[first.pk]))
    body = page.content.decode()
    assert 'data-testid="pay-hold"' in body and second.reference in body
    assert not page.context["actions"]["pay"]
    # The Pay orders list says so too, and offers no box to tick for it.
    listing = client_for(people.finance).get(reverse("checkout:pay"))
    held = next(o for o in listing.context["orders"] if o.pk == first.pk)
    assert not held.payable and second.reference in held.hold
    assert 'data-testid="pay-hold"' in listing.content.decode()
    confirmation = client_for(people.finance).post(
        reverse("checkout:pay_confirm"), {"order": [first.pk]}
    )
    assert [order.pk for order, _why in confirmation.context["refused"]] == [first.pk]

    order_clear_attention(
        order=second, actor=people.approver, comment="the seller's new price", accept_total=True
    )
    order_pay(orders=[first, second], actor=people.finance)

    for part in (first, second):
        part.refresh_from_db()
        assert part.status == OrderStatus.PAID, part.attention_reason
        assert payments_of(part) == 1
    assert (
        client_for(people.finance)
        .get(reverse("orders:detail", args=[first.pk]))
        .context["pay_hold"]
        == ""
    )


def test_a_part_refused_for_good_is_flagged_and_holds_the_others(live, people, settings):
    first, second = created_parts(people, settings)
    # The second's create refused for good (a request the upstream calls wrong).
    PurchaseOrder.objects.filter(pk=second.pk).update(status=OrderStatus.SUBMITTING)
    _create_failed(second.pk, errors.BadRequest("address rejected", code=400), Outcome.FAILED)

    second.refresh_from_db()
    assert second.status == OrderStatus.FAILED and second.needs_attention
    assert first.split_from.reference in second.attention_reason
    # the upstream's words, without its code (the call journal keeps that)
    assert second.failure_reason == "address rejected"
    with pytest.raises(OrderError, match=second.reference):
        order_pay(orders=[first], actor=people.finance)
    assert payments_of(first) == 0

    # The person decides to buy the rest without it: clearing its flag releases the first.
    order_clear_attention(order=second, actor=people.approver, comment="bought elsewhere")
    order_pay(orders=[first], actor=people.finance)
    first.refresh_from_db()
    assert first.status == OrderStatus.PAID and payments_of(first) == 1


def test_a_cancelled_part_holds_nothing(live, people, settings):
    first, second = created_parts(people, settings)
    PurchaseOrder.objects.filter(pk=second.pk).update(
        status=OrderStatus.CANCELLED, needs_attention=True, attention_reason="closed by seller"
    )

    order_pay(orders=[first], actor=people.finance)

    first.refresh_from_db()
    assert first.status == OrderStatus.PAID and payments_of(first) == 1
