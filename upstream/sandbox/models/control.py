"""Sandbox control state: the ledger of creates and payments, faults, callbacks."""

__all__: list[str] = []
