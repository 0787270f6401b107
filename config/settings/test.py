"""pytest: fast and hermetic. SQLite and in-process tasks by default; PostgreSQL and Redis when
DATABASE_URL and REDIS_URL are set (CI sets them), with a real worker in integration tests."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, env

DEBUG = False
SECRET_KEY = "caigou-tests-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
# Unit tests run tasks in-process even with Redis; integration tests start a real worker.
# A worker started by an integration test sets CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The sandbox stores its callbacks without sending them, and the upstream rate limit is off:
# tests that exercise either turn it on for themselves.
SANDBOX_CALLBACKS_ENABLED = False
UPSTREAM_RATE_LIMIT_PER_S = 0
# Test helpers drive the sandbox's control API with it (tests/orders/conftest.py).
SANDBOX_CONTROL_TOKEN = "caigou-tests-sandbox-control-token"
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = "caigou-test"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
