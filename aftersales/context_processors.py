"""The after-sales "action needed" count beside the After-sales navigation item, on every page.

Lazy: the count is read only when a template shows it (the navigation of a full page, not an
HTMX partial), and it comes from the cache (selectors.action_needed_count), so a page pays one
query at most, and none while the cache is warm."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def action_needed(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not user.has_perm("purchasing.manage_aftersales"):
        return {}
    from aftersales.selectors import action_needed_count

    return {"aftersales_action_needed": SimpleLazyObject(action_needed_count)}
