"""`manage.py create_storefront NAME [--webhook-url URL] [--scopes ...]`: a storefront and its
first API key, printed on the last line (only its hash is kept)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator
from django.db import transaction

from storefront.models import ALL_SCOPES, ApiKey, Storefront


class Command(BaseCommand):
    help = "Create a storefront and print its API key on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The storefront's name (unique).")
        parser.add_argument("--webhook-url", default="", help="Where order webhooks are sent.")
        parser.add_argument(
            "--scopes",
            nargs="+",
            choices=ALL_SCOPES,
            default=ALL_SCOPES,
            metavar="SCOPE",
            help=f"What the key may do (default: all of {' '.join(ALL_SCOPES)}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        url = options["webhook_url"].strip()
        if not name or len(name) > 100:
            raise CommandError("The name must be 1 to 100 characters.")
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError as exc:
                raise CommandError(f"Not a valid webhook URL: {url}") from exc
        if Storefront.objects.filter(name=name).exists():
            raise CommandError(f"A storefront named {name!r} exists; rotate its key in the admin.")
        scopes = [scope for scope in ALL_SCOPES if scope in options["scopes"]]
        with transaction.atomic():
            storefront = Storefront.objects.create(name=name, webhook_url=url, scopes=scopes)
            _, raw = ApiKey.issue(storefront, name="created by create_storefront")
        self.stdout.write(f"Storefront {name!r} created (id {storefront.pk}).")
        self.stdout.write(f"Scopes: {' '.join(scopes)}")
        if url:
            self.stdout.write(f"Webhooks go to {url}, signed with: {storefront.webhook_secret}")
        self.stdout.write("The API key follows; it is shown once and cannot be recovered:")
        self.stdout.write(raw)
