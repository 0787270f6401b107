"""Every kind of timeline entry Caigou writes (an order's, a refund case's, a parcel's) has
words: the order page and the admin say an entry's kind, and an unknown one would read as
its code ("domestic_logistics") in every language."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from purchasing.templatetags.words import EVENT_KINDS, event_kind

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = re.compile(r'\bkind="([a-z_]+)"')


def kinds_written() -> set[str]:
    kinds = set()
    for app in ("purchasing", "aftersales", "logistics", "storefront", "carts"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "models" in path.parts or path.name == "models.py":
                continue  # a model's kinds are its own choices (an approval rule's, say)
            kinds.update(WRITTEN.findall(path.read_text()))
    return kinds


def test_every_kind_of_entry_written_has_words():
    kinds = kinds_written()
    assert {"domestic_logistics", "opened", "booking_unknown"} <= kinds  # the scan finds them
    assert sorted(kinds - set(EVENT_KINDS) - {"status"}) == []


def test_a_kind_reads_in_chinese():
    with translation.override("zh-hans"):
        said = {kind: event_kind(kind) for kind in EVENT_KINDS}
    assert all(re.search(r"[\u4e00-\u9fff]", words) for words in said.values()), said
