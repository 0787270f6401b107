"""What every page may show from purchasing: the display currency's rate."""

from __future__ import annotations

from django.http import HttpRequest


class LazyRate:
    """The display currency's latest rate, read on first use and at most once per request."""

    def __init__(self) -> None:
        self._loaded = False
        self._rate = None

    def get(self):
        if not self._loaded:
            from purchasing.money import current_rate

            self._rate, self._loaded = current_rate(), True
        return self._rate


def display_currency(request: HttpRequest) -> dict:
    return {"display_rate": LazyRate()}
