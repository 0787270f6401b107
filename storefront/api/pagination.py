"""Cursor pagination for order lists: newest first by creation time (a stable key, so a page
never repeats or skips an order that changes while a storefront pages through)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from storefront.api.errors import ApiError

DIGITS = re.compile(r"[0-9]{1,4}")


class OrderCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_cursor_message = "The cursor is not valid: use the `next` or `previous` link as given."

    def get_page_size(self, request: Request) -> int:
        """The asked page size, refused (400) rather than quietly replaced when it is not a
        whole number from 1 to max_page_size: a storefront paging by 500 must learn that it
        gets 100, not find out from a short page."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if DIGITS.fullmatch(value) and 1 <= int(value) <= self.max_page_size:
            return int(value)
        message = _("A whole number from 1 to %(max)d (default %(default)d).") % {
            "max": self.max_page_size,
            "default": self.page_size,
        }
        raise ApiError(
            _("Some fields are not valid: see `fields`."),
            code="invalid",
            fields={self.page_size_query_param: [message]},
        )

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )
