"""Staff roles: Django groups and the permissions each one holds, kept in one table.

The permissions themselves are declared by the apps that check them (`purchasing.permissions`);
which role holds which is the site's decision, made here.

The groups are created by a data migration and brought back in line with this table after every
`migrate`, so a permission added here (or a model added later) reaches its roles without a hand
edit. The README's role matrix is this table in prose.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from purchasing.permissions import PERMISSIONS

PURCHASER = "purchaser"
APPROVER = "approver"
FINANCE = "finance"
ADMIN = "admin"
ROLE_NAMES = (PURCHASER, APPROVER, FINANCE, ADMIN)
# A role's name as a person reads it (the group's name stays the key).
ROLE_LABELS = {
    PURCHASER: _("purchaser"),
    APPROVER: _("approver"),
    FINANCE: _("finance"),
    ADMIN: _("admin"),
}
_PURCHASER = (
    "purchasing.view_exchangerate",
    "search_goods",
    "use_carts",
    "create_order",
    "submit_order",
    "view_orders",
    "manage_aftersales",
    "manage_logistics",
)

# Role -> permissions: a bare codename is one of PERMISSIONS; "app_label.codename" is a model
# permission Django makes (skipped until its model exists). The admin role holds every one, and
# only the admin role reaches the Django admin (see is_admin): exchange rates, users, storefront
# keys and raw upstream messages are set there.
ROLES: dict[str, tuple[str, ...]] = {
    PURCHASER: _PURCHASER,
    APPROVER: (
        *_PURCHASER,
        "approve_order",
        "pay_order",
        "view_reports",
        "export_reports",
    ),
    FINANCE: (
        "view_orders",
        "pay_order",
        "view_reports",
        "export_reports",
        "purchasing.view_exchangerate",
    ),
    ADMIN: tuple(PERMISSIONS),
}


def sync_roles(apps: Any) -> None:
    """Create the role groups and give each exactly the permissions of ROLES.

    `apps` is a migration's historical registry or `django.apps.apps`; the custom permissions are
    created here when Django has not created them yet (as inside a migration).
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")

    content_type, _ = content_type_model.objects.get_or_create(
        app_label="purchasing", model="staffprofile"
    )
    custom = {
        codename: permission_model.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    }
    for role, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=role)
        if role == ADMIN:
            group.permissions.set(permission_model.objects.all())
        else:
            found = (_permission(permission_model, custom, codename) for codename in codenames)
            group.permissions.set([permission for permission in found if permission is not None])


def _permission(permission_model: Any, custom: dict, codename: str) -> Any:
    if "." not in codename:
        return custom[codename]
    app_label, model_codename = codename.split(".", 1)
    return permission_model.objects.filter(
        content_type__app_label=app_label, codename=model_codename
    ).first()


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate: once the last app has migrated, align the groups with ROLES."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    if sender.label != "purchasing":
        return
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_roles(apps)
