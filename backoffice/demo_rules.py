"""Demo approval rules for `make run` (seed_demo): two tiers to see on the approval pages."""

from __future__ import annotations

from typing import Any

# Made after the history, so that its orders were approved under the single threshold; orders
# confirmed in the demo afterwards meet the tiers.
DEMO_APPROVAL_RULES: list[dict[str, Any]] = [
    {
        "name": "Large orders need two approvers",
        "kind": "amount",
        "min_total_fen": 1_000_000,  # ¥10,000
        "approvals_needed": 2,
    },
    {
        "name": "Storefront orders sold at a loss",
        "kind": "margin",
        "margin_floor_fen": 0,
        "approvals_needed": 1,
    },
]


def demo_approval_rules_create() -> list[str]:
    """The demo approval rules, only when no rule exists yet (an admin's rules are left alone)."""
    from purchasing.models import ApprovalRule

    if ApprovalRule.objects.exists():
        return []
    for rule in DEMO_APPROVAL_RULES:
        ApprovalRule.objects.create(**rule)
    return [rule["name"] for rule in DEMO_APPROVAL_RULES]
