"""`manage.py upstream_check` against the sandbox over real HTTP, in both profiles: every row ok
with the right secret, a refused signature named with a wrong one, and never a write."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import CommandError, call_command

from upstream import accounts
from upstream.sandbox import router
from upstream.sandbox.catalogue import seed_catalogue
from upstream.sandbox.models import Address, CartItem, LedgerEntry, Order, Product

ROWS = (
    "goods search (1688)",
    "goods search (Taobao)",
    "product detail (1688)",
    "product detail (Taobao)",
    "cart list (1688)",
    "cart list (Taobao)",
    "address get",
    "freight estimate",
    "order list (1688)",
    "order list (Taobao)",
    "goods search (Dajisaas 1688)",
    "product detail (Dajisaas 1688)",
    "order list (Dajisaas 1688)",
)


@pytest.fixture(params=["rich", "documented"])
def keyword(sandbox, settings, request) -> str:
    """A keyword the catalogue answers, with the sandbox in each profile: the check reads only
    what the pages document, so the documented upstream passes it too."""
    settings.SANDBOX_PROFILE = request.param
    seed_catalogue(products=40)
    return Product.objects.order_by("pk").first().category_name


def writes() -> tuple[int, ...]:
    """What a write would have left in the sandbox's books."""
    return (
        LedgerEntry.objects.count(),
        Order.objects.count(),
        CartItem.objects.count(),
        Address.objects.count(),
    )


def run(capsys, **options) -> str:
    call_command("upstream_check", "--dajisaas", **options)
    return capsys.readouterr().out


def test_the_sandbox_passes_every_check_and_nothing_is_written(keyword, capsys):
    before = writes()

    out = run(capsys, keyword=keyword)

    for name in ROWS:
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert " ok " in line + " ", line
    assert "signature (pandapon)" in out and "signature (dajisaas)" in out
    assert f"all {len(ROWS) + 2} checks ok" in out
    assert writes() == before


@pytest.mark.parametrize("provider", ["pandapon", "dajisaas"])
def test_a_wrong_secret_fails_naming_the_refused_signature(keyword, capsys, monkeypatch, provider):
    # The sandbox checks against the settings' account: only the client's secret goes wrong.
    configured = getattr(accounts, f"{provider}_account")
    monkeypatch.setattr(
        accounts,
        f"{provider}_account",
        lambda: dataclasses.replace(configured(), secret="not-the-secret"),
    )
    before = writes()

    with pytest.raises(CommandError, match=f"signature \\({provider}\\) \\(refused\\)"):
        run(capsys, keyword=keyword)

    out = capsys.readouterr().out
    assert "the upstream refused our signature" in out
    assert writes() == before


def test_a_drift_in_what_caigou_reads_fails_the_check(keyword, capsys, monkeypatch):
    monkeypatch.setitem(router.HANDLERS, "alibaba_cart_list", lambda call: {"other": []})

    with pytest.raises(CommandError, match="cart list \\(1688\\) \\(drift\\)"):
        run(capsys, keyword=keyword)

    assert "data.enableList is not a list" in capsys.readouterr().out
