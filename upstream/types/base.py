"""What every typed upstream result shares, and the unit conversions the payloads need."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any


@dataclass(kw_only=True)
class Record:
    """Base of every typed result: the raw payload it came from, kept for the journal and UI."""

    raw: dict[str, Any] = field(default_factory=dict, repr=False)


def fen(value: Any, default: int = 0) -> int:
    """An amount already in fen (int, or a string like "3990") as int fen."""
    if value is None or value == "":
        return default
    try:
        return int(Decimal(str(value)).to_integral_value(ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return default


def yuan_to_fen(value: Any, default: int = 0) -> int:
    """An amount in yuan ("39.9", 39.9) as int fen, rounded half up, never through float math."""
    if value is None or value == "":
        return default
    try:
        return int((Decimal(str(value)) * 100).to_integral_value(ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return default


def id_str(value: Any) -> str:
    """Upstream ids are 19-digit numbers: always strings here, never floats."""
    if value is None:
        return ""
    if isinstance(value, float):
        raise TypeError("an upstream id arrived as a float and may have lost digits")
    return str(value)
