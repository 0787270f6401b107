"""How staff pages say who may open them."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required


def staff_page(permission: str | None = None) -> Callable:
    """Login required; with a permission ("purchasing.<codename>"), 403 for staff without it."""

    def decorate(view: Callable) -> Callable:
        if permission:
            view = permission_required(permission, raise_exception=True)(view)
        return login_required(view)

    return decorate
