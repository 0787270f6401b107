"""Sandbox handlers: logistics."""
