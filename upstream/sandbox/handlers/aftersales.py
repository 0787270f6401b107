"""Sandbox handlers: aftersales."""
