from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "purchasing"
    verbose_name = "Purchasing"

    def ready(self) -> None:
        from purchasing import checks  # noqa: F401  (registers the start-up checks)
