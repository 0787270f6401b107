"""A report column: its header, where its value comes from, and how it is shown.

Every column is an ORM expression, so one query serves the page, the row writer and COPY. The
row writer formats the raw values in Python; on PostgreSQL `sql()` wraps the same expression so
that COPY writes exactly what the row writer would.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Expression,
    F,
    Func,
    Value,
    When,
)
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from purchasing.phrases import restored

# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection");
# tab and carriage return are there because some spreadsheets strip them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TEXT, MONEY, INT, DATETIME, BOOL, CHOICE = "text", "money", "int", "datetime", "bool", "choice"
# Text kept in the site's language with its words (purchasing/phrases.py): said again in the
# reader's. COPY can only write the stored text, so it serves such a report only to a reader
# of the site's language (writers.uses_copy).
WORDS = "words"


def neutralise(value: str) -> str:
    """Prefix a formula-looking cell with an apostrophe, so a spreadsheet shows it as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def yuan(fen: int | None) -> str:
    """1234 fen as "12.34"; nothing as an empty cell."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def local_text(value: datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def said_again(value: dict[str, Any] | None) -> str:
    """A WORDS column's cell: its words in the active language, else the text as stored."""
    if not value:
        return ""
    words = value.get("words")
    if isinstance(words, str):
        # SQLite's json_object() nests a JSON column's value as a string (PostgreSQL as JSON).
        words = json.loads(words)
    return str(restored(words, value.get("text") or ""))


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _text(value: Any) -> str:
    return "" if value is None else neutralise(str(value))


class _Neutralised(Func):
    """PostgreSQL only (COPY): an apostrophe before a formula-looking cell."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        # The value appears three times, so its parameters are passed three times. An empty
        # string is NULL here: COPY writes "" for an empty string and nothing for NULL, the
        # row writer nothing for both.
        inner, params = compiler.compile(self.source_expressions[0])
        inner = f"NULLIF({inner}, '')"
        sql = (
            f"CASE WHEN left({inner}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
            f"THEN '''' || {inner} ELSE {inner} END"
        )
        return sql, (*params, *params, *params)


class _Yuan(Func):
    template = "round((%(expressions)s)::numeric / 100, 2)"
    output_field = DecimalField(max_digits=16, decimal_places=2)


class _LocalText(Func):
    template = "to_char((%(expressions)s) AT TIME ZONE %%s, 'YYYY-MM-DD HH24:MI:SS')"
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        sql, params = super().as_sql(compiler, connection, **extra)
        return sql, (*params, settings.TIME_ZONE)


@dataclass(frozen=True)
class Column:
    header: str | Promise  # a lazy translation: the heading is read in the person's language
    source: str | Expression  # a field path, or an expression over the report's rows
    kind: str = TEXT
    choices: dict[str, Any] = field(default_factory=dict)  # CHOICE: value -> label (maybe lazy)
    total: bool = True  # MONEY: summed under the table (not for unit prices)
    words: str = ""  # WORDS: the field holding the text's words (`source` holds the text)

    @property
    def heading(self) -> str:
        """The header a person reads: a money column names its unit (amounts are in yuan)."""
        return f"{self.header} (¥)" if self.kind == MONEY else str(self.header)

    def expression(self) -> Expression:
        if self.kind == WORDS:
            return JSONObject(text=F(self.source), words=F(self.words))
        return F(self.source) if isinstance(self.source, str) else self.source

    def sql(self) -> Expression:
        """The expression COPY selects: formatted by PostgreSQL as `python()` formats it."""
        expr = self.expression()
        if self.kind == MONEY:
            return _Yuan(expr)
        if self.kind == DATETIME:
            return _LocalText(expr)
        if self.kind == BOOL:
            return Case(
                When(**{self._lookup(expr): True}, then=Value(_("yes"))),
                default=Value(_("no")),
                output_field=CharField(),
            )
        if self.kind == CHOICE:
            labelled = Case(
                *[
                    When(**{self._lookup(expr): k}, then=Value(str(v)))
                    for k, v in self.choices.items()
                ],
                default=expr,
                output_field=CharField(),
            )
            return _Neutralised(labelled)
        if self.kind == TEXT:
            return _Neutralised(expr)
        if self.kind == WORDS:
            return _Neutralised(F(self.source))
        return expr

    def _lookup(self, expr: Expression) -> str:
        # When(...) takes a lookup; an expression column is compared through an alias-free Q.
        if isinstance(self.source, str):
            return self.source
        raise ValueError(f"{self.header}: bool and choice columns need a field path")

    def python(self) -> Callable[[Any], str]:
        """The function that makes the CSV cell from a raw value (the row writer)."""
        if self.kind == MONEY:
            return yuan
        if self.kind == DATETIME:
            return local_text
        if self.kind == BOOL:
            yes, no = _("yes"), _("no")  # once per export, not once per cell
            return lambda v: "" if v is None else (yes if v else no)
        if self.kind == INT:
            return _plain
        if self.kind == CHOICE:
            choices = self.choices
            return lambda v: "" if v is None else neutralise(str(choices.get(v, v)))
        if self.kind == WORDS:
            return lambda v: neutralise(said_again(v))
        return _text

    def label(self, value: Any) -> str:
        """A choice's or a yes/no column's text, unneutralised (XLSX cells are written as
        strings, never as formulas)."""
        if self.kind == BOOL:
            return _("yes") if value else _("no")
        return str(self.choices.get(value, value))
