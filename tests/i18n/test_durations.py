"""How long something waited, in Chinese: Django's own catalogue says "2 月" and "3 日", which a
reader takes for February and the 3rd; Caigou's says "2 个月" and "3 天"."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation
from django.utils.timesince import timesince


def test_months_and_days_read_as_durations_in_chinese():
    now = timezone.now()
    with translation.override("zh-hans"):
        assert timesince(now - timedelta(days=75), now) == "2 个月，2 周"
        assert timesince(now - timedelta(days=3), now) == "3 天"
