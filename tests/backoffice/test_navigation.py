"""The navigation offers a person only what they may open: the Django admin link is for the
administrators who may use the admin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees_admin"),
    [("purchaser", False), ("approver", False), ("finance", False), ("admin", True)],
)
def test_only_those_who_may_use_the_admin_see_its_link(client_as, role, sees_admin):
    client = client_as(role)
    html = client.get("/dashboard/").content.decode()

    assert ('href="/admin/"' in html) is sees_admin
    assert (client.get("/admin/").status_code == 200) is sees_admin
