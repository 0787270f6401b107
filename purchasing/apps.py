from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PurchasingConfig(AppConfig):
    name = "purchasing"
    # In context: the bare "Purchasing" is a status ("采购中"), this is the app's name.
    verbose_name = pgettext_lazy("app name", "Purchasing")

    def ready(self) -> None:
        from purchasing import checks  # noqa: F401  (registers the start-up checks)
