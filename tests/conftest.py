"""Fixtures every test can use: a signed-in client per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.purchasing.factories import StaffUserFactory


@pytest.fixture
def staff_user(db) -> Callable:
    """Make a staff user in a role: `staff_user("approver")`."""
    return lambda role, **kwargs: StaffUserFactory(role=role, **kwargs)


@pytest.fixture
def client_as(staff_user) -> Callable[[str], Client]:
    """A test client signed in as a fresh user of the given role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(staff_user(role))
        return client

    return make
