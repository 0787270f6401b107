"""`python manage.py sandbox_seed [--products N] [--seed S]`: fill the sandbox catalogue."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Platform, Product, Shop, Sku


class Command(BaseCommand):
    help = "Create the sandbox catalogue (deterministic; creates only what is missing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--products", type=int, default=2000, help="how many (default 2000)")
        parser.add_argument("--seed", type=int, default=1, help="which catalogue (default 1)")

    def handle(self, *args, products: int, seed: int, **options) -> None:
        started = time.monotonic()
        shops, skus = Shop.objects.count(), Sku.objects.count()
        created = seed_catalogue(products=products, seed=seed)
        elapsed = time.monotonic() - started
        if not created:
            self.stdout.write(f"The catalogue already has these {products} products (seed {seed}).")
            return
        taobao = Product.objects.filter(platform=Platform.TAOBAO).count()
        alibaba = Product.objects.filter(platform=Platform.ALIBABA).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} products, {Shop.objects.count() - shops} shops and "
                f"{Sku.objects.count() - skus} SKUs in {elapsed:.1f} s (seed {seed}). "
                f"Catalogue now: {taobao} Taobao items, {alibaba} 1688 offers."
            )
        )
