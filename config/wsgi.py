"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from config.startup import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
load_settings_or_exit()
application = get_wsgi_application()

from backoffice import beat  # noqa: E402

beat.start()
