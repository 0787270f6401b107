"""PandaPon foundations and warehouse logistics: addresses, freight, international orders."""

from __future__ import annotations

from upstream.api import Api


class Addresses(Api):
    """The account's address book (foundations API)."""


class WarehouseLogistics(Api):
    """Overseas freight estimates, domestic logistics updates and international logistics orders."""
