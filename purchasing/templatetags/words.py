"""`{% load words %}`: the upstream's codes in words (purchasing/glossary.py), the code kept in a
tooltip, and our own status values by their labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, pgettext_lazy

from purchasing import glossary, statuses
from purchasing.actors import actor_words
from purchasing.countries import country_name
from purchasing.statuses import OrderStatus

register = template.Library()

# What a timeline entry that changes no status is about (the kind of an order's, a refund
# case's or a parcel's event), in words.
EVENT_KINDS = {
    "note": gettext_lazy("note"),
    "attention": gettext_lazy("needs attention"),
    "attention_cleared": gettext_lazy("attention cleared"),
    "lookup": gettext_lazy("look-up upstream"),
    "create_unknown": gettext_lazy("create outcome unknown"),
    "pay_unknown": gettext_lazy("payment outcome unknown"),
    "retry": gettext_lazy("tried again"),
    "price": gettext_lazy("price changed"),
    "refund": gettext_lazy("refund"),
    "aftersales": gettext_lazy("after-sales"),
    "warehouse": gettext_lazy("warehouse changed"),
    "voucher": gettext_lazy("payment voucher"),
    "unknown_status": gettext_lazy("unknown upstream status"),
    "line_removed": gettext_lazy("line removed"),
    "callback": gettext_lazy("upstream message"),
    "approved": gettext_lazy("approved"),
    "rejected": gettext_lazy("rejected"),
    "cancel": gettext_lazy("cancel"),
    "create": gettext_lazy("create upstream"),
    "created": gettext_lazy("created"),
    "split": gettext_lazy("split"),
    "approval": gettext_lazy("approval"),
    "wait": gettext_lazy("waiting"),
    "work": gettext_lazy("work queue"),
    "domestic_logistics": gettext_lazy("domestic logistics"),
    # a refund case's
    "opened": pgettext_lazy("a refund case", "opened"),
    "message": gettext_lazy("message to the seller"),
    "modify": pgettext_lazy("a refund case", "changed"),
    "return": gettext_lazy("return sent"),
    "refund_recorded": gettext_lazy("refund recorded"),
    "evidence_pack": gettext_lazy("evidence pack"),
    # a parcel's
    "booking": pgettext_lazy("a parcel", "booking"),
    "booked": pgettext_lazy("a parcel", "booked"),
    "booking_unknown": gettext_lazy("booking outcome unknown"),
    "render": gettext_lazy("freight quoted again"),
    "tracking": gettext_lazy("tracking"),
}


@register.filter
def upstream_status(code: str | None) -> str:
    """`<span title="WAIT_BUYER_P">waiting for our payment</span>`."""
    if not code:
        return ""
    return format_html('<span title="{}">{}</span>', code, glossary.status_words(code))


@register.filter
def line_reason(reason: str | None) -> str:
    """Why a preview or cart line cannot be ordered, in words (capitalised)."""
    return capfirst(glossary.line_reason_words(reason or ""))


@register.filter
def operation(name: str | None) -> str:
    """An operation's words, its operations.toml name in the tooltip."""
    if not name:
        return ""
    return format_html('<span title="{}">{}</span>', name, glossary.operation_words(name))


@register.filter
def message_type(message: Any) -> str:
    """A stored callback's type in words (`{{ message|message_type }}`), its code in the
    tooltip."""
    words = glossary.message_words(message.provider, message.message_type)
    return format_html('<span title="{}">{}</span>', message.message_type, words)


@register.filter
def event_message(event: Any) -> str:
    """A timeline entry (an order's, a refund case's, a parcel's) in the reader's language: said
    again from its words where it keeps them (purchasing/phrases.py), else its stored text
    worded as `timeline` does."""
    return glossary.in_words(event.words, event.message)


@register.filter
def actor(event: Any) -> str:
    """Who wrote a timeline entry (an order's, a case's, a parcel's): a person by the username
    they acted under, anyone else in words."""
    if event.actor_id is not None:
        return event.actor_label
    return actor_words(event.actor_label)


@register.filter
def sender(role: str | None) -> str:
    """Who wrote a message in a refund's thread with the seller, in words."""
    return glossary.sender_words(role or "")


@register.filter
def attention(thing: Any) -> str:
    """`{{ order|attention }}`: why it needs attention, in the reader's language."""
    return glossary.attention(thing)


@register.filter
def said_words(value: Any) -> str:
    """Stored words (purchasing/phrases.py) in the reader's language; stored text as it reads."""
    if isinstance(value, dict):
        return glossary.in_words(value, "")
    return glossary.in_words(None, str(value or ""))


@register.filter
def payment_error(attempt: Any) -> str:
    """What befell a payment attempt, in the reader's language (purchasing/phrases.py)."""
    return glossary.in_words(attempt.error_words, attempt.error)


@register.filter
def timeline(message: str | None) -> str:
    """A stored timeline message or reason worded for a person (amounts in yuan, no codes)."""
    return glossary.timeline_words(message or "")


@register.filter
def lags_behind(upstream: str | None, ours: str) -> bool:
    """`{% if order.upstream_status|lags_behind:order.status %}`: the upstream status (an
    order's, or a line's) is older news than ours."""
    return statuses.upstream_lags(ours, upstream or "")


@register.filter
def order_status(value: str | None) -> str:
    """Our order status value ("awaiting_payment") by its label ("Awaiting payment")."""
    if not value:
        return ""
    try:
        return str(OrderStatus(value).label)
    except ValueError:
        return value


@register.filter
def event_kind(kind: str | None) -> str:
    """What a timeline entry without a status change is about, in words."""
    if not kind:
        return ""
    return str(EVENT_KINDS.get(kind, kind.replace("_", " ")))


@register.filter
def country(code: str | None) -> str:
    """A country's name in the reader's language for its ISO code ("US": "美国")."""
    return country_name(code or "")
