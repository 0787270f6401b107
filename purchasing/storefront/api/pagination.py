"""Cursor pagination for order lists: newest first by creation time (a stable key, so a page
never repeats or skips an order that changes while a storefront pages through)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination
from rest_framework.response import Response


class OrderCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_cursor_message = "The cursor is not valid: use the `next` or `previous` link as given."

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )
