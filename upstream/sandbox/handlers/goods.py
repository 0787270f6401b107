"""Sandbox handlers: goods."""
