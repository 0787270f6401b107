"""The envelopes the upstream's pushes arrive in, read into one shape.

PandaPon posts `{messageType, messageBody, messagePlatform, timestamp}` (the body an object in
its pages and a JSON string in others). Dajisaas posts a form whose signed `message` is either
1688's official push `{msgId, type, data}` or Taobao's `{seller_id, message_type, data, ...}`.
What a message says inside is read by `upstream.types.callbacks`; this module only opens the
envelope, and refuses one that no database column could hold or that is not an object at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from upstream.signing import compact_json
from upstream.wire import loads_maybe


class EnvelopeRefused(Exception):
    """The envelope cannot be read: `why` says what, for the answer and the log."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class Envelope:
    """One push, opened: its type, its platform and its body (decoded, and as compact JSON
    text, written once for both the identity and the stored row), and what names it across the
    upstream's retries (`identity`: the same for every retry of one message)."""

    message_type: str
    platform: str  # "taobao" or "1688"
    body: Any
    body_json: str
    identity: tuple[str, ...]


def read_pandapon(text: str | bytes, *, max_type_length: int) -> Envelope:
    """A PandaPon push body. The push timestamp changes on every retry; the body (with its
    updatedAt) does not, so the type and the body name the message."""
    envelope, body = _open(text, "body")
    message_type = _message_type(envelope.get("messageType"), max_type_length)
    platform = "1688" if str(envelope.get("messagePlatform")) == "1" else "taobao"
    body_json = compact_json(body)
    return Envelope(message_type, platform, body, body_json, (message_type, body_json))


def read_dajisaas(message: str, *, max_type_length: int) -> Envelope:
    """A Dajisaas push's signed `message`: 1688's official envelope carries its own id."""
    envelope, body = _open(message, "message")
    body_json = compact_json(body)
    if "msgId" in envelope:
        message_type = _message_type(envelope.get("type"), max_type_length)
        return Envelope(message_type, "1688", body, body_json, ("msgId", str(envelope["msgId"])))
    message_type = _message_type(envelope.get("message_type"), max_type_length)
    return Envelope(message_type, "taobao", body, body_json, (message_type, body_json))


def _open(text: str | bytes, what: str) -> tuple[dict, Any]:
    """The envelope as a dict, and its body field decoded."""
    try:
        envelope = json.loads(text)
        if not isinstance(envelope, dict):
            raise EnvelopeRefused(f"{what} is not an object")
        field = "messageBody" if "messageBody" in envelope else "data"
        body = loads_maybe(envelope.get(field))
        # A body sent as a JSON string is decoded apart; one sent as an object was walked
        # with the envelope.
        bad = bad_text(envelope) or (bad_text(body) if body is not envelope.get(field) else "")
        if bad:
            raise EnvelopeRefused(f"{what} contains {bad}")
    except (ValueError, RecursionError):
        raise EnvelopeRefused(f"{what} is not JSON") from None
    return envelope, body


def bad_text(value: Any) -> str:
    """What in a decoded message no database column can hold, or "". PostgreSQL refuses NUL in
    text and jsonb, and a lone surrogate (a "\\ud800" escape) is not text at all: it cannot
    be encoded to store. No genuine message carries either."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "NUL characters"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "invalid text (a lone surrogate)"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return ""


def _message_type(value: Any, max_length: int) -> str:
    """The message type as text (a type names a reader, and is stored in a short column)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise EnvelopeRefused("the message type is not text")
    text = str(value)
    if len(text) > max_length:
        raise EnvelopeRefused("the message type is too long")
    return text
