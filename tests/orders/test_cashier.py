"""Password-free payment refused: the order waits for a person with a working cashier link, no
money moves, and the order becomes paid once the upstream reports the payment made at the
cashier. Against the sandbox over real HTTP, for 1688 through PandaPon and through Dajisaas."""

from __future__ import annotations

import re

import pytest
import requests

from purchasing.actors import Policy
from purchasing.models import PaymentAttempt
from purchasing.services.orders.attention import order_clear_attention
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.lifecycle import order_refresh
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from purchasing.tasks import pay_orders
from tests.orders.conftest import submitted_order
from tests.orders.factories import leases_run_out
from upstream.sandbox.callbacks import wait_for_deliveries
from upstream.sandbox.models import Fault, Payment

LINK = re.compile(r'<a [^>]*data-testid="cashier-link"[^>]*>')


def cashier_url(live, order) -> str:
    """The sandbox's cashier page for the order's upstream order."""
    return f"{live.url}/sandbox/cashier/?orderIds={order.upstream_order_id}"


def payments_upstream(order) -> list[Payment]:
    return list(Payment.objects.filter(order__order_id__in=order.upstream_ids))


def link_on_the_order_page(client, order) -> str:
    """The cashier link the order page shows (href), after checking how it opens."""
    page = client.get(f"/orders/{order.pk}/").content.decode()
    [tag] = LINK.findall(page)
    assert 'target="_blank"' in tag and 'rel="noopener"' in tag
    assert "Password-free payment was refused" in page
    assert "becomes paid here once the upstream reports the payment" in page
    return re.search(r'href="([^"]+)"', tag).group(1).replace("&amp;", "&")


def follow(client, url: str) -> requests.Response:
    """GET the link over HTTP as the signed-in person's browser would."""
    return requests.get(url, cookies={"sessionid": client.cookies["sessionid"].value}, timeout=10)


def refused_then_waiting(live, people, client, order) -> PaymentAttempt:
    """The order is back awaiting payment, flagged, its one attempt failed with the cashier
    link, which the order page shows and which opens the sandbox's cashier for the order."""
    order.refresh_from_db()
    attempt = order.payments.get()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.needs_attention
    assert "Pay at the cashier" in order.attention_reason
    assert attempt.status == PaymentAttempt.Status.FAILED
    assert attempt.pay_url == cashier_url(live, order)
    assert payments_upstream(order) == []
    client.force_login(people.finance)
    url = link_on_the_order_page(client, order)
    assert url == cashier_url(live, order)
    cashier = follow(client, url)
    assert cashier.status_code == 200 and order.upstream_order_id in cashier.text
    return attempt


def paid_at_the_cashier(order, attempt: PaymentAttempt) -> None:
    """Paid once upstream, recorded here with the amount, the failed attempt left as it was."""
    order.refresh_from_db()
    attempt.refresh_from_db()
    [payment] = payments_upstream(order)
    assert payment.operation == "cashier"
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert order.actual_fen == payment.amount_fen == order.upstream_total_fen
    assert order.payments.get() == attempt and attempt.status == PaymentAttempt.Status.FAILED
    assert not order.needs_attention
    paid = order.events.get(kind="status", to_status=OrderStatus.PAID)
    assert paid.message.startswith("paid at the cashier, reported by the upstream")


def test_a_refused_pandapon_protocol_pay_is_paid_at_the_cashier(live, people, client, settings):
    live.control("protocol-pay", provider="pandapon", signed=False)
    order = submitted_order(people, platform="1688")

    order_pay(orders=[order], actor=people.finance)

    attempt = refused_then_waiting(live, people, client, order)
    assert attempt.operation == "alibaba_order_pay_url"
    settings.SANDBOX_CALLBACKS_ENABLED = True
    Fault.objects.create(path="ORDER_BUYER_VIEW_*", mode="duplicate_callback")
    live.control("cashier-pay", order=order.upstream_order_id)
    assert wait_for_deliveries(10)
    paid_at_the_cashier(order, attempt)
    assert order.messages.count() == 1  # the push came twice: stored and applied once
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="cashier-link"' not in page


def test_a_dajisaas_refusal_with_an_unknown_code_gives_up_after_three_tries(
    live, people, client, settings
):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    live.control("protocol-pay", provider="dajisaas", signed=False)
    order = submitted_order(people, platform="1688")

    order_pay(orders=[order], actor=people.finance)
    for _try in range(3):  # each unknown try is tried again once it can no longer land
        leases_run_out(order)
        pay_orders.delay(order_ids=[order.pk])

    attempt = refused_then_waiting(live, people, client, order)
    pays = [e for e in live.ledger(order.reference) if e["operation"] == "dj_protocol_pay"]
    assert len(pays) == 3
    assert order.events.filter(kind="pay_unknown").count() == 3
    assert "failed 3 times" in attempt.error
    live.control("cashier-pay", order=order.upstream_order_id)
    order_refresh(order_id=order.pk)
    paid_at_the_cashier(order, attempt)
    assert len(live.ledger(order.reference)) == 1 + 3 + 1  # create, 3 refused pays, cashier


def test_a_known_dajisaas_refusal_gives_the_link_at_once(live, people, client, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    live.control("protocol-pay", provider="dajisaas", signed=False, refusal_code="1006")
    order = submitted_order(people, platform="1688")

    order_pay(orders=[order], actor=people.finance)

    attempt = refused_then_waiting(live, people, client, order)
    pays = [e for e in live.ledger(order.reference) if e["operation"] == "dj_protocol_pay"]
    assert len(pays) == 1 and not order.events.filter(kind="pay_unknown").exists()
    assert attempt.error.startswith("password-free payment refused")


def test_a_policy_never_pays_an_order_left_for_the_cashier(live, people, client, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    live.control("protocol-pay", provider="dajisaas", signed=False, refusal_code="1006")
    order = submitted_order(people, platform="1688")
    order_pay(orders=[order], actor=people.finance)
    refused_then_waiting(live, people, client, order)
    order.previews.update(accepted_by=None)  # as a storefront's policy accepts
    order_clear_attention(order=order, actor=people.approver, comment="paying it by hand")

    with pytest.raises(OrderError, match="pay at the cashier"):
        order_pay(orders=[order], actor=Policy("storefront:Demo shop"))

    assert payments_upstream(order) == [] and order.payments.count() == 1


@pytest.mark.parametrize("provider", ["pandapon", "dajisaas"])
def test_a_signed_account_still_pays_password_free(live, people, settings, provider):
    settings.UPSTREAM_PROVIDER_1688 = provider
    live.control("protocol-pay", provider=provider, signed=False)
    live.control("protocol-pay", provider=provider, signed=True)
    order = submitted_order(people, platform="1688")

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and not order.payments.get().pay_url
    assert len(payments_upstream(order)) == 1


def test_a_refused_batch_is_paid_for_both_at_one_cashier(live, people, client, settings):
    live.control("protocol-pay", provider="pandapon", signed=False)
    first = submitted_order(people, platform="1688")
    second = submitted_order(people, platform="1688")

    order_pay(orders=[first, second], actor=people.finance)

    names = f"{first.upstream_order_id}%2C{second.upstream_order_id}"
    links = {order.payments.get().pay_url for order in (first, second)}
    assert links == {f"{live.url}/sandbox/cashier/?orderIds={names}"}
    settings.SANDBOX_CALLBACKS_ENABLED = True
    client.force_login(people.finance)
    client.post(links.pop())  # the person pays at the cashier the link opens
    assert wait_for_deliveries(10)
    for order in (first, second):
        paid_at_the_cashier(order, order.payments.get())


def test_paying_again_after_the_cashier_paid_pays_nothing_more(live, people, client, settings):
    """Paid at the cashier, and no word from the upstream yet: a person clears the flag and
    presses Pay. The read before the pay finds the order paid, so nothing is paid again."""
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    live.control("protocol-pay", provider="dajisaas", signed=False, refusal_code="1006")
    order = submitted_order(people, platform="1688")
    order_pay(orders=[order], actor=people.finance)
    refused_then_waiting(live, people, client, order)
    live.control("cashier-pay", order=order.upstream_order_id)  # callbacks are off
    order_clear_attention(order=order, actor=people.approver, comment="paid at the cashier")

    order_pay(orders=[order], actor=people.finance)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.actual_fen == order.upstream_total_fen
    [payment] = payments_upstream(order)
    assert payment.operation == "cashier"
    pays = [e for e in live.ledger(order.reference) if e["operation"] == "dj_protocol_pay"]
    assert len(pays) == 1  # the refused one only
