from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from upstream.types.callbacks import RefundMessage


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("After-sales")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from aftersales.models import RefundCase
        from purchasing.signals import refund_moved

        refund_moved.connect(_refund_moved, dispatch_uid="aftersales.refund_moved")
        post_save.connect(_case_changed, sender=RefundCase, dispatch_uid="aftersales.case_saved")
        post_delete.connect(_case_changed, sender=RefundCase, dispatch_uid="aftersales.case_gone")


def _refund_moved(sender, *, message: RefundMessage, platform: str, **kwargs) -> None:
    """A refund callback reached purchasing: read that refund again in the background. A task
    takes JSON, so it carries the body as received and reads it again into the same type."""
    from aftersales.tasks import apply_refund_message

    apply_refund_message.delay(body=message.raw, platform=platform)


def _case_changed(sender, **kwargs) -> None:
    """A case changed: the navigation's count is read again. Forgotten now and again after
    the commit, so a page rendered between the save and the commit cannot keep the old count."""
    from django.db import transaction

    from aftersales.selectors import forget_action_needed

    forget_action_needed()
    transaction.on_commit(forget_action_needed)
