"""`make run`'s server: Django's runserver that prints the demo's logins and API key last, once
it listens, and stops on Ctrl-C without an error."""

from __future__ import annotations

from django.core.management.commands.runserver import Command as RunServer

from backoffice.demo_key import demo_summary


class Command(RunServer):
    help = "Serve the demo (as runserver) and print how to sign in once the server listens."

    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        url = f"http://{self.addr}:{server_port}/"
        self.stdout.write("\n" + "\n".join(demo_summary(url=url)) + "\n")

    def handle(self, *args, **options) -> None:
        try:
            super().handle(*args, **options)
        except KeyboardInterrupt:
            self.stdout.write("Caigou stopped.")
