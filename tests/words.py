"""What the timeline tests share: an entry said again from its words, to an English reader."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from purchasing.phrases import said


def said_in_english(event: Any) -> str | None:
    """The entry said again from its words (purchasing/phrases.py), which it must have kept."""
    assert event.words is not None, f"stored without words: {event.message!r}"
    with translation.override("en"):
        return said(event.words)
