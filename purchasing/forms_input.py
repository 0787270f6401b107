"""Reading raw ids from forms and query strings, for the places that take them without a
form field (ticked checkboxes, repeated hidden inputs); a form's errors as sentences.

`str.isdigit()` is not enough: it accepts "²" and other Unicode digits that `int()` refuses,
and digit strings longer than Python converts or a database column holds."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext as _

MAX_ID_DIGITS = 18  # every such number fits a signed 64-bit column

# The full-width forms of ASCII (U+FF01 to U+FF5E) and the ideographic space, as a Chinese input
# method types them, to their ASCII. Only these: NFKC would also read "²" or "①" as digits.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: ord(" ")}


def half_width(text: str) -> str:
    """Text with full-width digits, letters, signs and spaces in their ASCII forms."""
    return text.translate(_HALF_WIDTH)


def as_id(value: object) -> int | None:
    """A positive whole number of ASCII digits that a database column holds, else None."""
    text = str(value).strip()
    if not text or len(text) > MAX_ID_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def as_ids(values: Iterable[object]) -> list[int]:
    """The values that are ids, in order; the rest are dropped."""
    return [number for number in map(as_id, values) if number is not None]


def is_id(value: object) -> bool:
    return as_id(value) is not None


def error_sentences(
    form: forms.Form, *, only: Iterable[str] = (), skip: Iterable[str] = ()
) -> list[str]:
    """ "Label: first error" for each field the form refused, for pages (or redirects) that
    show no error next to the field; non-field errors, and those of a field without a label of
    its own, as they are: a field's name is code, never words for a person."""
    only, skip = set(only), set(skip)
    sentences = []
    for name, errors in form.errors.items():
        if (only and name not in only) or name in skip:
            continue
        field = form.fields.get(name)
        label = (field.label or "") if field else ""
        sentences.append(
            _("%(label)s: %(error)s") % {"label": label, "error": errors[0]} if label else errors[0]
        )
    return sentences
