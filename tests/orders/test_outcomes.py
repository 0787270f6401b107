"""What a failed create or pay means: unknown unless it certainly did not happen."""

from __future__ import annotations

import pytest

from purchasing.services.orders.outcomes import Outcome, outcome_of
from upstream import errors


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (errors.UpstreamTimeout("late", outcome_unknown=True), Outcome.UNKNOWN),
        (errors.InvalidResponse("no envelope", outcome_unknown=True), Outcome.UNKNOWN),
        (errors.error_for_code(7301)("what is this", code=7301), Outcome.UNKNOWN),
        (errors.BusinessError("inner refusal, no code"), Outcome.UNKNOWN),
        (errors.UpstreamTimeout("connect timeout", outcome_unknown=False), Outcome.RETRY),
        (errors.RateLimited("slow down", code=429), Outcome.RETRY),
        (errors.error_for_code(1002)("price changed", code=1002), Outcome.PERSON),
        (errors.error_for_code(1001)("out of stock", code=1001), Outcome.PERSON),
        (errors.error_for_code(1004)("over 50 SKUs", code=1004), Outcome.PERSON),
        (errors.error_for_code(1006)("balance", code=1006), Outcome.PERSON),
        (errors.error_for_code(400)("missing field", code=400), Outcome.FAILED),
    ],
)
def test_only_what_certainly_did_not_happen_fails(error, outcome):
    assert outcome_of(error) == outcome
