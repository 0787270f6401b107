"""`make run`: DEBUG on, a secret key kept in var/, SQLite unless DATABASE_URL says otherwise."""

from config.env import secret_key_from_file

from .base import *  # noqa: F403
from .base import REDIS_URL, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or secret_key_from_file(VAR_DIR / "secret_key")  # noqa: F405
# No Redis, so no Celery beat: the development server runs the beat schedule in a thread.
CAIGOU_BEAT_IN_PROCESS = env.bool("CAIGOU_BEAT_IN_PROCESS", default=DEBUG and not REDIS_URL)
