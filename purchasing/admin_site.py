"""The Django admin site of Caigou: only administrators may use it.

Django lets any `is_staff` user in, and every Caigou user is staff; the admin is where users,
exchange rates and storefront keys are set, so it is closed to every role but admin. The site
is installed through CaigouAdminConfig (in INSTALLED_APPS in place of django.contrib.admin),
which lives outside `purchasing.admin` because that package registers models on import.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purchasing.permissions import is_admin


class CaigouAdminSite(AdminSite):
    site_header = gettext_lazy("Caigou administration")
    site_title = gettext_lazy("Caigou admin")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_admin(request.user)

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        """Django sends a signed-in user who may not use the admin to its sign-in form; a
        Caigou user of another role gets the site's 403 page instead, which says why."""
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(_("The Django admin is for administrators only."))
            return inner(request, *args, **kwargs)

        return guarded


class CaigouAdminConfig(AdminConfig):
    default_site = "purchasing.admin_site.CaigouAdminSite"
