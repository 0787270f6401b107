"""Sandbox refunds and returns, their messages and return logistics."""

__all__: list[str] = []
