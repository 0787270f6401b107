"""Which reader each stored message goes through: `{provider: {message_type: reader}}`.

The readers and their table belong to the upstream's wire format (upstream/types/callbacks.py);
apply.py looks a message up here and sees only the typed message the reader returns. A message
that cannot be read raises Unreadable and is refused with that reason.
"""

from __future__ import annotations

from upstream.types.callbacks import READERS, Reader, taobao_status

__all__ = ["HANDLERS", "handler_for", "taobao_status"]

# The upstream's table itself, not a copy: a reader put in place here is the one applied.
HANDLERS: dict[str, dict[str, Reader]] = READERS


def handler_for(provider: str, message_type: str) -> Reader | None:
    """The reader of this provider's message type; None for a type we do not apply."""
    return HANDLERS.get(provider, {}).get(message_type)
