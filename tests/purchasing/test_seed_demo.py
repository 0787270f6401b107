import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from purchasing.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert get_user_model().objects.count() == 0


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_creates_one_user_per_role_who_can_sign_in(capsys):
    call_command("seed_demo")

    for username in ("purchaser", "approver", "finance", "admin"):
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert list(user.groups.values_list("name", flat=True)) == [username]
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "caigou-demo" in capsys.readouterr().out


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    user = get_user_model().objects.get(username="purchaser")
    user.set_password("changed-by-the-user")
    user.save()
    before = list(get_user_model().objects.order_by("pk").values())

    call_command("seed_demo")

    assert list(get_user_model().objects.order_by("pk").values()) == before
