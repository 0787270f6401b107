"""Staff: what Caigou knows about a user beyond Django's own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from purchasing.permissions import PERMISSIONS


class StaffProfile(models.Model):
    """What Caigou knows about a staff user beyond Django's user: their own spending limit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    order_limit_fen = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Orders above this total (fen) wait for an approver. Empty: the site threshold."
        ),
        verbose_name=_("order limit (fen)"),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        permissions = list(PERMISSIONS.items())

    def __str__(self) -> str:
        return _("profile of %(user)s") % {"user": self.user}
