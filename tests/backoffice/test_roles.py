"""Roles are Django groups holding exactly the permissions of the matrix in backoffice.roles."""

import pytest
from django.contrib.auth.models import Group, Permission

from backoffice.roles import ROLE_NAMES, ROLES
from purchasing.permissions import PERMISSIONS


def perms_of(role: str) -> set[str]:
    """The role's permissions as the matrix names them (bare custom codename, or app.codename)."""
    names = set()
    for permission in Group.objects.get(name=role).permissions.select_related("content_type"):
        custom = permission.content_type.model == "staffprofile"
        if custom and permission.codename in PERMISSIONS:
            names.add(permission.codename)
        else:
            names.add(f"{permission.content_type.app_label}.{permission.codename}")
    return names


@pytest.mark.django_db
def test_migrations_create_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["purchaser", "approver", "finance"])
def test_role_holds_exactly_its_matrix_permissions(role):
    assert perms_of(role) == set(ROLES[role])


@pytest.mark.django_db
def test_admin_role_holds_every_permission():
    assert Group.objects.get(name="admin").permissions.count() == Permission.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may", "may_not"),
    [
        ("purchaser", ["search_goods", "use_carts"], ["approve_order", "pay_order"]),
        ("approver", ["approve_order", "export_reports", "use_carts"], []),
        ("finance", ["pay_order", "view_reports", "view_orders"], ["use_carts", "create_order"]),
    ],
)
def test_user_in_role_gets_its_permissions(staff_user, role, may, may_not):
    user = staff_user(role)
    for codename in may:
        assert user.has_perm(f"purchasing.{codename}"), codename
    for codename in may_not:
        assert not user.has_perm(f"purchasing.{codename}"), codename
