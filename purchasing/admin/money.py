"""Money in the admin reads and is typed in yuan, as on the staff pages; the columns stay in fen.

`YuanAdminMixin` goes on every admin and inline whose model keeps amounts in `*_fen` columns:
an amount shown read-only (a read-only field, a view-only page, a list column) reads "¥1,234.50";
an editable one is typed in yuan ("1234.50") and saved in fen. Its label is the column's name
without the "(fen)" the column's own name carries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.functional import lazy

from purchasing.money import format_cny

SHOWN = "_in_yuan"  # the suffix of the display made for each `*_fen` column
CENT = Decimal("0.01")


def fen_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's integer columns that hold an amount in fen."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name.endswith("_fen") and isinstance(field, models.IntegerField)
    ]


def _label(field: models.Field) -> str:
    name = str(field.verbose_name)
    for unit in (" (fen)", "（分）"):
        name = name.removesuffix(unit)
    return name


def yuan_label(field: models.Field) -> str:
    """The column's name in the active language, without its "(fen)", evaluated when shown."""
    return lazy(_label, str)(field)


def _display(field: models.Field) -> Callable[[models.Model], str]:
    @admin.display(description=yuan_label(field), ordering=field.name)
    def show(obj: models.Model) -> str:
        return format_cny(getattr(obj, field.name))

    show.__name__ = field.name + SHOWN
    return show


class YuanField(forms.DecimalField):
    """An amount typed in yuan, at most two decimals; `clean` gives fen."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return _yuan(value) if isinstance(value, int) else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(_yuan(initial) if isinstance(initial, int) else initial, data)

    def clean(self, value: Any) -> int | None:
        yuan = super().clean(value)
        return None if yuan is None else int((yuan * 100).to_integral_value(ROUND_HALF_UP))


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


class YuanAdminMixin:
    """See the module: shows `*_fen` columns in yuan and takes them in yuan."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A model admin learns its model here, at registration; an inline has it already.
        for field in fen_fields(self.model):
            setattr(self, field.name + SHOWN, _display(field))

    def _read_in_yuan(self, request: HttpRequest, obj: Any, readonly: Sequence[Any]) -> set[str]:
        """The `*_fen` columns this page shows rather than edits."""
        view_only = not self.has_change_permission(request, obj)
        fen = {field.name for field in fen_fields(self.model)}
        return {name for name in fen if view_only or name in readonly}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[Any]:
        readonly = list(super().get_readonly_fields(request, obj))
        shown = self._read_in_yuan(request, obj, readonly)
        kept = [name for name in readonly if name not in shown]
        return kept + sorted(name + SHOWN for name in shown)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[Any]:
        readonly = super().get_readonly_fields(request, obj)
        shown = self._read_in_yuan(request, obj, readonly)
        fields = super().get_fields(request, obj)
        fields = [name + SHOWN if name in shown else name for name in fields]
        # Without declared fields Django lists the form's fields, then the read-only ones again.
        return list(dict.fromkeys(fields))

    def get_list_display(self, request: HttpRequest) -> Sequence[Any]:
        fen = {field.name for field in fen_fields(self.model)}
        return [name + SHOWN if name in fen else name for name in super().get_list_display(request)]

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field in fen_fields(self.model):
            return YuanField(
                label=yuan_label(db_field),
                required=not db_field.blank,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
