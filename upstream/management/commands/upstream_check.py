"""`python manage.py upstream_check`: is the configured upstream what Caigou reads?"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from upstream.management.conformance import OK, run_checks


class Command(BaseCommand):
    help = (
        "Read-only conformance check of the configured upstream: the signature is accepted, and "
        "goods search, product detail, cart list, address get, freight estimate and order list "
        "answer in the shape Caigou reads. Exits non-zero on a refused signature or a drift. "
        "Never creates, pays or changes anything."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--keyword", default="手机壳", help="what to search goods for")
        parser.add_argument(
            "--dajisaas",
            action="store_true",
            help="check Dajisaas too (always done when it buys on 1688)",
        )

    def handle(self, *args, keyword: str, dajisaas: bool, **options) -> None:
        dajisaas = dajisaas or settings.UPSTREAM_PROVIDER_1688 == "dajisaas"
        rows = run_checks(keyword=keyword, dajisaas=dajisaas)
        width = max(len(row.name) for row in rows)
        self.stdout.write(f"{'check'.ljust(width)}  result   detail")
        for row in rows:
            detail = "; ".join(row.problems)
            self.stdout.write(f"{row.name.ljust(width)}  {row.status.ljust(7)}  {detail}")
        failed = [row for row in rows if row.status != OK]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(rows)} checks failed: "
                + ", ".join(f"{row.name} ({row.status})" for row in failed)
            )
        self.stdout.write(self.style.SUCCESS(f"all {len(rows)} checks ok"))
