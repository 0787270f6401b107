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

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import translation


class Phrase(str):
    """Text in the active language that knows the msgid it was translated from (and, for a
    plural form, the plural msgid and the number that chose the form)."""

    msgid: str
    values: Any
    plural: tuple[str, int] | None

    def __new__(
        cls, text: str, msgid: str, values: Any = None, plural: tuple[str, int] | None = None
    ) -> Phrase:
        phrase = super().__new__(cls, text)
        phrase.msgid, phrase.values, phrase.plural = msgid, values, plural
        return phrase

    def __mod__(self, values: Any) -> Phrase:
        return Phrase(str.__mod__(self, values), self.msgid, values, self.plural)

    def __reduce__(self) -> tuple[type, tuple[str]]:
        # Copied or pickled (an error a task hands on, a cache), it is the text it reads as.
        return str, (str(self),)


def gettext(msgid: str) -> Phrase:
    return Phrase(translation.gettext(msgid), msgid)


def ngettext(singular: str, plural: str, number: int) -> Phrase:
    return Phrase(translation.ngettext(singular, plural, number), singular, None, (plural, number))


def labelled(what: str, detail: Any) -> Phrase:
    """`what: detail`, a phrase (or text) and the value it introduces (ids, an amount, a code)."""
    # Translators: a label, then the value it introduces (ids, an amount, a status).
    return gettext("%(what)s: %(detail)s") % {"what": what, "detail": detail}


def of_label(label: Any) -> Phrase:
    """A lazily translated label (a choice's) as a phrase, so that a timeline keeps its words:
    its msgid is the label's source text."""
    with translation.override(None):
        msgid = str(label)
    return gettext(msgid)


def listed(items: Sequence[str], *, semicolons: bool = False) -> str:
    """Items as one list, "a, b, c" (with `semicolons`, "a; b; c": items that hold commas),
    each said again in the reader's language: a plain join would keep the items, and the
    comma, in the language of whoever acted (Chinese lists take 、 and ；)."""
    if len(items) <= 1:
        return items[0] if items else ""
    # Translators: the first item of a list, then the rest of it.
    link = gettext("%(first)s; %(then)s") if semicolons else gettext("%(first)s, %(then)s")
    return link % {"first": items[0], "then": listed(items[1:], semicolons=semicolons)}


def joined(phrases: list[Phrase | str]) -> Phrase | str:
    """Several sentences as one message, each said again in the reader's language."""
    if len(phrases) <= 1:
        return phrases[0] if phrases else ""
    # Translators: a sentence, then the sentences that follow it.
    return gettext("%(first)s %(then)s") % {"first": phrases[0], "then": joined(phrases[1:])}


Words = dict[str, Any]


def words_of(phrase: Phrase) -> Words:
    """The phrase as data (JSON): its msgid and its values, a value that is a phrase in turn."""
    values = phrase.values
    if isinstance(values, dict):
        values = {name: _value(value) for name, value in values.items()}
    elif values is not None:
        values = [_value(value) for value in (values if isinstance(values, tuple) else (values,))]
    words = {"msgid": phrase.msgid, "values": values}
    if phrase.plural is not None:
        words["plural"], words["number"] = phrase.plural
    return words


def _value(value: Any) -> Any:
    if isinstance(value, Phrase):
        return words_of(value)
    return value if isinstance(value, int | float) else str(value)


def said(words: Words) -> str | None:
    """The words in the active language, or None when they cannot be said (a catalogue that
    no longer has them, a translation whose placeholders do not fit)."""
    try:
        if "plural" in words:
            text = translation.ngettext(words["msgid"], words["plural"], words["number"])
        else:
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


def restored(words: Words | None, stored: str = "") -> Phrase | str:
    """Stored words as the phrase they were recorded from, in the active language, so that a
    message can be built on them and keep them; the stored text where they cannot be said."""
    text = said(words) if words else None
    if text is None:
        return stored
    values = words.get("values")
    if isinstance(values, dict):
        values = {name: _restored(value) for name, value in values.items()}
    elif values is not None:
        values = tuple(_restored(value) for value in values)
    plural = (words["plural"], words["number"]) if "plural" in words else None
    return Phrase(text, words["msgid"], values, plural)


def _restored(value: Any) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return restored(value)
    return value


def recorded(text: str) -> tuple[str, Words | None]:
    """What the timeline keeps of `text`: its words said in the site's language, and the words
    (None for text that is not a phrase)."""
    if not isinstance(text, Phrase):
        return str(text), None
    words = words_of(text)
    with translation.override(settings.LANGUAGE_CODE):
        return said(words) or str(text), words
