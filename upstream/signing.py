"""Request and callback signatures, exactly as `shared/upstream-api.md` section 6.1 reads them.

The PandaPon rule is not documented (upstream-api.md 1.3 lists its open questions), so every
part of it is a setting: which fields are signed and how their names are written (header names
or camelCase), where the secret goes, and the case of the hex digest. Correcting it against
the real API needs no code change. Dajisaas may authenticate with its documented debug form
(`appSecret` in the request) instead of `sign`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
import string
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_PANDAPON_SIGN_FIELDS = ("access-key", "nonce-str", "timestamp")
DEFAULT_PANDAPON_SECRET_KEY = "secret"
TIMESTAMP_TOLERANCE_S = 600
NONCE_ALPHABET = string.ascii_letters + string.digits
SECRET_POSITIONS = ("end", "start", "both")
HEX_CASES = ("upper", "lower")
DAJISAAS_AUTH_FORMS = ("sign", "app_secret")
# The headers a PandaPon request carries besides its signature: the only values a rule can sign.
SIGNABLE_HEADERS = ("access-key", "nonce-str", "timestamp", "user-id")


class SignRuleError(ValueError):
    """A signing setting that names no rule we know; the message names the setting."""


@dataclass(frozen=True)
class SecretForm:
    """How the secret enters the PandaPon string to sign, and the digest's case.

    Written `key:position:case` (`secret:end:upper` is upstream-api.md 6.1's rule; a plain
    `secret` means the same). `key` is the secret's name in the string (`secret`, `key`); empty,
    the bare secret is joined with no name and no `&`, as MD5(SECRET + string + SECRET) rules
    do. `position` is `end`, `start` or `both`; `case` is `upper` or `lower`.
    """

    key: str = DEFAULT_PANDAPON_SECRET_KEY
    position: str = "end"
    case: str = "upper"

    def __post_init__(self) -> None:
        if self.position not in SECRET_POSITIONS:
            raise SignRuleError(
                f"PANDAPON_SIGN_SECRET_POSITION must be one of {', '.join(SECRET_POSITIONS)}, "
                f"not {self.position!r}."
            )
        if self.case not in HEX_CASES:
            raise SignRuleError(
                f"PANDAPON_SIGN_HEX_CASE must be upper or lower, not {self.case!r}."
            )

    @classmethod
    def parse(cls, text: str) -> SecretForm:
        key, _, rest = text.partition(":")
        position, _, case = rest.partition(":")
        return cls(key=key, position=position or "end", case=case or "upper")

    def __str__(self) -> str:
        return f"{self.key}:{self.position}:{self.case}"

    def wrap(self, text: str, secret: str) -> str:
        """The whole string to sign: the signed fields with the secret where this form puts it."""
        part, joint = (f"{self.key}={secret}", "&") if self.key else (secret, "")
        if self.position == "start":
            return f"{part}{joint}{text}"
        if self.position == "both":
            return f"{part}{joint}{text}{joint}{part}"
        return f"{text}{joint}{part}"

    def digest(self, text: str) -> str:
        hexed = hashlib.md5(text.encode("utf-8")).hexdigest()
        return hexed.upper() if self.case == "upper" else hexed


def secret_form(key: str, position: str, case: str) -> str:
    """The `key:position:case` text of a secret form, checked (SignRuleError names the setting)."""
    return str(SecretForm(key=key, position=position.lower(), case=case.lower()))


def sign_fields(names: Iterable[str]) -> tuple[str, ...]:
    """The PandaPon fields to sign, as written, each checked to name a header we send."""
    names = tuple(name.strip() for name in names if name.strip())
    known = {squashed(header) for header in SIGNABLE_HEADERS}
    unknown = [name for name in names if squashed(name) not in known]
    if unknown or not names:
        raise SignRuleError(
            f"PANDAPON_SIGN_FIELDS must name some of {', '.join(SIGNABLE_HEADERS)} (in any "
            f"spelling, e.g. accessKey), not {', '.join(unknown) or 'nothing'}."
        )
    return names


@functools.lru_cache(maxsize=256)  # a few header names, read on every callback
def squashed(name: str) -> str:
    """A header or field name with case, `-` and `_` taken out: `access-key`, `accessKey`,
    `Access-Key` and `access_key` are one name (HTTP headers lose their case on the way)."""
    return name.replace("-", "").replace("_", "").lower()


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
    """UPPER(HEX(MD5("access-key=AK&nonce-str=N&timestamp=TS&secret=SECRET"))) by default.

    `fields` are the names as written in the string (`accessKey` or `access-key`), sorted as
    written; each takes the value of the header of that name, whatever its spelling.
    `secret_key` is a SecretForm (`key:position:case`, or just the key). A field with no value
    raises KeyError naming it.
    """
    by_name = {squashed(name): value for name, value in values.items()}
    parts = []
    for name in sorted(fields):
        if squashed(name) not in by_name:
            raise KeyError(name)
        parts.append(f"{name}={by_name[squashed(name)]}")
    form = SecretForm.parse(secret_key)
    return form.digest(form.wrap("&".join(parts), secret))


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
    """Signature, access key and timestamp of a PandaPon request or callback, in constant time.
    Header names are matched whatever their spelling (`access-key`, `accessKey`); the digest's
    case is not part of the secret, so either case is accepted."""
    fields = tuple(fields)
    by_name = {squashed(key): value for key, value in headers.items()}
    if any(not by_name.get(squashed(name)) for name in (*fields, "signature")):
        return False
    if not hmac.compare_digest(by_name.get(squashed("access-key"), ""), access_key):
        return False
    if not timestamp_is_fresh(by_name.get("timestamp", "")):
        return False
    expected = pandapon_signature(by_name, secret, fields=fields, secret_key=secret_key)
    return hmac.compare_digest(expected.upper(), by_name["signature"].upper())


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
    """A Dajisaas request signed with `sign`, or carrying `appSecret` in the documented debug
    form (upstream-api.md 2.2) when it has no `sign`."""
    if not hmac.compare_digest(str(params.get("appKey", "")), app_key):
        return False
    if "sign" not in params and "appSecret" in params:
        return hmac.compare_digest(str(params["appSecret"]), secret)
    return hmac.compare_digest(str(params.get("sign", "")).upper(), dajisaas_sign(params, secret))


def dajisaas_app_secret_form(params: Mapping[str, Any], secret: str) -> dict[str, Any]:
    """Signed parameters in the debug form: `sign` replaced by the `appSecret` itself."""
    plain = {key: value for key, value in params.items() if key != "sign"}
    plain["appSecret"] = secret
    return plain


def dajisaas_message_signature(message: str, secret: str) -> str:
    """_dj_signature = UPPER(HEX(HMAC_SHA1(key=APPSECRET, msg="message" + message)))."""
    digest = hmac.new(secret.encode(), f"message{message}".encode(), hashlib.sha1)
    return digest.hexdigest().upper()


def dajisaas_message_valid(message: str, signature: str, secret: str) -> bool:
    return hmac.compare_digest(dajisaas_message_signature(message, secret), signature.upper())
