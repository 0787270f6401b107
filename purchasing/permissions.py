"""The staff permissions Caigou checks, and how staff pages say who may open them. Which role
holds which permission is the site shell's table (`backoffice.roles`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required


def staff_page(permission: str | None = None) -> Callable:
    """Login required; with a permission ("purchasing.<codename>"), 403 for staff without it."""

    def decorate(view: Callable) -> Callable:
        if permission:
            view = permission_required(permission, raise_exception=True)(view)
        return login_required(view)

    return decorate


# The permission that marks an administrator (see is_admin).
ADMIN_PERMISSION = "auth.change_user"

# Custom permissions, all under the `purchasing` label (codename: description). They are declared
# on StaffProfile so Django keeps them, and checked as "purchasing.<codename>".
PERMISSIONS: dict[str, str] = {
    "search_goods": "Search goods and open items",
    "use_carts": "Fill and edit the upstream carts",
    "create_order": "Create and preview purchase orders",
    "submit_order": "Submit purchase orders within one's own limit",
    "approve_order": "Approve or reject orders above the threshold",
    "pay_order": "Pay purchase orders",
    "view_orders": "See purchase orders",
    "manage_aftersales": "Open and follow refunds and returns",
    "manage_logistics": "Manage addresses, freight estimates and parcels",
    "view_reports": "See the manager dashboard and reports",
    "export_reports": "Export reports",
}


def is_admin(user: Any) -> bool:
    """Whether `user` may use the Django admin (exchange rates, users, storefront keys): an
    active superuser or member of the admin role.

    Asked as "may change users", which only the admin role holds: whoever may edit users can
    make themselves anything, so that permission is the admin role in all but name. It is read
    from the permission cache the navigation fills anyway, so a page pays no extra query.
    """
    return bool(user.is_authenticated and user.is_active and user.has_perm(ADMIN_PERMISSION))
