from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The manager dashboard, reports and exports. It reads every other app, so it is an app
    of its own at the top of the dependency order."""

    name = "reports"
    label = "reports"
    verbose_name = _("Reports")
