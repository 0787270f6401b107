"""`make run`: DEBUG on, a secret key kept in var/, SQLite unless DATABASE_URL says otherwise."""

from config.env import secret_key_from_file

from .base import *  # noqa: F403
from .base import LOGGING, REDIS_URL, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or secret_key_from_file(VAR_DIR / "secret_key")  # noqa: F405
# No Redis, so no Celery beat: the development server runs the beat schedule in a thread.
CAIGOU_BEAT_IN_PROCESS = env.bool("CAIGOU_BEAT_IN_PROCESS", default=DEBUG and not REDIS_URL)
if not REDIS_URL:
    # Tasks run in the process that sends them: a line per finished task, and kombu's note that
    # there is no broker, would bury what matters in the server's output. Failures still show.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
