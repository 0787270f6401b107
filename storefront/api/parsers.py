"""The one JSON parser of the storefront API: a body is refused (400, `malformed_request`)
unless it is UTF-8 text, valid JSON, nested at most MAX_DEPTH levels, and every string in it
(keys included) is text that a database can keep: no unpaired surrogate, no NUL."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from storefront.api.errors import PayloadTooLarge

MAX_BODY_BYTES = 1024 * 1024  # 100 lines of order fit in a few kB

# An order is three levels deep ({"lines": [{...}]}); anything far past that is an attack on
# the parser or on whatever walks the data later.
MAX_DEPTH = 32


class TextJSONParser(BaseParser):
    """JSON whose strings are text, nested no deeper than MAX_DEPTH."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        raw = stream.read(MAX_BODY_BYTES + 1)  # a body without a length is bounded too
        if len(raw) > MAX_BODY_BYTES:
            raise PayloadTooLarge(MAX_BODY_BYTES)
        return parse_json(raw)


def parse_json(raw: bytes) -> Any:
    """`raw` as JSON, or a ParseError whose message says what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(_("The body is not UTF-8 text.")) from exc
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:  # the C decoder's own stack guard, far past MAX_DEPTH
        raise ParseError(too_deep()) from exc
    except json.JSONDecodeError as exc:
        raise ParseError(
            _("The body is not valid JSON: %(error)s (line %(line)s, column %(column)s).")
            % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from exc
    except ValueError as exc:  # a number past Python's digit limit
        raise ParseError(_("The body holds a number too long to read.")) from exc
    check_text(data)
    return data


def too_deep() -> str:
    return _("The body is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}


def check_text(data: Any) -> None:
    """Refuse nesting past MAX_DEPTH and strings that are not storable text.

    Walks with an explicit stack, so that the check itself cannot run out of recursion.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_string(value)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(too_deep())
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_string(key)
                stack.append((item, depth + 1))


def _check_string(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError(
            _("The body holds an unpaired surrogate escape (such as \\ud800): not text.")
        ) from exc
    if "\x00" in value:
        raise ParseError(_("The body holds a NUL character (\\u0000), which no field accepts."))


def _refuse_constant(name: str) -> Any:
    raise ParseError(
        _("The body holds %(name)s, which JSON does not allow: send a number.") % {"name": name}
    )
