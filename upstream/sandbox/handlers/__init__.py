"""Sandbox handlers by domain; importing this module registers them all with the router."""

from upstream.sandbox.handlers import aftersales, carts, goods, logistics, orders  # noqa: F401
