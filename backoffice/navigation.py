"""The navigation of the staff site, shown according to what the user may do."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from purchasing.permissions import is_admin


@dataclass(frozen=True)
class NavItem:
    label: str  # or a lazy translation
    url_name: str
    # None: every signed-in user; "staff": Django admin access (admins only); "sandbox": anyone
    # signed in, while the sandbox upstream is on
    permission: str | None
    prefix: str


NAV_ITEMS = (
    NavItem(_("Dashboard"), "dashboard", None, "/dashboard"),
    NavItem(_("My work"), "my_work", "purchasing.create_order", "/work"),
    NavItem(_("Goods"), "goods:index", "purchasing.search_goods", "/goods"),
    NavItem(_("My basket"), "baskets:mine", "purchasing.use_carts", "/baskets"),
    # The upstream account's cart, one for all staff (the page says so).
    NavItem(_("Upstream cart"), "carts:index", "purchasing.use_carts", "/carts"),
    NavItem(_("Orders"), "orders:index", "purchasing.view_orders", "/orders"),
    NavItem(_("After-sales"), "aftersales:index", "purchasing.manage_aftersales", "/aftersales"),
    NavItem(_("Logistics"), "logistics:index", "purchasing.manage_logistics", "/logistics"),
    NavItem(_("Reports"), "reports:index", "purchasing.view_reports", "/reports"),
    NavItem(_("Sandbox"), "sandbox:console", "sandbox", "/sandbox"),
    NavItem(_("Admin"), "admin:index", "staff", "/admin"),
)


def _allowed(user, permission: str | None) -> bool:
    if permission is None:
        return True
    if permission == "staff":
        return user.is_staff and is_admin(user)
    if permission == "sandbox":
        return bool(settings.UPSTREAM_SANDBOX) and is_admin(user)
    return user.has_perm(permission)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": path.startswith(item.prefix) or (item.prefix == "/dashboard" and path == "/"),
        }
        for item in NAV_ITEMS
        if _allowed(user, item.permission)
    ]
    return {"nav_items": items}
