"""An order's or a refund case's stored reason and upstream code read in the admin as on its
page: the reason in the reader's language (its stored words), the upstream's status in words.
The words themselves (`attention_words`, a JSON record) are not shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from purchasing import glossary

IN_WORDS = {"attention_reason": "attention", "upstream_status": "upstream_status_words"}


class InWordsAdminMixin:
    """For the admin of a model with `attention_reason`, `attention_words`, `upstream_status`."""

    exclude = ("attention_words",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[Any]:
        return [*super().get_readonly_fields(request, obj), *IN_WORDS.values()]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[Any]:
        fields = [IN_WORDS.get(name, name) for name in super().get_fields(request, obj)]
        # Without declared fields Django lists the form's fields, then the read-only ones again.
        return list(dict.fromkeys(fields))

    @admin.display(description=_("attention reason"))
    def attention(self, obj: Any) -> str:
        return glossary.attention(obj) or "—"

    @admin.display(description=_("upstream status"))
    def upstream_status_words(self, obj: Any) -> str:
        return glossary.status_words(obj.upstream_status) or "—"
