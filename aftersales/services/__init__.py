"""After-sales services: one function per business verb (see each module's docstring)."""

from aftersales.services.actions import (
    case_cancel,
    case_messages,
    case_modify,
    case_return_options,
    case_send_message,
    case_submit_return,
)
from aftersales.services.adoption import case_adopt_candidate, case_declare_none_ours
from aftersales.services.common import CaseError
from aftersales.services.open import case_open, case_options
from aftersales.services.pack import case_attach_pack
from aftersales.services.submit import case_submit, case_submit_upstream
from aftersales.services.sync import apply_refund_message, case_refresh

__all__ = [
    "CaseError",
    "apply_refund_message",
    "case_adopt_candidate",
    "case_attach_pack",
    "case_cancel",
    "case_declare_none_ours",
    "case_messages",
    "case_modify",
    "case_open",
    "case_options",
    "case_refresh",
    "case_return_options",
    "case_send_message",
    "case_submit",
    "case_submit_return",
    "case_submit_upstream",
]
