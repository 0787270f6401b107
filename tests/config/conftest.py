"""Config tests that follow an order through the sandbox borrow the order tests' fixtures."""

from tests.orders.conftest import live, people  # noqa: F401 - fixtures, found by name
