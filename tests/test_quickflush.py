"""A transactional test ends with the database as Django's flush would leave it: every table
empty but for what post_migrate makes (content types, permissions, the roles' groups)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase

from tests.orders.factories import ADDRESS
from tests.purchasing.factories import StaffUserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the quick flush is PostgreSQL's"
)


def rows() -> dict[str, list[tuple]]:
    """Every Django table's rows, ids and references left out (a flush does not reset
    sequences: post_migrate's rows get new ones); `roles()` compares the references."""
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                if c.name != "id" and not c.name.endswith("_id")
            ]
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)}")
            found[table] = sorted(map(repr, cursor.fetchall()))
    return found


def roles() -> dict[str, list[str]]:
    groups = Group.objects.prefetch_related("permissions__content_type")
    return {group.name: sorted(_name(p) for p in group.permissions.all()) for group in groups}


def _name(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


@pytest.mark.django_db(transaction=True)
def test_the_quick_end_leaves_what_a_django_flush_leaves():
    from purchasing.services.orders.preview import NewLine, order_create

    user = StaffUserFactory(role="purchaser")
    Group.objects.create(name="made by a test").permissions.add(Permission.objects.first())
    line = NewLine(item_id="1", quantity=1, unit_price_fen=100, title="t", seller_id="s")
    order_create(platform="taobao", lines=[line], address=ADDRESS, actor=user)

    TransactionTestCase()._fixture_teardown()
    quick, quick_roles = rows(), roles()
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)

    assert quick == rows()
    assert quick_roles == roles() and "made by a test" not in quick_roles
    assert quick["auth_permission"] and quick["auth_group"] and quick["django_content_type"]
    assert not quick["auth_user"] and not quick["purchasing_purchaseorder"]
