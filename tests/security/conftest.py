"""Security tests reuse the order fixtures: people in each role and the live sandbox."""

from tests.orders.conftest import live, people  # noqa: F401
