"""Request and callback signatures, exactly as `shared/upstream-api.md` section 6.1 reads them.

The PandaPon field list and secret suffix are settings (PANDAPON_SIGN_FIELDS,
PANDAPON_SIGN_SECRET_KEY), so correcting them against the real API needs no code change.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import string
import time
from collections.abc import Iterable, Mapping
from typing import Any

DEFAULT_PANDAPON_SIGN_FIELDS = ("access-key", "nonce-str", "timestamp")
DEFAULT_PANDAPON_SECRET_KEY = "secret"
TIMESTAMP_TOLERANCE_S = 600
NONCE_ALPHABET = string.ascii_letters + string.digits


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def now_ms() -> str:
    return str(int(time.time() * 1000))


def nonce(length: int = 32) -> str:
    return "".join(secrets.choice(NONCE_ALPHABET) for _ in range(length))


def pandapon_signature(
    values: Mapping[str, str],
    secret: str,
    *,
    fields: Iterable[str] = DEFAULT_PANDAPON_SIGN_FIELDS,
    secret_key: str = DEFAULT_PANDAPON_SECRET_KEY,
) -> str:
    """UPPER(HEX(MD5("access-key=AK&nonce-str=N&timestamp=TS&secret=SECRET")))."""
    parts = [f"{name}={values[name]}" for name in sorted(fields)]
    parts.append(f"{secret_key}={secret}")
    return md5_upper("&".join(parts))


def pandapon_headers(
    access_key: str,
    secret: str,
    user_id: str,
    *,
    fields: Iterable[str] = DEFAULT_PANDAPON_SIGN_FIELDS,
    secret_key: str = DEFAULT_PANDAPON_SECRET_KEY,
    timestamp: str | None = None,
    nonce_str: str | None = None,
) -> dict[str, str]:
    """The five signed headers of a PandaPon request (and of a PandaPon callback to us)."""
    headers = {
        "access-key": access_key,
        "timestamp": timestamp or now_ms(),
        "nonce-str": nonce_str or nonce(),
        "user-id": user_id,
    }
    headers["signature"] = pandapon_signature(headers, secret, fields=fields, secret_key=secret_key)
    return headers


def timestamp_is_fresh(timestamp: str, *, tolerance_s: int = TIMESTAMP_TOLERANCE_S) -> bool:
    """A millisecond timestamp within the tolerance of our clock (either side)."""
    try:
        sent = int(timestamp) / 1000
    except (TypeError, ValueError):
        return False
    return abs(time.time() - sent) <= tolerance_s


def pandapon_headers_valid(
    headers: Mapping[str, str],
    access_key: str,
    secret: str,
    *,
    fields: Iterable[str] = DEFAULT_PANDAPON_SIGN_FIELDS,
    secret_key: str = DEFAULT_PANDAPON_SECRET_KEY,
) -> bool:
    """Signature, access key and timestamp of a PandaPon request or callback, in constant time."""
    fields = tuple(fields)
    lowered = {key.lower(): value for key, value in headers.items()}
    if any(not lowered.get(name) for name in (*fields, "signature")):
        return False
    if not hmac.compare_digest(lowered.get("access-key", ""), access_key):
        return False
    if not timestamp_is_fresh(lowered.get("timestamp", "")):
        return False
    expected = pandapon_signature(lowered, secret, fields=fields, secret_key=secret_key)
    return hmac.compare_digest(expected, lowered["signature"].upper())


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _sign_value(value: Any) -> str:
    if isinstance(value, dict | list):
        return compact_json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def dajisaas_sign(params: Mapping[str, Any], secret: str) -> str:
    """UPPER(HEX(MD5(k1=v1&k2=v2&...&secret=APPSECRET))): keys sorted, `sign` and nulls skipped,
    nested values as compact JSON."""
    parts = [
        f"{key}={_sign_value(params[key])}"
        for key in sorted(params)
        if key != "sign" and params[key] is not None
    ]
    parts.append(f"secret={secret}")
    return md5_upper("&".join(parts))


def dajisaas_sign_valid(params: Mapping[str, Any], app_key: str, secret: str) -> bool:
    if not hmac.compare_digest(str(params.get("appKey", "")), app_key):
        return False
    return hmac.compare_digest(str(params.get("sign", "")).upper(), dajisaas_sign(params, secret))


def dajisaas_message_signature(message: str, secret: str) -> str:
    """_dj_signature = UPPER(HEX(HMAC_SHA1(key=APPSECRET, msg="message" + message)))."""
    digest = hmac.new(secret.encode(), f"message{message}".encode(), hashlib.sha1)
    return digest.hexdigest().upper()


def dajisaas_message_valid(message: str, signature: str, secret: str) -> bool:
    return hmac.compare_digest(dajisaas_message_signature(message, secret), signature.upper())
