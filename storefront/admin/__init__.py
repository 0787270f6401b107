"""Storefront admin: keys and storefronts in `keys`, customer orders and webhooks in `webhooks`."""

from storefront.admin import keys, webhooks  # noqa: F401
