"""How long something waited, in Chinese: Django's own catalogue says "2 月" and "3 日", which a
reader takes for February and the 3rd; Caigou's says "2 个月" and "3 天"."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation
from django.utils.timesince import timesince


def test_months_and_days_read_as_durations_in_chinese():
    now = timezone.now()
    with translation.override("zh-hans"):
        waited = [timesince(now - timedelta(days=days), now) for days in (75, 3)]

    # timesince joins a number to its unit with a no-break space.
    assert [text.replace("\xa0", " ") for text in waited] == ["2 个月，2 周", "3 天"]
