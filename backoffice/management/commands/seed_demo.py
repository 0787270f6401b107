import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backoffice.demo import demo_history_create, demo_rates_create, demo_users_create
from backoffice.demo_baskets import demo_baskets_create
from backoffice.demo_key import demo_summary
from backoffice.demo_rules import demo_approval_rules_create


class Command(BaseCommand):
    help = (
        "Create the demo users, one per role, and with --history N a history of N purchase "
        "orders over the last 90 days. Only with DEBUG on; a second run changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--history",
            type=int,
            default=0,
            metavar="N",
            help="make sure there are N purchase orders, made against the sandbox (default 0)",
        )
        parser.add_argument(
            "--new-api-key",
            action="store_true",
            help="revoke the demo storefront's API key and issue another (kept otherwise)",
        )
        parser.add_argument(
            "--no-summary",
            action="store_true",
            help="do not print the logins and the key (`make run` prints them once serving)",
        )

    def handle(
        self, *args, history: int = 0, new_api_key: bool = False, no_summary: bool = False, **_
    ) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with a published password, so it only runs with DEBUG on."
            )
        rates = demo_rates_create()
        if rates:
            self.stdout.write(f"Created demo exchange rates: {', '.join(rates)}.")
        created = demo_users_create()
        if created:
            self.stdout.write(f"Created demo users: {', '.join(created)}.")
        else:
            self.stdout.write("Demo users already exist; nothing changed.")
        if history > 0:
            self._history(history)
        rules = demo_approval_rules_create()
        if rules:
            self.stdout.write(f"Created demo approval rules: {'; '.join(rules)}.")
        baskets = demo_baskets_create()
        if baskets:
            self.stdout.write(f"Filled demo baskets: {', '.join(baskets)}.")
        summary = demo_summary(rotate=new_api_key)  # issues the key when there is none yet
        if not no_summary:
            self.stdout.write("\n".join(summary))

    def _history(self, count: int) -> None:
        if not settings.UPSTREAM_SANDBOX:
            raise CommandError("--history places orders with the sandbox upstream: it is off.")
        self.stdout.write(f"Demo history: making sure there are {count} purchase orders…")
        try:
            with _quiet("upstream.client", "purchasing.orders"):  # refused prices are the point
                made = demo_history_create(count, progress=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if made:
            self.stdout.write(self.style.SUCCESS(f"Created {made} demo purchase orders."))
        else:
            self.stdout.write("The demo history is already there; nothing changed.")


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Only errors from these loggers while the block runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
