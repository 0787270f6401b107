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


# A BIGINT column's ceiling: no amount or timestamp we store may pass it.
MAX_STORED_INT = 2**63 - 1


class Unreadable(ValueError):
    """A field of a signed upstream message that cannot mean what it says (a negative or
    fractional amount, a number past what we can store): the message is refused, not applied."""


def whole_number(value: Any, what: str) -> int | None:
    """A non-negative whole number (an int, or a string of digits) no larger than a BIGINT;
    None when absent. Callback amounts are fen and times are milliseconds, so anything else
    ("-1", "12.345", 1.5, true, 2**70) is Unreadable rather than rounded or clamped."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Unreadable(f"{what} is not a whole number: {_shown(value)}")
    if isinstance(value, str):
        # int() would accept " 12", "+12", "1_2" and non-ASCII digits; a length cap keeps a
        # pathological string from being converted at all.
        if not (value.isascii() and value.isdigit()) or len(value) > 19:
            raise Unreadable(f"{what} is not a non-negative whole number: {_shown(value)}")
        value = int(value)
    if value < 0:
        raise Unreadable(f"{what} is negative: {value}")
    if value > MAX_STORED_INT:
        raise Unreadable(f"{what} is out of range: {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
