"""What every after-sales service shares: errors, locks, file checks."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from aftersales.errors import CaseError
from aftersales.models import RefundCase
from purchasing.phrases import gettext as _
from purchasing.phrases import recorded
from purchasing.services.orders.common import Busy  # noqa: F401  (the tasks retry on it)
from purchasing.uploads import UploadRefused, clean_file, sniff

logger = logging.getLogger("aftersales")

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 5


class NotAllowed(CaseError):
    pass


def require(actor: Any) -> None:
    if actor is None or not actor.has_perm("purchasing.manage_aftersales"):
        raise NotAllowed(_("you need the manage aftersales permission"))


def locked(case_id: int) -> RefundCase:
    """The case row, locked until the transaction ends (call inside transaction.atomic)."""
    return RefundCase.objects.select_for_update().get(pk=case_id)


def flag_case(case: RefundCase, reason: str) -> bool:
    """Raise the case's flag for a person (the case is locked): the reason kept in the site's
    language with its words, and on the timeline. False when it is raised for it already."""
    text, words = recorded(reason)
    if case.needs_attention and case.attention_reason == text:
        return False
    case.needs_attention, case.attention_reason, case.attention_words = True, text, words
    case.save(
        update_fields=["needs_attention", "attention_reason", "attention_words", "updated_at"]
    )
    case.note(reason, kind="attention")
    return True


def now():
    return timezone.now()


def lease() -> timedelta:
    """How long a create may be in flight before another run may look it up (as orders)."""
    return timedelta(seconds=settings.CAIGOU_UPSTREAM_CALL_LEASE_SECONDS)


def check_evidence(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """(name, content) -> (name, content type, content) as kept and sent: pictures saved
    again, PDFs checked for scripts (`purchasing.uploads`); refuses with a sentence otherwise."""
    if len(files) > MAX_EVIDENCE_FILES:
        raise CaseError(
            _("at most %(count)d evidence files may be attached") % {"count": MAX_EVIDENCE_FILES}
        )
    checked = []
    for name, content in files:
        if not content:
            raise CaseError(_("%(name)s is empty") % {"name": name})
        if len(content) > MAX_EVIDENCE_BYTES:
            raise CaseError(
                _("%(name)s is %(size).1f MB; evidence may be at most 5 MB")
                % {"name": name, "size": len(content) / 1024 / 1024}
            )
        if not sniff(content):
            raise CaseError(
                _("%(name)s is not a picture (JPEG, PNG, GIF, BMP, WEBP) or a PDF") % {"name": name}
            )
        try:
            clean = clean_file(content)
        except UploadRefused as exc:
            raise CaseError(f"{name}: {exc}") from exc
        checked.append((clean.name_for(name)[:200], clean.content_type, clean.content))
    return checked


MAX_MESSAGE_PICTURES = 3


def check_pictures(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """A message's pictures: as evidence, but pictures only (no PDF) and at most three."""
    if len(files) > MAX_MESSAGE_PICTURES:
        raise CaseError(
            _("at most %(count)d pictures may go with a message") % {"count": MAX_MESSAGE_PICTURES}
        )
    for name, content in files:  # judged before the evidence checks, which also take PDFs
        if content and not sniff(content).startswith("image/"):
            raise CaseError(
                _("%(name)s is not a picture (JPEG, PNG, GIF, BMP, WEBP)") % {"name": name}
            )
    return check_evidence(files)
