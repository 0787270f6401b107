from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from purchasing.demo import DEMO_PASSWORD, DEMO_USERS, demo_rates_create, demo_users_create


class Command(BaseCommand):
    help = "Create the demo users, one per role. Only with DEBUG on; a second run changes nothing."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with a published password, so it only runs with DEBUG on."
            )
        rates = demo_rates_create()
        if rates:
            self.stdout.write(f"Created demo exchange rates: {', '.join(rates)}.")
        created = demo_users_create()
        if created:
            self.stdout.write(f"Created demo users: {', '.join(created)}.")
        else:
            self.stdout.write("Demo users already exist; nothing changed.")
        self.stdout.write(f"Demo logins (password for each: {DEMO_PASSWORD}):")
        for username, (role, _) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<10} role {role}")
