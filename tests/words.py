"""What the tests of words share: an entry said again from its words, to an English reader,
and the text of a page that a person reads."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.utils import translation

from purchasing.phrases import said


def said_in_english(event: Any) -> str | None:
    """The entry said again from its words (purchasing/phrases.py), which it must have kept."""
    assert event.words is not None, f"stored without words: {event.message!r}"
    with translation.override("en"):
        return said(event.words)


class VisibleText(HTMLParser):
    """The text of a page a person reads: no attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
