import pytest

from purchasing.upstream_errors import upstream_message
from upstream import errors


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (errors.RateLimited("slow down"), "rate limited"),
        (errors.UpstreamTimeout("late"), "did not answer in time"),
        (errors.UpstreamUnavailable("502"), "not reachable"),
        (errors.ConnectionFailed("reset"), "not reachable"),
        (errors.NotFound("gone"), "no such item"),
        (errors.OutOfStock("库存不足", request_id="abc123"), "库存不足 (upstream request abc123)"),
    ],
)
def test_every_upstream_failure_reads_as_a_sentence(error, words):
    assert words in upstream_message(error)
