"""Sandbox control: faults injected around calls, and the ledger of every create and payment."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from upstream.sandbox.router import SandboxCall


def before_call(call: SandboxCall) -> HttpResponse | None:
    """A fault that answers instead of the handler (error, rate limit), or None."""
    return None


def after_commit_record(call: SandboxCall, data: Any) -> None:
    """Inside the handler's transaction: record creates and payments in the ledger."""


def after_call(call: SandboxCall, response: HttpResponse) -> HttpResponse:
    """A fault applied once the handler committed (timeout after commit, dropped response)."""
    return response
