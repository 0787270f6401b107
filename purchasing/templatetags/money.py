"""`{% load money %}`: `{{ fen|cny }}`, `{% display fen %}` (the display currency), and
`{{ discount_fen|neg }}` for an amount taken off (shown, and converted, with its minus sign)."""

from __future__ import annotations

from django import template

from purchasing.money import format_cny, format_minor

register = template.Library()


@register.filter
def cny(fen: int | None) -> str:
    return format_cny(fen)


@register.filter
def neg(fen: int | None) -> int | None:
    """A discount stored as a positive amount, as the negative amount it is on a bill."""
    return None if fen is None else -fen


@register.simple_tag(takes_context=True)
def display(context: template.Context, fen: int | None) -> str:
    """Fen in the display currency at the request's rate; empty when no rate is set."""
    holder = context.get("display_rate")
    rate = holder.get() if holder is not None else None
    if rate is None or fen is None:
        return ""
    return "≈ " + format_minor(rate.from_fen(fen), rate.currency)
