"""ASGI entry point, for servers that speak ASGI."""

import os

from django.core.asgi import get_asgi_application

from config.observability import telemetry
from config.startup import load_settings_or_exit, refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
load_settings_or_exit()
telemetry.init_from_environment()  # before Django builds the middleware it adds to
application = get_asgi_application()
refuse_unsafe_start("the web process", exit_code=4)
