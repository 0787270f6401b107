"""What the logistics handlers share: the query signature check, text, quantities, times."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from upstream.sandbox.router import SandboxCall, SandboxError

COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def _time(value: Any) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _check_query_sign(call: SandboxCall) -> None:
    """The query's timestamp and sign must repeat the signed headers (section 6.1)."""
    query, headers = call.request.GET, call.request.headers
    if query.get("timestamp") != headers.get("timestamp") or query.get("sign") != headers.get(
        "signature"
    ):
        raise SandboxError(401, "query timestamp and sign must repeat the signed headers")
    call.params.pop("timestamp", None)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def _quantity(value: Any, where: str) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, f"{where} must be an integer") from exc
    if not 1 <= quantity <= 9999:
        raise SandboxError(400, f"{where} must be 1-9999")
    return quantity
