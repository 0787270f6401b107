"""The order page through the test client: what it shows to each role, its actions, clearing
attention, and the actions that reach the live sandbox (vouchers: test_pages_vouchers)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from logistics.models import Address, Parcel
from purchasing.models import OrderEvent, UpstreamMessage
from purchasing.statuses import OrderStatus
from tests.aftersales.factories import RefundCaseFactory
from tests.logistics.conftest import CUSTOMER
from tests.orders.conftest import submitted_order
from tests.orders.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    UpstreamMessageFactory,
    bulk,
)
from tests.security.files import tiny_png
from tests.words import visible_text
from upstream import errors
from upstream.models import CallJournal
from upstream.sandbox.models import Order as SandboxOrder

pytestmark = pytest.mark.django_db

PNG = tiny_png()  # a real picture: vouchers are decoded and saved again


# -- one order ---------------------------------------------------------------------------------
def test_order_page_shows_timeline_lines_amounts_journal_and_messages(signed_in):
    client, user = signed_in("purchaser")
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT,
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
    UpstreamMessageFactory(order=order)
    UpstreamMessageFactory(
        order=order,
        message_type="TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY",
        outcome=UpstreamMessage.Outcome.REFUSED,
        error="refused: purchaseTotalFee must be a whole number",
    )

    response = client.get(f"/orders/{order.pk}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "男士短裤" in html and "颜色: 黑色" in html and "sub-order SUB-1" in html
    assert "created upstream: 3300001" in html and "req-42" in html
    # the journal's rows link into the Django admin only for those who may open it
    assert "create the order" in html and "/admin/upstream/calljournal/" not in html
    # a message's type in words, its code only in the tooltip
    assert "order status changed</span>" in html and "Applied" in html
    assert ">TAOBAO_ORDER_STATUS_MODIFY<" not in html
    # a message refused when applied: its outcome in words; the technical reason with the raw text
    refused = html[html.index("price changed</span>") :]
    assert refused.index("Refused: content not acceptable") < refused.index("<summary>")
    assert refused.index("<summary>") < refused.index("purchaseTotalFee must be a whole number")
    assert "¥90.00" in html and "¥10.00" in html
    # awaiting payment, for a purchaser: cancel, refresh, chat, warehouse; no pay, no voucher
    actions = response.context["actions"]
    assert actions["cancel"] and actions["refresh"] and actions["im"] and actions["warehouse"]
    assert not actions["pay"] and not actions["voucher"] and not actions["receipt"]
    assert 'hx-trigger="every 3s"' not in html
    admin, _ = signed_in("admin")
    assert "/admin/upstream/calljournal/" in admin.get(f"/orders/{order.pk}/").content.decode()
    chinese = client.get(f"/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "采购单状态已变更</span>" in chinese


def test_each_timeline_names_who_acted_and_what_about_in_the_readers_language(signed_in):
    """Caigou's own actors and a storefront's policy are said in words; a person keeps their
    name. The order's timeline, a case's and a parcel's read them the same way."""
    client, user = signed_in("purchaser")
    order = PurchaseOrderFactory(status=OrderStatus.SUBMITTING, created_by=user)
    order.note("draft created with 1 lines", actor=user, kind="created")
    order.note("creating upstream (attempt 1)", kind="create")
    order.note("created upstream: 3300001", actor_label="upstream", kind="created")
    order.note("arrived", actor_label="warehouse")
    order.note("payment requested by policy", actor_label="storefront:Demo shop", kind="wait")
    case = RefundCaseFactory(order=order)
    case.note("opened", actor_label="upstream")
    parcel = Parcel.objects.create(
        address=Address.objects.create(**CUSTOMER), country="US", service_id="PP-ECO-AIR"
    )
    parcel.note("booked", actor_label="logistics")

    def timeline(url: str, language: str) -> str:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        html = response.content.decode()
        return visible_text(html[html.index("timeline") :])

    chinese = timeline(f"/orders/{order.pk}/", "zh-hans")
    for words in ("系统 上游创建", "上游 已创建", "仓库 备注", "“Demo shop”的采购策略 等待"):
        assert words in chinese
    assert f"{user.get_username()} 已创建" in chinese
    assert "system" not in chinese and "upstream" not in chinese and "storefront:" not in chinese
    english = timeline(f"/orders/{order.pk}/", "en")
    assert "system create upstream" in english and "the buying policy of “Demo shop”" in english
    assert "· 上游 ·" in timeline(f"/aftersales/{case.pk}/", "zh-hans")
    assert "booked (物流)" in timeline(f"/logistics/parcels/{parcel.pk}/", "zh-hans")


def test_finance_sees_the_order_read_only_except_pay(signed_in):
    client, _ = signed_in("finance")
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, upstream_order_id="1")

    response = client.get(f"/orders/{order.pk}/")
    actions = {name for name, allowed in response.context["actions"].items() if allowed}

    assert actions == {"pay", "refresh", "voucher", "im"}
    assert client.post(f"/orders/{order.pk}/warehouse/", {}).status_code == 403
    assert client.post(f"/orders/{order.pk}/attention/clear/", {}).status_code == 403


@pytest.mark.parametrize(
    ("role", "says"),
    [
        ("finance", "it can be paid once a purchaser clears the flag above."),
        ("admin", "it can be paid once the flag above is cleared."),
        ("purchaser", None),  # does not pay: nothing to explain
    ],
)
def test_a_flagged_unpaid_order_tells_whoever_pays_why_there_is_no_pay(signed_in, role, says):
    client, _ = signed_in(role)
    order = PurchaseOrderFactory(
        status=OrderStatus.AWAITING_PAYMENT,
        upstream_order_id="1",
        needs_attention=True,
        attention_reason="price moved",
    )

    response = client.get(f"/orders/{order.pk}/")

    assert not response.context["actions"]["pay"]
    page = visible_text(response.content.decode())
    if says:
        assert f"Not paid yet: {says}" in page
    else:
        assert "Not paid yet" not in page


def test_status_area_polls_only_while_submitting_or_paying(signed_in):
    client, _ = signed_in("purchaser")
    paying = PurchaseOrderFactory(status=OrderStatus.PAYING)
    paid = PurchaseOrderFactory(status=OrderStatus.PAID)

    assert 'hx-trigger="every 3s"' in client.get(f"/orders/{paying.pk}/").content.decode()
    assert 'hx-trigger="every 3s"' not in client.get(f"/orders/{paid.pk}/").content.decode()
    same = client.get(f"/orders/{paying.pk}/status/?was=paying")
    assert "HX-Refresh" not in same
    moved = client.get(f"/orders/{paid.pk}/status/?was=paying")
    assert moved["HX-Refresh"] == "true"


def test_confirm_shows_submit_when_no_checkout_page_exists(signed_in):
    client, _ = signed_in("purchaser")
    order = PurchaseOrderFactory(status=OrderStatus.PREVIEWED)
    response = client.get(f"/orders/{order.pk}/")
    html = response.content.decode()
    if response.context["checkout_url"]:
        assert response.context["checkout_url"] in html
    else:
        assert "Confirm and submit…" in html


def test_receipt_asks_before_anything(signed_in):
    client, _ = signed_in("purchaser")
    order = PurchaseOrderFactory(platform="1688", status=OrderStatus.SHIPPED, upstream_order_id="9")
    html = client.get(f"/orders/{order.pk}/receipt/").content.decode()
    assert "It cannot be undone" in html
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_logistics_upstream_failure_is_a_sentence(signed_in, monkeypatch):
    client, _ = signed_in("purchaser")
    order = PurchaseOrderFactory(status=OrderStatus.SHIPPED, upstream_order_id="9")

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
    assert order.status == OrderStatus.CANCELLED and "Cancelled; it is now cancelled." in html
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
    assert order.status == OrderStatus.SHIPPED
    assert client.get(f"/orders/{order.pk}/").context["actions"]["receipt"]

    response = client.post(f"/orders/{order.pk}/receipt/", follow=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.AT_WAREHOUSE
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
