"""Sandbox handlers: orders."""
