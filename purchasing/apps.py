from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from purchasing import checks  # noqa: F401  (registers the start-up checks)
