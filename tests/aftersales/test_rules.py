"""What may be done to a refund case, state by platform and role (`aftersales.rules`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from aftersales import rules
from aftersales.models import CaseStatus, RefundCase
from backoffice.roles import ROLES
from purchasing.models import Platform

ALI = Platform.ALIBABA


@dataclass
class Person:
    role: str

    def has_perm(self, permission: str) -> bool:
        return permission.removeprefix("purchasing.") in ROLES[self.role]


def case(status: str, platform: str = "taobao", sent: bool = True) -> RefundCase:
    return RefundCase(status=status, platform=platform, upstream_refund_id="R1" if sent else "")


# (status, platform, sent upstream) -> the actions the after-sales staff see.
TABLE = [
    (CaseStatus.OPEN, "taobao", False, {"submit", "cancel", "pack"}),
    (CaseStatus.OPEN, ALI, False, {"submit", "cancel", "pack"}),
    (CaseStatus.SUBMITTING, "taobao", False, {"pack"}),
    (CaseStatus.WAITING_SELLER, "taobao", True, {"cancel", "modify", "message", "refresh", "pack"}),
    (CaseStatus.WAITING_SELLER, ALI, True, {"refresh", "pack"}),
    (CaseStatus.REFUSED, "taobao", True, {"cancel", "modify", "message", "refresh", "pack"}),
    (CaseStatus.RETURN_AGREED, "taobao", True, {"cancel", "message", "return", "refresh", "pack"}),
    (CaseStatus.RETURN_AGREED, ALI, True, {"return", "refresh", "pack"}),
    (CaseStatus.RETURNING, "taobao", True, {"message", "refresh", "pack"}),
    (CaseStatus.REFUNDED, "taobao", True, {"refresh"}),
    (CaseStatus.CLOSED, ALI, True, {"refresh"}),
    (CaseStatus.FAILED, "taobao", False, set()),
]


@pytest.mark.parametrize(("status", "platform", "sent", "allowed"), TABLE)
def test_what_may_be_done_to_a_case(status, platform, sent, allowed):
    claim = case(status, platform, sent)

    for role in ("purchaser", "approver"):
        shown = {name for name, ok in rules.case_actions(claim, Person(role)).items() if ok}
        assert shown == allowed, (status, platform, role)
    assert not any(rules.case_actions(claim, Person("finance")).values())
