"""The upstream's codes in words a person reads: order, refund and goods statuses, operation names,
and the timeline entries written before money was worded.

Pages never show an upstream code as text: they show these words, and the code only in a
tooltip (and in the call journal, which is the record of what was sent). A code this module does
not know is shown as it came, marked as the upstream's, so nothing is hidden.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from purchasing.money import format_cny
from purchasing.phrases import said
from upstream.operations import BY_NAME, OPERATIONS, Kind

# Every value of the tables that map upstream statuses (purchasing/statuses.py,
# upstream/types/orders/paid.py, upstream/types/aftersales.py), in words.
STATUS_WORDS = {
    # Taobao purchase orders (upstream-api.md 1.6)
    "BULIDING": gettext_lazy("being created"),  # sic: the upstream's spelling
    "WAIT_BUYER_P": gettext_lazy("waiting for our payment"),
    "WAIT_SELLER_SEND_GOODS": gettext_lazy("paid, waiting for the seller to ship"),
    "WAIT_BUYER_CONFIRM_GOODS": gettext_lazy("shipped by the seller"),
    "TRADE_CLOSED": gettext_lazy("closed"),
    # 1688 orders (upstream-api.md 3.2)
    "waitbuyerpay": gettext_lazy("waiting for our payment"),
    "waitsellersend": gettext_lazy("paid, waiting for the seller to ship"),
    "waitbuyerreceive": gettext_lazy("shipped by the seller"),
    "success": gettext_lazy("completed"),
    "cancel": gettext_lazy("cancelled"),
    # Platform-level values of the Xportcn clone (upstream-api.md 1.6)
    "WAITING_FOR_PAYMENT": gettext_lazy("waiting for our payment"),
    "WAITING_FOR_SENT": gettext_lazy("paid, waiting for the seller to ship"),
    "CANCEL": gettext_lazy("cancelled"),
    # Refunds (the official 1688 vocabulary; Taobao's integers map onto it)
    "waitselleragree": gettext_lazy("waiting for the seller to agree"),
    "waitbuyermodify": gettext_lazy("refused by the seller: modify or withdraw"),
    "waitbuyersend": gettext_lazy("return agreed: send the goods back"),
    "waitsellerreceive": gettext_lazy("goods on their way back to the seller"),
    "refundsuccess": gettext_lazy("refunded"),
    "refundclose": gettext_lazy("closed"),
    # 1688 goods statuses of a refund claim
    "refundWaitSellerSend": gettext_lazy("not shipped by the seller yet"),
    "refundWaitBuyerReceive": gettext_lazy("on the way to us"),
    "refundBuyerReceived": gettext_lazy("received, order not completed"),
    "aftersaleBuyerNotReceived": gettext_lazy("not received, order completed"),
    "aftersaleBuyerReceived": gettext_lazy("received, order completed"),
}

# Words for an operation, by the first part of its name found in it (operations.toml names).
OPERATION_WORDS = (
    ("refund", gettext_lazy("refund")),
    ("cart_create_order", gettext_lazy("create from the cart")),
    ("create", gettext_lazy("create the order")),
    # How a payment was made, before the plain "pay" (the payments export names each).
    ("batch_submit_to_pay", gettext_lazy("pay in a batch")),
    ("batch_pay", gettext_lazy("pay in a batch")),
    ("protocol_pay", gettext_lazy("pay password-free")),
    # Dajisaas's link only (before "pay_url", which its name holds too).
    ("alipay_url", gettext_lazy("ask for the cashier link")),
    # PandaPon's pays password-free where the account signed for it, else answers a link.
    ("pay_url", gettext_lazy("pay password-free, or ask for the cashier link")),
    ("pay", gettext_lazy("pay")),
    ("cancel", gettext_lazy("cancel")),
    ("receive", gettext_lazy("confirm receipt")),
    ("logistics", gettext_lazy("read the seller's logistics")),
    ("trace", gettext_lazy("read the seller's logistics")),
    ("voucher", gettext_lazy("upload a payment voucher")),
    ("warehouse", gettext_lazy("change the warehouse")),
    ("page", gettext_lazy("look the order up in the order list")),
    ("list", gettext_lazy("look the order up in the order list")),
    ("detail", gettext_lazy("read the order")),
    ("get", gettext_lazy("read the order")),
    ("query", gettext_lazy("read the order")),
    ("preview", gettext_lazy("preview")),
    ("render", gettext_lazy("preview")),
)

# Callback message types (upstream-api.md 1.7, 2.6, 3.5), in words. Dajisaas names its Taobao
# types by number, so those are looked up by provider.
MESSAGE_WORDS = {
    "TAOBAO_ORDER_STATUS_MODIFY": gettext_lazy("order status changed"),
    "TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY": gettext_lazy("price changed"),
    "TAOBAO_ORDER_REFUND": gettext_lazy("refund changed"),
    "ORDER_BUYER_VIEW_BUYER_MAKE": gettext_lazy("order created"),
    "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY": gettext_lazy("price changed"),
    "ORDER_BUYER_VIEW_ORDER_PAY": gettext_lazy("order paid"),
    "ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS": gettext_lazy("shipped by the seller"),
    "ORDER_BUYER_VIEW_ORDER_SUCCESS": gettext_lazy("order completed"),
    "ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE": gettext_lazy("order closed"),
    "ORDER_BUYER_VIEW_ORDER_BUYER_REFUND": gettext_lazy("refund changed"),
    "ORDER_CREATE": gettext_lazy("order created"),
    "ORDER_CANCEL": gettext_lazy("order closed"),
    "ORDER_PAY_SUCCESS": gettext_lazy("order paid"),
}
DAJISAAS_MESSAGE_WORDS = {
    "3": gettext_lazy("order status changed"),
    "8": gettext_lazy("price changed"),
}


# Why a line cannot be ordered, where Caigou itself says it (the Taobao route prices a line from
# the item's detail; a cart line the upstream disabled without a reason). A reason the upstream
# gave is its own text and shows as it came.
LINE_REASON_WORDS = {
    "unavailable": gettext_lazy("unavailable"),
    "out of stock": gettext_lazy("out of stock"),
}


def line_reason_words(reason: str) -> str:
    """A line's reason in words where it is one of Caigou's own, else as it came."""
    words = LINE_REASON_WORDS.get(reason)
    return str(words) if words is not None else reason


def status_words(code: str) -> str:
    """An upstream status in words; an unknown one as it came, said to be the upstream's."""
    if not code:
        return ""
    words = STATUS_WORDS.get(code)
    return (
        str(words) if words is not None else _("“%(code)s” (the upstream's word)") % {"code": code}
    )


def message_words(provider: str, message_type: str) -> str:
    """A callback's message type in words; an unknown one as it came, said to be the upstream's."""
    if not message_type:
        return _("(no type)")
    table = DAJISAAS_MESSAGE_WORDS if provider == "dajisaas" else {}
    words = table.get(message_type) or MESSAGE_WORDS.get(message_type)
    if words is not None:
        return str(words)
    return _("“%(code)s” (the upstream's word)") % {"code": message_type}


def operation_words(operation: str) -> str:
    """An upstream operation (operations.toml name) in words."""
    for part, words in OPERATION_WORDS:
        if part in operation:
            return str(words)
    return operation.replace("_", " ")


def pay_operation_words() -> dict[str, Any]:
    """Every paying operation's name -> its words, read in the reader's language when shown."""
    return {
        op.name: lazy(operation_words, str)(op.name) for op in OPERATIONS if op.kind is Kind.PAY
    }


# Who wrote a message in a refund's thread with the seller (the upstream's `ownerRole`).
SENDER_WORDS = {
    "buyer": pgettext_lazy("who wrote to the seller", "us (the buyer)"),
    "seller": pgettext_lazy("who wrote to the seller", "seller"),
    "system": pgettext_lazy("who wrote to the seller", "the platform"),
}


def sender_words(role: str) -> str:
    """A thread message's writer in words; an unknown role as it came, said to be the
    upstream's."""
    if not role:
        return "?"
    words = SENDER_WORDS.get(role.lower())
    return (
        str(words) if words is not None else _("“%(code)s” (the upstream's word)") % {"code": role}
    )


# -- timeline entries --------------------------------------------------------------------------
# Entries are never edited (DESIGN.md rule 6), and older ones were written with amounts in fen
# and the upstream's codes: they are worded when shown. Codes that are also English words
# ("success", "cancel") cannot be told from text and are left alone.
ENGLISH_WORDS = frozenset({"success", "cancel"})
_CODES = sorted((code for code in (*STATUS_WORDS, *BY_NAME) if code not in ENGLISH_WORDS), key=len)
_CODE = re.compile(r"\b(" + "|".join(map(re.escape, reversed(_CODES))) + r")\b")
_FEN = re.compile(r"(-?\d+) fen\b")
# "paid by taobao_order_pay: 2890 fen", as payments were recorded before: the call was the
# means, not the payer.
_PAID_BY = re.compile(r"\bpaid by (\w+):")
# "(maximum 13780)" on a refund case's opening entry: fen without the unit.
_MAXIMUM = re.compile(r"\(maximum (\d+)\)")


def timeline_words(message: str) -> str:
    """A stored timeline message as a person reads it: money in yuan, codes in words."""
    if not message:
        return message
    message = plain_words(message)
    return message if (get_language() or "en").startswith("en") else _in_reader_language(message)


def in_words(words: dict | None, stored: str) -> str:
    """Something Caigou wrote, in the reader's language: said again from its words where it
    kept them (purchasing/phrases.py), else its stored text worded as a timeline's."""
    text = said(words) if words else None
    if text is not None:
        return plain_words(text)
    return timeline_words(stored or "")


def attention(thing: Any) -> str:
    """Why an order or an after-sales case needs attention, in the reader's language."""
    return in_words(thing.attention_words, thing.attention_reason)


def plain_words(message: str) -> str:
    """A message with its amounts in yuan and the upstream's codes in words, as it stands."""
    message = _PAID_BY.sub(
        lambda m: _("paid through the upstream") + ":" if m.group(1) in BY_NAME else m.group(0),
        message,
    )
    message = _MAXIMUM.sub(
        lambda m: "(" + _("maximum %(amount)s") % {"amount": format_cny(int(m.group(1)))} + ")",
        message,
    )
    message = _FEN.sub(lambda m: format_cny(int(m.group(1))), message)
    return _CODE.sub(lambda m: _words_of(m.group(1)), message)


# The English of the entries the services and tasks write (a task has no reader, so it writes
# English): shown in the reader's language by matching the stored text against these and
# translating the match, each filled value too where it is itself a phrase of the catalogue
# ("Deadline: the seller should have shipped, due …": only the values named in PHRASES, never
# a name, which may happen to be a word of the catalogue). What follows a match (": 7578…",
# " asked the seller about the colour") is kept as written; anything else is shown as stored.
TIMELINE_ENGLISH = (
    "draft created with %(n)d lines",
    "submitting as %(reference)s",
    "creating upstream (attempt %(n)d)",
    "created upstream",
    "the upstream total %(total)s differs from the accepted %(budget)s",
    "payment requested by policy",
    "payment requested",
    "paid through the upstream",
    "cancelled upstream",
    "cancelled in the admin by %(user)s",
    "cancelled",
    "Approved %(given)d of %(needed)d by %(who)s",
    "rejected: %(comment)s",
    "attention cleared",
    "Deadline: %(what)s, due %(due)s.",
    "Claim by %(name)s expired after %(minutes)d minutes without action: back in the queue.",
    "Claimed by %(name)s.",
    "Assigned to %(name)s.",
    "Waiting: %(reason)s.",
    "%(amount)s recorded as refunded on %(order)s",
    "parcel of %(count)d lines, %(service)s at %(price)s",
    # The money path's stops and steps, written by the submit and pay tasks.
    "payment stopped: %(why)s",
    "payment stopped: %(why)s. Pay at the cashier: the order becomes paid once the upstream "
    "reports the payment",
    "the upstream asks %(asked)s; %(budget)s was accepted (%(change)s)",
    "not paid by the upstream",
    "password-free payment refused",
    "password-free payment refused: %(exc)s",
    "password-free payment failed %(n)s times with an outcome nobody could tell, and the "
    "upstream says the order is unpaid: it is not tried again",
    "the upstream refused: %(error)s",
    "the upstream refused the order: %(error)s",
    "refused: %(error)s",
    "pay outcome unknown (%(error)s); reading the order before any retry",
    "the last pay call's outcome was unknown; upstream says unpaid: paying",
    "create outcome unknown (%(error)s); looking it up before any new create",
    "found upstream by our reference",
    "paid at the cashier, reported by the upstream (%(source)s: %(status)s)",
    "paid outside Caigou, reported by the upstream (%(source)s: %(status)s)",
    "attention cleared: the upstream reports the order paid at the cashier",
    # A storefront order held for a person (storefront/services/policy.py).
    "storefront order %(id)s: %(reason)s",
    "the previewed total %(total)s is above the budget of %(budget)s",
    "the previewed total %(total)s is above the approval threshold",
    "%(storefront)s has every order reviewed by a person",
    # Split drafts and their parts.
    "split into %(count)s orders: %(references)s",
    "part %(number)s of draft %(reference)s, %(count)s lines",
    "the upstream refused this part for good (%(error)s); the other parts of %(draft)s are not "
    "paid until this flag is cleared",
    "%(part)s, another part of the same purchase, is stopped (%(reason)s): decide on it (clear "
    "its flag or cancel it) before this part is paid",
)
# Values that are themselves phrases the services wrote (a reason inside a stop...), worded too.
PHRASES = frozenset({"what", "reason", "why"})
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _pattern(template: str) -> re.Pattern:
    parts, end = [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts += [re.escape(template[end : m.start()]), rf"(?P<{m.group(1)}>.+?)"]
        end = m.end()
    parts.append(re.escape(template[end:]))
    # What may follow: ": …" (ids, an amount), and after a whole sentence a note; never words
    # run on after a phrase ("cancelled by …"), which would read half translated.
    rest = r"(?P<_rest>:.*|\s.*)?" if template.endswith(".") else r"(?P<_rest>:.*)?"
    return re.compile("".join(parts) + rest, re.DOTALL)


# The longest first, so "payment requested by policy" is not read as "payment requested".
_TIMELINE = [
    (t, _pattern(t), dict(_PLACEHOLDER.findall(t)))
    for t in sorted(TIMELINE_ENGLISH, key=len, reverse=True)
]


def _in_reader_language(message: str) -> str:
    for template, pattern, kinds in _TIMELINE:
        m = pattern.fullmatch(message)
        if m is None:
            continue
        values, rest = {}, m.group("_rest") or ""
        for name, kind in kinds.items():
            value = m.group(name)
            if kind == "d":
                if not value.lstrip("-").isdigit():
                    break
                values[name] = int(value)
            elif name in PHRASES:
                if template.endswith(f"%({name})s"):
                    # A phrase that ends the entry runs to its end ("…: the upstream refused:
                    # <its error>"), rather than stopping at its first colon.
                    value, rest = value + rest, ""
                values[name] = _phrase(value)
            else:
                values[name] = value
        else:
            return (_(template) % values) + rest
    return message


def _phrase(value: str) -> str:
    """A value that is itself an entry ("payment stopped: <why>"), or a phrase of the
    catalogue, in the reader's language."""
    worded = _in_reader_language(value)
    return worded if worded != value else _(value)


def _words_of(code: str) -> str:
    if code in STATUS_WORDS:
        return str(STATUS_WORDS[code])
    return operation_words(code)
