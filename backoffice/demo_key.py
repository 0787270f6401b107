"""The demo storefront's API key, kept from one `make run` to the next, and the summary of how
to sign in that `make run` prints last.

Only a key's hash is stored in the database, so the raw demo key is kept in
`var/demo-api-key` (ignored by git, readable by its owner only): a storefront script set up
with it keeps working across runs. A new key is issued when asked (`seed_demo --new-api-key`),
or when the kept one is missing, revoked or from another database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from backoffice.demo import DEMO_PASSWORD, DEMO_USERS

if TYPE_CHECKING:
    from storefront.models import Storefront

KEY_FILE = "demo-api-key"


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / KEY_FILE


def demo_api_key(*, rotate: bool = False) -> tuple[Storefront, str, bool]:
    """The demo storefront, its API key, and whether the key is new (issued by this call)."""
    from storefront.demo import DEMO_NAME, demo_storefront_create
    from storefront.models import ApiKey, hash_key

    path = _key_file()
    if not rotate and path.exists():
        raw = path.read_text().strip()
        kept = (
            ApiKey.objects.filter(
                hashed=hash_key(raw),
                name="demo",
                revoked_at__isnull=True,
                storefront__name=DEMO_NAME,
            )
            .select_related("storefront")
            .first()
        )
        if kept is not None:
            return kept.storefront, raw, False
    storefront, raw = demo_storefront_create()  # revokes the demo keys before it
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(raw + "\n")
    return storefront, raw, True


def demo_summary(*, url: str = "", rotate: bool = False) -> list[str]:
    """The lines that tell a person where Caigou is, how to sign in, and the storefront's key."""
    storefront, key, new = demo_api_key(rotate=rotate)
    rule = "=" * 72
    lines = [rule]
    if url:
        lines.append(f"Caigou is at {url}  (stop with Ctrl-C)")
    lines.append(f"Sign in as any of these (password for each: {DEMO_PASSWORD}):")
    lines += [f"  {username:<10} role {role}" for username, (role, _limit) in DEMO_USERS.items()]
    state = "a new key" if new else "the key kept from run to run"
    lines += [
        f"Storefront {storefront.name!r} ({state}; seed_demo --new-api-key issues another);",
        f"webhooks go to {storefront.webhook_url} (docs/storefront_example.py listens there):",
        f"  export CAIGOU_API_KEY={key}",
        f"  export CAIGOU_WEBHOOK_SECRET={storefront.webhook_secret}",
        rule,
    ]
    return lines
