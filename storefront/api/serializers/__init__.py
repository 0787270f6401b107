"""Request checks and response shapes of the storefront API."""
