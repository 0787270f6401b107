"""What every after-sales service shares: errors, locks, the upstream clients, file checks."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from aftersales.models import RefundCase
from purchasing.services.orders.common import Busy  # noqa: F401  (the tasks retry on it)
from upstream import accounts

logger = logging.getLogger("aftersales")

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 5
# Judged by the bytes, never the declared type or the name (as the upstream does).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"%PDF-", "application/pdf"),
)


class CaseError(Exception):
    """The case cannot do this now; the message says why, for a person."""


class NotAllowed(CaseError):
    pass


def require(actor: Any) -> None:
    if actor is None or not actor.has_perm("purchasing.manage_aftersales"):
        raise NotAllowed("you need the manage aftersales permission")


def locked(case_id: int) -> RefundCase:
    """The case row, locked until the transaction ends (call inside transaction.atomic)."""
    return RefundCase.objects.select_for_update().get(pk=case_id)


def now():
    return timezone.now()


def lease() -> timedelta:
    """How long a create may be in flight before another run may look it up (as orders)."""
    return timedelta(seconds=settings.CAIGOU_UPSTREAM_CALL_LEASE_SECONDS)


def taobao():
    return accounts.pandapon().taobao_aftersales


def alibaba():
    return accounts.pandapon().alibaba_aftersales


def sniff(content: bytes) -> str:
    """The content type of an image or PDF by its first bytes, or "" for anything else."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return next((ctype for magic, ctype in SIGNATURES if content.startswith(magic)), "")


def check_evidence(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """(name, content) -> (name, content type, content); refuses with a sentence otherwise."""
    if len(files) > MAX_EVIDENCE_FILES:
        raise CaseError(f"at most {MAX_EVIDENCE_FILES} evidence files may be attached")
    checked = []
    for name, content in files:
        if not content:
            raise CaseError(f"{name} is empty")
        if len(content) > MAX_EVIDENCE_BYTES:
            raise CaseError(
                f"{name} is {len(content) / 1024 / 1024:.1f} MB; evidence may be at most 5 MB"
            )
        ctype = sniff(content)
        if not ctype:
            raise CaseError(f"{name} is not a picture (JPEG, PNG, GIF, BMP, WEBP) or a PDF")
        checked.append((name[:200], ctype, content))
    return checked


MAX_MESSAGE_PICTURES = 3


def check_pictures(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """A message's pictures: as evidence, but pictures only (no PDF) and at most three."""
    if len(files) > MAX_MESSAGE_PICTURES:
        raise CaseError(f"at most {MAX_MESSAGE_PICTURES} pictures may go with a message")
    checked = check_evidence(files)
    for name, ctype, _ in checked:
        if not ctype.startswith("image/"):
            raise CaseError(f"{name} is not a picture (JPEG, PNG, GIF, BMP, WEBP)")
    return checked
