"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis): for
generated valid and invalid requests, with a real key against the sandbox upstream, no server
error and every response as documented.

CAIGOU_FUZZ_EXAMPLES sets the examples per operation (default 40: a few hundred in all);
`make fuzz` runs thousands.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.storefront.api_fixtures import api_for, order_body
from upstream import accounts
from upstream.sandbox.catalogue import seed_catalogue

# Every request the schema allows need not be accepted: an address is checked per country
# (phone and postcode rules) and an order names goods that must exist, which no schema can say.
# The other checks stand: no 5xx, responses, statuses, headers and content types as documented,
# and every request the schema forbids is refused.
EXAMPLES = int(os.environ.get("CAIGOU_FUZZ_EXAMPLES", "40"))


@pytest.fixture
def live_api(live_server, settings, transactional_db, storefront):
    """The API and the sandbox served by live_server, a key with every scope and a few orders."""
    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.UPSTREAM_READ_ATTEMPTS = 1
    settings.CAIGOU_STOREFRONT_API_RATE = "1000000/min"
    seed_catalogue(products=20)
    api = api_for(storefront)
    for n in range(3):
        api.post("orders/", order_body(external_id=f"FUZZ-{n}"))
    yield live_server.url, api.raw
    accounts.pandapon().transport.session.close()
    accounts.dajisaas().transport.session.close()
    cache.clear()


OPERATIONS = [
    ("GET", "/api/v1/orders/"),
    ("POST", "/api/v1/orders/"),
    ("GET", "/api/v1/orders/{id}/"),
    ("POST", "/api/v1/orders/{id}/cancel/"),
    ("POST", "/api/v1/orders/{id}/decisions/"),
    ("GET", "/api/v1/goods/search/"),
    ("GET", "/api/v1/goods/{platform}/{item_id}/"),
    ("POST", "/api/v1/freight/estimate/"),
]


def test_every_operation_is_fuzzed(live_api):
    url, _ = live_api
    loaded = schemathesis.openapi.from_url(f"{url}/api/schema/")
    found = {(op.ok().method.upper(), op.ok().path) for op in loaded.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_api_keeps_its_schema(live_api, method, path):
    url, raw = live_api
    operation = schemathesis.openapi.from_url(f"{url}/api/schema/")[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(
            base_url=url,
            headers={"Authorization": f"Bearer {raw}"},
            excluded_checks=[positive_data_acceptance],
        )

    check()
