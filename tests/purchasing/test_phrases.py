"""An order's timeline is stored in the site's language whoever acted, and read in each
reader's: a message keeps its words (purchasing/phrases.py) to be said again."""

from __future__ import annotations

import copy
import pickle

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from purchasing.deadlines import Deadline
from purchasing.models import OrderEvent
from purchasing.models.work import WaitReason
from purchasing.phrases import (
    Phrase,
    gettext,
    joined,
    labelled,
    listed,
    ngettext,
    of_label,
    recorded,
    restored,
    said,
    words_of,
)
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.deadlines import deadline_reason
from purchasing.services.orders.events import clear_attention, flag_attention
from purchasing.services.orders.lifecycle import (
    apply_upstream_status,
    order_cancel,
    said_source,
)
from purchasing.statuses import OrderStatus
from tests.orders.factories import PurchaseOrderFactory, client_for, previewed


def test_a_phrase_is_the_translation_and_keeps_its_words():
    with translation.override("zh-hans"):
        stop = gettext("payment stopped: %(why)s") % {"why": gettext("not paid by the upstream")}
    assert isinstance(stop, Phrase) and stop == "付款已停止：上游未付款"
    assert words_of(stop) == {
        "msgid": "payment stopped: %(why)s",
        "values": {"why": {"msgid": "not paid by the upstream", "values": None}},
    }
    english, words = recorded(stop)
    assert english == "payment stopped: not paid by the upstream"
    with translation.override("zh-hans"):
        assert said(words) == "付款已停止：上游未付款"


def test_a_copied_or_pickled_phrase_is_its_text():
    phrase = gettext("refused: %(error)s") % {"error": "bad address"}
    for copied in (copy.copy(phrase), copy.deepcopy(phrase), pickle.loads(pickle.dumps(phrase))):
        assert copied == "refused: bad address" and type(copied) is str


def test_plain_text_is_recorded_as_written():
    assert recorded("asked the seller about the colour") == (
        "asked the seller about the colour",
        None,
    )


def test_words_that_no_longer_fit_are_not_said():
    assert said({"msgid": "refused: %(error)s", "values": {"other": "x"}}) is None


@pytest.mark.django_db
def test_what_a_chinese_reader_does_reads_in_each_readers_language(staff_user):
    purchaser = staff_user("purchaser")
    order = PurchaseOrderFactory(status=OrderStatus.DRAFT, created_by=purchaser)

    with translation.override("zh-hans"):
        order_cancel(order=order, actor=purchaser)

    event = OrderEvent.objects.get(order=order, to_status=OrderStatus.CANCELLED)
    assert event.message == "cancelled" and event.words["msgid"] == "cancelled"
    client = client_for(purchaser)
    url = reverse("orders:detail", args=[order.pk])
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="timeline-message">已取消</span>' in chinese
    assert '<span class="timeline-message">cancelled</span>' in english


def test_a_plural_phrase_is_said_in_the_form_its_number_takes():
    phrase = ngettext("%(n)d approval", "%(n)d approvals", 2) % {"n": 2}
    assert phrase == "2 approvals"
    words = words_of(phrase)
    assert words == {
        "msgid": "%(n)d approval",
        "values": {"n": 2},
        "plural": "%(n)d approvals",
        "number": 2,
    }
    with translation.override("zh-hans"):
        assert said(words) == "2 次审批"


def test_joined_labelled_and_a_choice_label_keep_their_words():
    with translation.override("zh-hans"):
        waiting = gettext("Waiting: %(reason)s.") % {
            "reason": of_label(WaitReason.WAITING_SELLER.label)
        }
        message = joined([waiting, labelled(gettext("paid through the upstream"), "¥71.90")])
    english, words = recorded(message)
    assert english == (
        f"Waiting: {WaitReason.WAITING_SELLER.label}. paid through the upstream: ¥71.90"
    )
    with translation.override("zh-hans"):
        assert said(words) == str(message)
        assert "Waiting" not in said(words) and "¥71.90" in said(words)


def test_restored_words_build_a_new_message_that_keeps_them():
    """A message stored earlier (a payment attempt's error) grows by a sentence: the words of
    both are kept, so the whole reads in each reader's language."""
    first = gettext("%(what)s: %(detail)s") % {"what": gettext("not enough stock"), "detail": 3}
    _text, words = recorded(first)
    with translation.override("zh-hans"):
        grown = gettext("%(first)s, %(then)s") % {
            "first": restored(words, "ignored"),
            "then": gettext("no preview"),
        }
    english, grown_words = recorded(grown)
    assert english == "not enough stock: 3, no preview"
    with translation.override("zh-hans"):
        assert said(grown_words) == "库存不足：3、无预览"
    # no words (text stored before they were kept): the stored text stands in
    assert restored(None, "as it was stored") == "as it was stored"


def test_a_list_is_said_with_the_readers_separators():
    items = [gettext("chat link"), gettext("no preview"), "SF1234567890"]
    english, words = recorded(listed(items))
    assert english == "chat link, no preview, SF1234567890"
    assert recorded(listed(items, semicolons=True))[0] == "chat link; no preview; SF1234567890"
    with translation.override("zh-hans"):
        assert said(words) == "聊天链接、无预览、SF1234567890"
    assert listed(["one"]) == "one" and listed([]) == ""


@pytest.mark.django_db
def test_the_reasons_an_order_waits_for_approval_are_said_in_each_readers_language(
    staff_user, settings
):
    settings.CAIGOU_APPROVAL_THRESHOLD_FEN = 500_000
    approver = staff_user("approver")
    order = previewed(approver, 500_001)

    with translation.override("zh-hans"):
        order_confirm(order=order, actor=approver)

    event = OrderEvent.objects.get(order=order, to_status=OrderStatus.AWAITING_APPROVAL)
    assert event.message == "The total ¥5,000.01 is above the limit of ¥5,000.00: 1 approval."
    with translation.override("zh-hans"):
        assert said(event.words) == "合计 ¥5,000.01 超过限额 ¥5,000.00：1 次审批。"


@pytest.mark.django_db
def test_why_an_order_needs_attention_is_read_in_each_readers_language(staff_user):
    purchaser = staff_user("purchaser")
    order = PurchaseOrderFactory(status=OrderStatus.AWAITING_PAYMENT, created_by=purchaser)

    with translation.override("zh-hans"):
        flag_attention(order, gettext("payment stopped: %(why)s") % {"why": "余额不足"})

    order.refresh_from_db()
    assert order.attention_reason == "payment stopped: 余额不足"
    client = client_for(purchaser)
    for url in (reverse("orders:detail", args=[order.pk]), reverse("orders:index")):
        chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "付款已停止：余额不足" in chinese and "payment stopped" not in chinese, url
        assert "payment stopped: 余额不足" in english, url

    clear_attention(order, actor=purchaser)
    order.refresh_from_db()
    assert order.attention_reason == "" and order.attention_words is None


@pytest.mark.django_db
def test_a_status_named_in_a_flag_is_quoted_as_its_label_in_each_language():
    # A create still under way cannot be cancelled: the close is flagged for a person.
    order = PurchaseOrderFactory(status=OrderStatus.SUBMITTING, upstream_order_id="T-1")

    apply_upstream_status(order, "TRADE_CLOSED", source="callback")

    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTING
    assert order.attention_reason == (
        "upstream closed the order (TRADE_CLOSED) while it was “Submitting”"
    )
    with translation.override("zh-hans"):
        chinese = said(order.attention_words)
    assert "“提交中”" in chinese and "Submitting" not in chinese


def test_a_deadline_raised_by_the_system_is_said_whole_in_chinese():
    deadline = Deadline(kind="ship", due=timezone.now())
    english, words = recorded(deadline_reason(deadline))
    assert english.startswith("Deadline: the seller should have shipped, due ")
    with translation.override("zh-hans"):
        chinese = said(words)
    assert "seller" not in chinese and chinese.startswith("截止")


def test_a_source_a_task_names_in_plain_text_is_said_in_the_readers_language():
    english, words = recorded(labelled(said_source("refreshed from upstream"), "paid"))
    assert english == "refreshed from upstream: paid"
    with translation.override("zh-hans"):
        assert said(words) == "从上游刷新：paid"
    # Anything else (a source already a phrase, or text) stays as it came.
    assert said_source("a person's words") == "a person's words"
