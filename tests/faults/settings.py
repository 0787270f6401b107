"""Settings of the processes the fault-injection harness starts (web server and workers): the
test settings, with tasks going through the broker and the sandbox sending its callbacks.

Everything else (database, Redis, where the sandbox is, timeouts, leases) comes from the
environment the harness gives them."""

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
SANDBOX_CALLBACKS_ENABLED = True
