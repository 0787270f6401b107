from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpstreamConfig(AppConfig):
    name = "upstream"
    verbose_name = _("Upstream")

    def ready(self) -> None:
        from upstream import checks  # noqa: F401  (registers the start-up checks)
