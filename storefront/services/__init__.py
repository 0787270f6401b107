"""Storefront services: intake of customer orders, the buying policy, status and webhooks."""

from storefront.services.errors import (
    StorefrontConflict,
    StorefrontError,
    StorefrontInvalid,
)

__all__ = ["StorefrontConflict", "StorefrontError", "StorefrontInvalid"]
