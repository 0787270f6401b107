"""A person settles what a refund look-up could not (lookup.py): adopt one of the candidates,
or declare none of them ours, and only then may the refund be created again.

Each verb locks the case and re-checks the look-up's state, so a second click, or a second
person at the same time, changes nothing and is told why.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from aftersales.models import CaseStatus, RefundCase
from aftersales.services.common import CaseError, locked, require
from aftersales.services.lookup import LookupState, describe
from purchasing.phrases import gettext as _


def _open_question(case: RefundCase) -> list[dict[str, Any]]:
    """The candidates a person is asked about; refuses when nobody is asked any more."""
    if case.status != CaseStatus.SUBMITTING or (case.lookup or {}).get("state") != LookupState.ASK:
        raise CaseError(
            _("%(ref)s has no open question about its upstream refund (decided already?)")
            % {"ref": case.reference}
        )
    return case.lookup.get("candidates", [])


def case_adopt_candidate(*, case: RefundCase, refund_id: str, actor: Any) -> RefundCase:
    """A person says which candidate is ours: the case adopts it and reads it."""
    from aftersales.services.submit import _adopt

    require(actor)
    with transaction.atomic():
        case = locked(case.pk)
        chosen = [c for c in _open_question(case) if c.get("refund_id") == refund_id]
        if not chosen:
            raise CaseError(_("%(id)s is not one of the candidates") % {"id": refund_id})
        case.lookup = {**case.lookup, "state": LookupState.CHOSEN, "chosen": refund_id}
        case.save(update_fields=["lookup", "updated_at"])
        case.note(
            _("adopted by a person: %(what)s") % {"what": describe(chosen[0])},
            actor=actor,
            kind="lookup",
        )
    return _adopt(case.pk, refund_id, _("adopted by a person"))


def case_declare_none_ours(*, case: RefundCase, actor: Any) -> RefundCase:
    """A person says no candidate is ours: they are left out of every later look-up, and the
    refund is created again (after one more look-up for anything new)."""
    from aftersales.tasks import submit_case

    require(actor)
    with transaction.atomic():
        case = locked(case.pk)
        candidates = _open_question(case)
        ids = [c["refund_id"] for c in candidates]
        rejected = [*case.lookup.get("rejected", []), *ids]
        case.lookup = {**case.lookup, "state": LookupState.NONE_OURS, "rejected": rejected}
        case.needs_attention, case.attention_reason, case.attention_words = False, "", None
        case.submit_in_doubt = True  # look up once more before the create, for anything new
        case.save(
            update_fields=[
                "lookup",
                "needs_attention",
                "attention_reason",
                "attention_words",
                "submit_in_doubt",
                "updated_at",
            ]
        )
        case.note(
            _("none of the candidates is ours (%(ids)s): creating again") % {"ids": ", ".join(ids)},
            actor=actor,
            kind="lookup",
        )
        case_id = case.pk
        transaction.on_commit(lambda: submit_case.delay(case_id=case_id))
        return case
