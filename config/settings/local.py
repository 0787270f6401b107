"""`make run`: DEBUG on, a secret key kept in var/, SQLite unless DATABASE_URL says otherwise."""

from config.env import secret_key_from_file

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or secret_key_from_file(VAR_DIR / "secret_key")  # noqa: F405
