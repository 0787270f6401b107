"""Callback ingest under load: requests/s and latency of POST /callbacks/pandapon/ next to two
yardsticks on the same gunicorn: a bare Django view, and a bare view that stores the body with
one durable INSERT (bench/site_urls.py), the floor of store-first ingest.

    .venv/bin/python bench/callbacks.py [--seconds 10] [--connections 16] [--workers 2]

Every callback is a new message (its own body, its own freshly signed headers, computed before
the run), so each request verifies a signature, stores its row in PostgreSQL (one INSERT, which
also refuses a replayed signature) and raises the drain flag in Redis: the whole ingest path.
The INSERT yardstick gets the same requests. No worker applies the messages during the run.
Goal: at least 0.8 of the INSERT yardstick's rate, p99 under 50 ms, with `synchronous_commit`
on (the script prints it: a callback answered 200 must survive a crash).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import (
    BIN,
    FLOOR_TABLE,
    ROOT,
    Load,
    environment,
    gunicorn,
    prepare_database,
    require_tools,
    wrk,
)

VIEWS = ("bare Django view", "one durable INSERT", "PandaPon callback")
BARE = """
wrk.method = "POST"
wrk.body = '{"ok":true}'
wrk.headers["Content-Type"] = "application/json"
"""


def write_signed_requests(count: int, path: Path) -> None:
    """`count` signed PandaPon callbacks, one per line of `path`: the body, then header name
    and value pairs, tab-separated (a Lua table literal this long is past wrk's LuaJIT limits)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.conf import settings

    from upstream.signing import pandapon_headers

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        for number in range(count):
            headers = pandapon_headers(
                settings.PANDAPON_ACCESS_KEY,
                settings.PANDAPON_SECRET,
                settings.PANDAPON_USER_ID,
                fields=tuple(settings.PANDAPON_SIGN_FIELDS),
                secret_key=settings.PANDAPON_SIGN_SECRET_KEY,
                nonce_str=uuid.uuid4().hex,
            )
            body = json.dumps(
                {
                    "messageType": "TAOBAO_ORDER_STATUS_MODIFY",
                    "messagePlatform": 0,
                    "messageBody": {
                        "purchaseOrderId": f"BENCH{number:09d}",
                        "status": "WAIT_SELLER_SEND_GOODS",
                        "updatedAt": 1_700_000_000_000 + number,
                    },
                }
            )
            fields = [body, *(part for pair in headers.items() for part in pair)]
            out.write("\t".join(fields) + "\n")


CALLBACKS = """
local calls = {}
for line in io.lines(CALLS_FILE) do
  local fields = {}
  for field in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = field end
  local headers = {["Content-Type"] = "application/json"}
  for i = 2, #fields, 2 do headers[fields[i]] = fields[i + 1] end
  calls[#calls + 1] = {h = headers, b = fields[1]}
end
local count = #calls
counter = 0
stride = 2
offset = 0
function setup(thread)
  thread:set("offset", START + counter)
  counter = counter + 1
end
function request()
  offset = offset + stride
  local call = calls[(offset % count) + 1]
  return wrk.format("POST", nil, call.h, call.b)
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread above 1)")
    parser.add_argument("--calls", type=int, default=60_000, help="distinct signed callbacks")
    parser.add_argument("--rounds", type=int, default=3, help="each view once per round")
    args = parser.parse_args()
    require_tools()
    env = environment()
    prepare_database(env)
    _clear(env)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL")})
    print(f"signing {args.calls} callbacks ...", flush=True)
    calls_file = ROOT / "var" / "bench" / "callbacks.tsv"
    write_signed_requests(args.calls, calls_file)
    calls_script = f"CALLS_FILE = {json.dumps(str(calls_file))}\n" + CALLBACKS
    synchronous_commit = _floor_table(env, "create")
    load = {"seconds": args.seconds, "connections": args.connections}
    rounds: list[tuple[Load, Load, Load]] = []
    try:
        with gunicorn(env, workers=args.workers, threads=args.threads) as base:
            wrk(f"{base}/bench/bare", BARE, seconds=2, connections=args.connections)  # warm-up
            for number in range(args.rounds):
                # Back to back, first one then the other, so that other work on the machine
                # weighs on both views of a round alike.
                bare = wrk(f"{base}/bench/bare", BARE, **load)
                # Each round posts callbacks no earlier round sent: a repeat is a duplicate.
                script = f"START = {number * (args.calls // args.rounds)}\n" + calls_script
                views = [f"{base}/bench/insert", f"{base}/callbacks/pandapon/"]
                if number % 2:
                    views.reverse()
                done = {url: wrk(url, script, **load) for url in views}
                rounds.append((bare, *(done[url] for url in sorted(views, key=_floor_first))))
    finally:
        _floor_table(env, "drop")
    stored = _clear(env)
    print(f"\n{args.workers} gunicorn workers, {args.connections} connections, {args.seconds} s")
    print(
        f"{'round':<7}{'view':<22}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    )
    for number, loads in enumerate(rounds, 1):
        for name, result in zip(VIEWS, loads, strict=True):
            print(
                f"{number:<7}{name:<22}{result.rate:>10.0f}{result.p50_ms:>9.1f}"
                f"{result.p95_ms:>9.1f}{result.p99_ms:>9.1f}{result.non_2xx:>8}"
            )
    to_floor = statistics.median(ingest.rate / floor.rate for _bare, floor, ingest in rounds)
    to_bare = statistics.median(ingest.rate / bare.rate for bare, _floor, ingest in rounds)
    p99 = statistics.median(ingest.p99_ms for *_others, ingest in rounds)
    print(f"\nsynchronous_commit: {synchronous_commit}")
    print(f"median over {len(rounds)} rounds:")
    print(f"callback / one INSERT: {to_floor:.2f} (goal >= 0.8); callback / bare: {to_bare:.2f}")
    print(f"callback p99 {p99:.1f} ms (goal < 50 ms)")
    sent = sum(ingest.requests for *_others, ingest in rounds)
    print(f"callbacks stored: {stored} of {sent} sent")


def _floor_first(url: str) -> int:
    return 0 if url.endswith("/bench/insert") else 1


def _floor_table(env: dict[str, str], action: str) -> str:
    """Create (or drop) the INSERT yardstick's table; the database's synchronous_commit."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        if action == "create":
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id bigserial PRIMARY KEY, body text)"
            )
        else:
            connection.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        return connection.execute("SHOW synchronous_commit").fetchone()[0]


def _clear(env: dict[str, str]) -> int:
    """Delete stored callbacks and the queued apply tasks; return how many rows there were."""
    code = (
        "from purchasing.models import UpstreamMessage;"
        "import redis, os;"
        "n = UpstreamMessage.objects.count();"
        "UpstreamMessage.objects.all().delete();"
        "redis.Redis.from_url(os.environ['REDIS_URL']).flushdb();"
        "print(n)"
    )
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
