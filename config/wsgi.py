"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from config.observability import telemetry
from config.startup import load_settings_or_exit, refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
load_settings_or_exit()
telemetry.init_from_environment()  # before Django builds the middleware it adds to
application = get_wsgi_application()
refuse_unsafe_start("the web process", exit_code=4)

from backoffice import beat  # noqa: E402

beat.start()
