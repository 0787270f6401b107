"""Money: integer fen inside, CNY and the display currency at the edge, with the rate used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from purchasing.models import ExchangeRate

SYMBOLS = {"CNY": "¥", "USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$"}
ZERO_DECIMAL = {"JPY", "KRW", "VND"}


@dataclass(frozen=True)
class Rate:
    """A rate as used for a conversion: which currency, how many CNY per unit, set when."""

    currency: str
    cny_per_unit: Decimal
    set_on: datetime

    def from_fen(self, fen: int) -> int:
        """CNY fen to the currency's minor units (cents), rounded half up."""
        minor = 1 if self.currency in ZERO_DECIMAL else 100
        value = Decimal(fen) / Decimal(100) / self.cny_per_unit * minor
        return int(value.to_integral_value(ROUND_HALF_UP))


def current_rate(currency: str | None = None) -> Rate | None:
    """The latest rate staff set for a currency (default: the display currency), or None. A row
    dated in the future (the admin refuses them now; older rows may exist) is not in force yet."""
    currency = (currency or settings.CAIGOU_DISPLAY_CURRENCY).upper()
    row = (
        ExchangeRate.objects.filter(currency=currency, set_on__lte=timezone.now())
        .order_by("-set_on", "-pk")
        .first()
    )
    if row is None:
        return None
    return Rate(row.currency, row.cny_per_unit, row.set_on)


def tolerance_fen() -> int:
    """How far (fen) an amount may move from the accepted one, either way, before an order
    stops for a person: CAIGOU_PREVIEW_TOLERANCE_FEN."""
    return int(settings.CAIGOU_PREVIEW_TOLERANCE_FEN)


def within_tolerance(accepted_fen: int, now_fen: int) -> bool:
    """Whether `now_fen` is within the tolerance of `accepted_fen`. Two-sided: a drop stops an
    order as a rise does, since it can mean a line or a promotion the person did not see."""
    return abs(now_fen - accepted_fen) <= tolerance_fen()


def format_minor(minor: int | None, currency: str) -> str:
    """12345 USD cents as "US$123.45"; fen as "¥123.45"."""
    if minor is None:
        return "—"
    symbol = SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if minor < 0 else ""
    if currency in ZERO_DECIMAL:
        return f"{sign}{symbol}{abs(minor):,}"
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{symbol}{whole:,}.{cents:02d}"


def format_cny(fen: int | None) -> str:
    return format_minor(fen, "CNY")


def format_cny_change(fen: int) -> str:
    """A signed difference in yuan: "+¥5.00", "-¥0.50", "¥0.00"."""
    return f"+{format_cny(fen)}" if fen > 0 else format_cny(fen)
