"""Shared by the order types: the platforms, China time and lenient value parsing."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

TAOBAO = "taobao"
ALIBABA = "1688"
CHINA = ZoneInfo("Asia/Shanghai")


def parse_time(value: Any) -> datetime | None:
    """An upstream timestamp as an aware datetime: "2023-10-18 18:11:08" (China time),
    "20180514094556000+0800" (1688 official) or milliseconds since the epoch."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return datetime.fromtimestamp(int(value) / 1000, tz=CHINA)
    text = str(value)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text[:19], fmt).replace(tzinfo=CHINA)
        except ValueError:
            pass
    try:  # 1688: yyyyMMddHHmmssSSS+0800
        return datetime.strptime(text[:14] + text[17:], "%Y%m%d%H%M%S%z")
    except ValueError:
        return None


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _str(value: Any) -> str:
    return "" if value is None else str(value)
