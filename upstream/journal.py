"""The call journal: the `Journal` of upstream/client.py, writing CallJournal rows.

Bodies are redacted first: secrets (sign, signature, secret, appSecret, password, token,
access-key...) are masked whatever their nesting, and phone numbers keep only their last four
digits, in phone-like fields and inside free text. JSON that travels as a string (Dajisaas form
values, `subOrderResult`) is opened, redacted and closed again.

A journal that cannot write logs the failure and lets the upstream call go on. The row is
written in a savepoint of the caller's transaction, so a caller that rolls back loses the row
too; the log line the transport writes for every failed call stays.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from upstream.client import CallRecord

logger = logging.getLogger(__name__)

REDACTED = "[redacted]"
MAX_BODY_CHARS = 64_000  # a 1688 product detail is ~50 kB; anything bigger is cut
MAX_VALUE_CHARS = 2_000  # one long value (a base64 picture) is cut on its own, the rest kept

# Keys compared lower-cased with separators removed ("access-key" -> "accesskey").
SECRET_KEYS = frozenset({"sign", "apikey", "authorization", "cookie"})
SECRET_PARTS = ("secret", "password", "passwd", "token", "signature", "accesskey")
PHONE_WORDS = frozenset({"phone", "mobile", "tel", "telephone", "cellphone", "mob"})
PHONE_PARTS = ("phone", "mobile")

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# A mainland mobile number inside free text (not inside a longer run of digits, e.g. an id).
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")


def _normalised(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def is_secret_key(key: str) -> bool:
    norm = _normalised(key)
    return norm in SECRET_KEYS or any(part in norm for part in SECRET_PARTS)


def is_phone_key(key: str) -> bool:
    norm = _normalised(key)
    if any(part in norm for part in PHONE_PARTS):
        return True
    return any(word.lower() in PHONE_WORDS for word in _WORDS.findall(key))


def mask_digits(value: str) -> str:
    """Every digit but the last four becomes '*': '13800138000' -> '*******8000'."""
    total = sum(char.isdigit() for char in value)
    keep_from = total - 4
    seen = 0
    out = []
    for char in value:
        if char.isdigit():
            out.append(char if seen >= keep_from else "*")
            seen += 1
        else:
            out.append(char)
    return "".join(out)


def _redact_text(value: str) -> str:
    if value.isdigit():
        return value  # a bare number outside a phone field is an id or an amount
    return _MOBILE_IN_TEXT.sub(lambda match: mask_digits(match.group()), value)


def redact(value: Any, *, phone: bool = False) -> Any:
    """A copy of `value` that is safe to keep: see the module docstring."""
    if isinstance(value, dict):
        return {
            str(key): (
                REDACTED
                if is_secret_key(str(key)) and item not in (None, "")
                else redact(item, phone=phone or is_phone_key(str(key)))
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item, phone=phone) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return mask_digits(str(value)) if phone else value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if not isinstance(value, str):
        value = str(value)
    if value[:1] in ("{", "[") and len(value) <= MAX_BODY_CHARS:
        try:
            inner = json.loads(value)
        except ValueError:
            pass
        else:
            return json.dumps(redact(inner, phone=phone), ensure_ascii=False)
    if len(value) > MAX_VALUE_CHARS:
        return f"{_redact_text(value[:200])}... ({len(value)} characters)"
    return mask_digits(value) if phone else _redact_text(value)


def _bounded(value: Any) -> Any:
    """The redacted body, JSON-safe and not larger than MAX_BODY_CHARS."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) <= MAX_BODY_CHARS:
        return json.loads(text)
    return {"truncated": True, "size": len(text), "head": text[:MAX_BODY_CHARS]}


class DatabaseJournal:
    """Writes each call to upstream.models.CallJournal."""

    def record(self, entry: CallRecord) -> None:
        from upstream.models import CallJournal

        try:
            row = CallJournal(
                operation=entry.operation,
                provider=entry.account.split(":", 1)[0],
                account=entry.account[:100],
                method=entry.method,
                path=urlsplit(entry.url).path[:300],
                outer_ref=(entry.outer_ref or "")[:100],
                duration_ms=max(0, round(entry.duration_ms)),
                http_status=entry.http_status,
                code="" if entry.code is None else str(entry.code)[:40],
                request_id=(entry.request_id or "")[:64],
                attempt=entry.attempt,
                error=entry.error,
                request_body=_bounded(redact(entry.request_body)),
                response_body=_bounded(redact(entry.response_body)),
            )
            # A savepoint: a failed insert must not poison the caller's transaction.
            with transaction.atomic():
                row.save()
        except Exception:
            logger.exception(
                "could not journal upstream call %s (request %s, outer ref %s)",
                entry.operation,
                entry.request_id or "-",
                entry.outer_ref or "-",
            )
