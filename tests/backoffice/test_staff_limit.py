"""A purchaser's own order limit is typed and shown in yuan in the admin, and kept in fen."""

from __future__ import annotations

import pytest

from purchasing.admin.goods import StaffProfileForm
from tests.purchasing.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


def test_the_limit_is_shown_in_yuan_and_kept_in_fen():
    profile = StaffUserFactory(role="purchaser").staff_profile
    profile.order_limit_fen = 200_000
    profile.save()
    assert str(StaffProfileForm(instance=profile)["order_limit"].value()) == "2000.00"

    form = StaffProfileForm({"order_limit": "1234.50"}, instance=profile)
    assert form.is_valid(), form.errors
    form.save()
    profile.refresh_from_db()
    assert profile.order_limit_fen == 123_450

    cleared = StaffProfileForm({"order_limit": ""}, instance=profile)
    assert cleared.is_valid()
    cleared.save()
    profile.refresh_from_db()
    assert profile.order_limit_fen is None
    assert not StaffProfileForm({"order_limit": "0"}, instance=profile).is_valid()


def test_the_admin_user_page_asks_for_the_limit_in_yuan(client_as):
    user = StaffUserFactory(role="purchaser")
    html = client_as("admin").get(f"/admin/auth/user/{user.pk}/change/").content.decode()

    assert "Order limit (¥)" in html and "order_limit_fen" not in html
