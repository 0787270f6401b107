from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguageChoice(models.Model):
    """The language a person chose for the staff site, kept across browsers and sign-ins; without
    one, the browser's language decides (backoffice/language.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="language_choice",
        verbose_name=_("user"),
    )
    language = models.CharField(
        verbose_name=_("language"), max_length=10, choices=settings.LANGUAGES
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("language choice")
        verbose_name_plural = _("language choices")

    def __str__(self) -> str:
        return f"{self.user} → {self.language}"
