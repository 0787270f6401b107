"""What a log line knows about the work it belongs to: the request id, the user, the order
reference and the Celery task id, each where known.

Kept in context variables, so each request, task and thread sees its own. It lives in the
bottom layer because every layer knows one of them: the web middleware and the Celery signals
(config/observability/) bind the request, user and task and clear everything at the start and
end of each unit of work; the transport binds the reference an upstream call carries, and
purchasing binds an order's reference when it locks the order. The log filter reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

FIELDS = ("request_id", "user", "order_ref", "task_id", "task_name")
_context: dict[str, ContextVar[str]] = {name: ContextVar(name, default="") for name in FIELDS}


def bind(**values: str) -> None:
    """Set fields until the unit of work ends (`clear`); empty values are ignored."""
    for name, value in values.items():
        if value:
            _context[name].set(str(value))


def clear() -> None:
    for variable in _context.values():
        variable.set("")


def current() -> dict[str, str]:
    """The fields that are known now."""
    return {name: value for name, variable in _context.items() if (value := variable.get())}


@contextmanager
def bound(**values: str) -> Iterator[None]:
    """Set fields for the `with` block only, then put back what was there."""
    tokens = [
        (_context[name], _context[name].set(str(value))) for name, value in values.items() if value
    ]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)
