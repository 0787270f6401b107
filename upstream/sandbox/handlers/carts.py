"""Sandbox handlers: carts."""
