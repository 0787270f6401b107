"""Sandbox addresses and international logistics orders (bookings)."""

__all__: list[str] = []
