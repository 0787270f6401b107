"""Words for the upstream's codes (purchasing/glossary.py) and the filters pages show them with."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from purchasing.actors import actor_words
from purchasing.glossary import (
    STATUS_WORDS,
    message_words,
    operation_words,
    status_words,
    timeline_words,
)
from purchasing.money import Rate
from purchasing.services.orders.cashier import PAY_UNKNOWN
from purchasing.services.orders.work import WORK_KIND
from purchasing.statuses import UPSTREAM_STATUS
from purchasing.templatetags.words import EVENT_KINDS
from upstream.types.aftersales import RefundStatus
from upstream.types.callbacks import READERS
from upstream.types.orders.paid import PAYMENT_BY_STATUS


def test_every_status_the_code_maps_has_words():
    codes = set(UPSTREAM_STATUS) | {s for table in PAYMENT_BY_STATUS.values() for s in table}
    codes |= {status.value for status in RefundStatus}
    assert sorted(codes - set(STATUS_WORDS)) == []
    assert status_words("WAIT_SELLER_SEND_GOODS") == "paid, waiting for the seller to ship"
    assert status_words("waitsellersend") == status_words("WAIT_SELLER_SEND_GOODS")


def test_every_message_type_caigou_applies_has_words_in_both_languages():
    for provider, readers in READERS.items():
        for message_type in readers:
            english = message_words(provider, message_type)
            with translation.override("zh-hans"):
                chinese = message_words(provider, message_type)
            assert "upstream's word" not in english and english != chinese, message_type
    assert message_words("dajisaas", "3") == "order status changed"
    assert message_words("pandapon", "3") == "“3” (the upstream's word)"
    assert message_words("pandapon", "") == "(no type)"


def test_an_unknown_status_is_shown_as_the_upstream_sent_it():
    assert status_words("NEW_THING") == "“NEW_THING” (the upstream's word)"
    assert status_words("") == ""


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("paid by taobao_order_pay: 7190 fen", "paid through the upstream: ¥71.90"),
        ("previewed: total 123450 fen", "previewed: total ¥1,234.50"),
        ("refund R1 of case RF-1: -50 fen back", "refund R1 of case RF-1: -¥0.50 back"),
        (
            "opened: Refund only, 6890 fen asked (maximum 13780), reason 不想要了",
            "opened: Refund only, ¥68.90 asked (maximum ¥137.80), reason 不想要了",
        ),
        (
            "demo: the seller shipped: WAIT_BUYER_CONFIRM_GOODS",
            "demo: the seller shipped: shipped by the seller",
        ),
        ("upstream: refundsuccess", "upstream: refunded"),
        ("the order is a success; cancel it later", "the order is a success; cancel it later"),
        ("", ""),
    ],
)
def test_stored_timeline_entries_read_in_yuan_and_words(stored, shown):
    assert timeline_words(stored) == shown


def test_operations_read_as_words():
    assert operation_words("taobao_order_pay") == "pay"
    assert operation_words("alibaba_order_create") == "create the order"
    # How each 1688 payment went: a payment, not a link, where PandaPon paid it password-free.
    assert (
        operation_words("alibaba_order_pay_url") == "pay password-free, or ask for the cashier link"
    )
    assert operation_words("dj_alipay_url") == "ask for the cashier link"
    assert operation_words("dj_protocol_pay") == "pay password-free"


def render(source: str, **context) -> str:
    return Template("{% load money words %}" + source).render(Context(context))


def test_a_status_shows_its_words_with_the_code_in_the_tooltip():
    html = render("{{ code|upstream_status }}", code="WAIT_BUYER_P")
    assert html == '<span title="WAIT_BUYER_P">waiting for our payment</span>'
    assert render("{{ code|operation }}", code="taobao_order_pay") == (
        '<span title="taobao_order_pay">pay</span>'
    )
    assert render("{{ s|order_status }}", s="awaiting_payment") == "Awaiting payment"


def test_a_timeline_message_is_escaped_after_it_is_worded():
    assert render("{{ m|timeline }}", m="<b>5 fen</b>") == "&lt;b&gt;¥0.05&lt;/b&gt;"


class OneRate:
    def __init__(self, rate: Rate) -> None:
        self.rate = rate

    def get(self) -> Rate:
        return self.rate


@pytest.mark.parametrize(
    ("currency", "per_unit", "shown"), [("USD", "7.2", "≈ -US$1.00"), ("JPY", "0.048", "≈ -¥150")]
)
def test_a_discount_keeps_its_minus_sign_in_yuan_and_converted(currency, per_unit, shown):
    rate = OneRate(Rate(currency, Decimal(per_unit), timezone.now()))
    html = render("{{ d|neg|cny }} {% display d|neg %}", d=720, display_rate=rate)
    assert html == f"-¥7.20 {shown}"


def test_a_timeline_entry_without_a_move_says_what_it_is_about_in_words():
    assert render("{{ k|event_kind }}", k="attention_cleared") == "attention cleared"
    assert render("{{ k|event_kind }}", k="pay_unknown") == "payment outcome unknown"
    assert render("{{ k|event_kind }}", k="a_new_kind") == "a new kind"


def test_every_kind_of_entry_the_order_services_write_has_words_in_chinese():
    """Read from the services' source (`kind="…"`, and the kinds they name by constant), so a
    new kind without words fails here rather than showing as English on a Chinese page."""
    root = Path(__file__).resolve().parents[2] / "purchasing"
    sources = [*(root / "services").rglob("*.py"), *(root / "callbacks").rglob("*.py")]
    written = {
        kind for path in sources for kind in re.findall(r'kind="([a-z_]+)"', path.read_text())
    }
    written |= {WORK_KIND, PAY_UNKNOWN}
    assert {"create", "created", "split", "wait", "work", "pay_unknown"} <= written
    assert written - set(EVENT_KINDS) == set()
    with translation.override("zh-hans"):
        english = {k for k in written if re.search("[A-Za-z]", str(EVENT_KINDS[k]))}
    assert english == set()


@pytest.mark.parametrize(
    ("label", "english", "chinese"),
    [
        ("system", "system", "系统"),
        ("upstream", "upstream", "上游"),
        ("warehouse", "warehouse", "仓库"),
        ("logistics", "logistics", "物流"),
        ("storefront:Demo shop", "the buying policy of “Demo shop”", "“Demo shop”的采购策略"),
        ("alice", "alice", "alice"),
    ],
)
def test_who_wrote_an_entry_reads_in_words(label, english, chinese):
    assert actor_words(label) == english
    with translation.override("zh-hans"):
        assert actor_words(label) == chinese


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("draft created with 2 lines", "已创建草稿，共 2 行"),
        ("created upstream: 7578238182016877801", "已在上游创建: 7578238182016877801"),
        ("payment requested by policy", "按策略请求付款"),
        ("payment requested", "已请求付款"),
        (
            "Deadline: the seller should have shipped, due 2026-09-21 07:42.",
            "截止时间：卖家应已发货，到期 2026-09-21 07:42。",
        ),
        (
            "Waiting: Waiting for the seller. asked the seller about the colour",
            "等待中：等待卖家处理。 asked the seller about the colour",
        ),
        (
            "the upstream total ¥273.70 differs from the accepted ¥283.70",
            "上游合计 ¥273.70 与已接受的 ¥283.70 不同",
        ),
        # A name is kept as written even when it is also a word of the catalogue.
        ("Approved 1 of 2 by approver", "approver 批准（1/2）"),
        # Written before money was worded: fen to yuan first, then the words.
        ("paid by taobao_order_pay: 2890 fen", "通过上游付款: ¥28.90"),
        # A stop written by the pay task, its reason an entry of its own.
        (
            "payment stopped: the upstream asks ¥30.00; ¥25.00 was accepted (+¥5.00)",
            "付款已停止：上游要求 ¥30.00；已接受的是 ¥25.00（+¥5.00）",
        ),
        # The reason runs to the end: the upstream's own words after it are kept.
        (
            "payment stopped: the upstream refused: seller closed the offer",
            "付款已停止：上游拒绝：seller closed the offer",
        ),
        (
            "CG1-2, another part of the same purchase, is stopped (payment stopped: not paid by "
            "the upstream): decide on it (clear its flag or cancel it) before this part is paid",
            "同一采购的另一部分 CG1-2 已停下（付款已停止：上游未付款）：请先处理它（清除其标记或"
            "取消它），再支付这一部分",
        ),
        ("split into 2 orders: CG1-1, CG1-2", "已拆分为 2 个采购单：CG1-1, CG1-2"),
        # A storefront order held for a person, as its policy writes it.
        (
            "storefront order SO-17: the previewed total ¥320.00 is above the budget of ¥300.00",
            "前台订单 SO-17：预览合计 ¥320.00 超出预算 ¥300.00",
        ),
        # Nothing the catalogue knows: shown as stored.
        ("asked the seller about the colour", "asked the seller about the colour"),
        ("draft created with many lines", "draft created with many lines"),
        ("cancelled by the storefront", "cancelled by the storefront"),
    ],
)
def test_a_stored_english_entry_reads_in_chinese_for_a_chinese_reader(stored, shown):
    with translation.override("zh-hans"):
        assert timeline_words(stored) == shown
    english = "paid through the upstream: ¥28.90" if stored.endswith(" fen") else stored
    with translation.override("en"):
        assert timeline_words(stored) == english
