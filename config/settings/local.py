"""`make run`: DEBUG on, a secret key kept in var/, SQLite unless DATABASE_URL says otherwise."""

from config.env import database_config, secret_key_from_file, sqlite_for_threads

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, REDIS_URL, UPSTREAM_SANDBOX, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or secret_key_from_file(VAR_DIR / "secret_key")  # noqa: F405
# No Redis, so no Celery beat: the development server runs the beat schedule in a thread.
CAIGOU_BEAT_IN_PROCESS = env.bool("CAIGOU_BEAT_IN_PROCESS", default=DEBUG and not REDIS_URL)
if not REDIS_URL:
    # Tasks run in the process that sends them: a line per finished task, and kombu's note that
    # there is no broker, would bury what matters in the server's output. Failures still show.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

# The sandbox keeps its books in a database of its own, as the real upstream does: a Caigou
# transaction then never waits on the upstream's writes (see upstream/sandbox/db.py).
if UPSTREAM_SANDBOX:
    DATABASES["sandbox"] = database_config(
        env.str("SANDBOX_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sandbox.sqlite3'}")
    )
for _database in DATABASES.values():
    sqlite_for_threads(_database)
