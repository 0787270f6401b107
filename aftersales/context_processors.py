"""The after-sales "action needed" count beside the After-sales navigation item."""

from __future__ import annotations

from django.http import HttpRequest

# Only where the count is wanted most: every other page keeps its asserted query budget.
BADGE_PREFIXES = ("/aftersales", "/dashboard")


def action_needed(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not (request.path == "/" or request.path.startswith(BADGE_PREFIXES)):
        return {}
    if not user.has_perm("purchasing.manage_aftersales"):
        return {}
    from aftersales.selectors import action_needed_count

    return {"aftersales_action_needed": action_needed_count()}
