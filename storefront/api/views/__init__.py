"""The storefront API's views (each module: one resource)."""
