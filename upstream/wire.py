"""What travels on the wire: flattened parameters, envelope fields, and values the upstream
sends either as JSON strings or as objects."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import requests

from upstream import errors
from upstream.operations import Operation
from upstream.signing import compact_json


def raise_for_inner_failure(op: Operation, data: Any, request_id: str, status: int) -> None:
    """Dajisaas wraps the 1688/Taobao result: success also needs the inner result to succeed."""
    if not isinstance(data, dict):
        return
    inner = data.get("result") if isinstance(data.get("result"), dict) else data
    failed = inner.get("success") is False or (
        "code" in inner and isinstance(inner.get("code"), str) and inner["code"] not in ("0", "200")
    )
    if failed:
        code = inner.get("errorCode") or inner.get("code")
        message = inner.get("errorInfo") or inner.get("errorMsg") or inner.get("message") or ""
        raise errors.error_for_code(code)(
            str(message) or "The upstream refused",
            code=code,
            request_id=request_id,
            operation=op.name,
            http_status=status,
        )


def body_of(response: requests.Response) -> Any:
    """The parsed JSON answer, or the start of its text when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return response.text[:2000]


def flat_params(params: Mapping[str, Any]) -> dict[str, str]:
    """Query and form values are strings; nested values travel as compact JSON."""
    flat: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, dict | list):
            flat[key] = compact_json(value)
        elif isinstance(value, bool):
            flat[key] = "true" if value else "false"
        else:
            flat[key] = str(value)
    return flat


def request_id_of(envelope: Any) -> str:
    if not isinstance(envelope, dict):
        return ""
    return str(envelope.get("requestId") or envelope.get("traceId") or "")


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def as_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def loads_maybe(value: Any) -> Any:
    """Upstream fields that are sometimes a JSON string and sometimes an object."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
