from django.apps import AppConfig


class UpstreamConfig(AppConfig):
    name = "upstream"
    verbose_name = "Upstream"

    def ready(self) -> None:
        from upstream import checks  # noqa: F401  (registers the start-up checks)
