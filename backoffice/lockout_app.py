"""django-axes (the sign-in lockout) under a name staff read: its own app config leaves the
admin's section titled "Axes", in every language."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LockoutConfig(AxesConfig):
    verbose_name = _("Sign-in lockouts")
