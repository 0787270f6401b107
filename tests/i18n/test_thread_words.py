"""A refund's thread with the seller names who wrote each message in the reader's language,
not by the upstream's role code."""

from __future__ import annotations

from django.utils import translation

from purchasing.glossary import sender_words


def test_each_writer_of_a_thread_message_reads_in_chinese():
    with translation.override("zh-hans"):
        said = [sender_words(role) for role in ("buyer", "seller", "system", "SELLER", "", "bot")]
    assert said[:5] == ["我方（买家）", "卖家", "平台", "卖家", "?"]
    assert "bot" in said[5] and "上游" in said[5]
