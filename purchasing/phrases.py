"""Messages that remember what they said, so a timeline (an order's, a refund case's, a
parcel's) is stored in one language and read in each reader's.

The order, after-sales and logistics services mark their messages with this module's `gettext`
(imported as `_`, so `make messages` finds them as before). It answers in the active language,
as Django's does, with a `Phrase`: a str that also keeps its msgid and, once formatted with `%`,
its values. When a phrase is written to a timeline (`PurchaseOrder.note`, `RefundCase.note`,
`Parcel.note`...), `recorded` stores its English and its words; the page says the words again
in the reader's language (`said`, through the `event_message` filter). Without this, an entry
read back is in the language of whoever happened to act. Anything else (an f-string, an
upstream's text) is stored as written.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation


class Phrase(str):
    """Text in the active language that knows the msgid it was translated from."""

    msgid: str
    values: Any

    def __new__(cls, text: str, msgid: str, values: Any = None) -> Phrase:
        phrase = super().__new__(cls, text)
        phrase.msgid, phrase.values = msgid, values
        return phrase

    def __mod__(self, values: Any) -> Phrase:
        return Phrase(str.__mod__(self, values), self.msgid, values)

    def __reduce__(self) -> tuple[type, tuple[str]]:
        # Copied or pickled (an error a task hands on, a cache), it is the text it reads as.
        return str, (str(self),)


def gettext(msgid: str) -> Phrase:
    return Phrase(translation.gettext(msgid), msgid)


Words = dict[str, Any]


def words_of(phrase: Phrase) -> Words:
    """The phrase as data (JSON): its msgid and its values, a value that is a phrase in turn."""
    values = phrase.values
    if isinstance(values, dict):
        values = {name: _value(value) for name, value in values.items()}
    elif values is not None:
        values = [_value(value) for value in (values if isinstance(values, tuple) else (values,))]
    return {"msgid": phrase.msgid, "values": values}


def _value(value: Any) -> Any:
    if isinstance(value, Phrase):
        return words_of(value)
    return value if isinstance(value, int | float) else str(value)


def said(words: Words) -> str | None:
    """The words in the active language, or None when they cannot be said (a catalogue that
    no longer has them, a translation whose placeholders do not fit)."""
    try:
        text = translation.gettext(words["msgid"])
        values = words.get("values")
        if values is None:
            return text
        if isinstance(values, dict):
            return text % {name: _said(value) for name, value in values.items()}
        return text % tuple(_said(value) for value in values)
    except (KeyError, TypeError, ValueError):
        return None


def _said(value: Any) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return said(value) or ""
    return value


def recorded(text: str) -> tuple[str, Words | None]:
    """What the timeline keeps of `text`: its words said in the site's language, and the words
    (None for text that is not a phrase)."""
    if not isinstance(text, Phrase):
        return str(text), None
    words = words_of(text)
    with translation.override(settings.LANGUAGE_CODE):
        return said(words) or str(text), words
