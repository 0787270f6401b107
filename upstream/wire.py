"""What travels on the wire: flattened parameters, envelope fields, and values the upstream
sends either as JSON strings or as objects."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import requests

from upstream import errors
from upstream.operations import DAJISAAS, Kind, Operation
from upstream.signing import compact_json

# Inner codes that mean success: Dajisaas Taobao answers `code "0"`, some pass-throughs "200".
_INNER_OK = frozenset({"", "0", "200", "success"})
# Fields by which a create's answer names what it made (an order, a case, a booking).
_MADE = ("orderId", "orderIds", "orderList", "id", "refundId", "bookingId")
_SUCCESS_WORDS = frozenset({"", "成功", "操作成功", "success", "ok"})


def raise_for_inner_refusal(
    op: Operation, data: Any, *, provider: str, message: str, request_id: str, status: int
) -> None:
    """A `code 200` answer whose inner result says no is a refusal, raised as the error type of
    its code (the same types as an outer refusal), so a caller changes nothing locally.

    For every operation that is not a read, on both providers: `data: false`, an inner
    `success: false`, or an inner error code (`errorCode`, or an inner `code` other than
    0/200) where the inner result does not say `success: true`. Dajisaas documents the inner
    result for its reads too (upstream-api.md 2.3), so its reads are held to `success: false`
    and to an inner code. A create whose answer still names something it made (an order id, a
    refund id) was not refused, or not wholly: it is left to the caller, which adopts what was
    made, so that nothing made upstream is ever called "failed" and ordered again."""
    writes = op.kind is not Kind.READ
    if not writes and provider != DAJISAAS:
        return
    if data is False:
        if writes:
            raise errors.BusinessError(
                _upstream_words(message) or "The upstream answered that it did not do it",
                code=None,
                request_id=request_id,
                operation=op.name,
                http_status=status,
            )
        return
    if not isinstance(data, dict):
        return
    inner = data.get("result") if isinstance(data.get("result"), dict) else data
    code = inner.get("errorCode") or inner.get("error_code")
    if code in (None, "") and "code" in inner:
        code = inner.get("code")
    said_no = data.get("success") is False or inner.get("success") is False
    refused = said_no or (
        inner.get("success") is not True and str(code if code is not None else "") not in _INNER_OK
    )
    if not refused:
        return
    if op.kind is Kind.CREATE and any(data.get(key) or inner.get(key) for key in _MADE):
        return
    words = (
        inner.get("errorInfo")
        or inner.get("errorMsg")
        or inner.get("errorMessage")
        or inner.get("message")
        or _upstream_words(message)
    )
    raise errors.error_for_code(code)(
        str(words or "The upstream refused"),
        code=code,
        request_id=request_id,
        operation=op.name,
        http_status=status,
    )


def _upstream_words(message: str) -> str:
    """The envelope's message, unless it only says "success" (a `code 200` answer usually does,
    and a refusal must not read as one)."""
    return "" if message.strip().lower() in _SUCCESS_WORDS else message.strip()


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
