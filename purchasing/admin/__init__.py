"""The Django admin of purchasing, one module per theme (importing registers the admins)."""

from purchasing.admin import approval, callbacks, goods, orders  # noqa: F401
