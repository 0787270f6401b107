"""Admin for storefronts and their API keys."""
