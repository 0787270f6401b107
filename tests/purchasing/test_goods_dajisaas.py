"""The goods search page with 1688 bought through Dajisaas, against the sandbox over real HTTP:
the category filter lists Dajisaas's own categories (its category query), not PandaPon's."""

from __future__ import annotations

from purchasing.routes import route_of
from tests.purchasing.factories import search
from upstream.models import CallJournal
from upstream.sandbox.catalogue import PARENTS


def test_the_1688_category_filter_lists_dajisaas_categories_in_dajisaas_mode(
    live, purchaser, settings
):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"

    response = search(purchaser, platform="1688", q="男")

    names = dict(response.context["categories"])
    # Dajisaas's records carry Chinese names only; PandaPon's would read "Men's clothing · 男装".
    assert names == {cid: zh for cid, (zh, *_rest) in PARENTS.items()}
    asked = set(CallJournal.objects.values_list("operation", flat=True))
    assert "dj_category_get" in asked and "alibaba_category_get" not in asked


def test_each_provider_keeps_its_own_category_list(live, purchaser, settings):
    settings.UPSTREAM_PROVIDER_1688 = "pandapon"
    pandapon = dict(search(purchaser, platform="1688", q="男").context["categories"])
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    dajisaas = dict(search(purchaser, platform="1688", q="男").context["categories"])

    assert pandapon["10165"].startswith("Men's clothing") and dajisaas["10165"] == "男装"
    assert [c.category_id for c in route_of("1688", "dajisaas").categories()] == list(PARENTS)
