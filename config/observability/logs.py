"""Log records with their context, and the JSON formatter of LOG_FORMAT=json.

The filter copies the fields `upstream.logcontext` knows (request id, user, order reference,
task id and name) onto every record that passes the console handler; a field the call site
gave in `extra` wins. The JSON formatter writes one object per line: `timestamp` (UTC, ISO
8601), `level`, `logger`, `message`, those fields, and the traceback as `exc_info` when there
is one. The plain format leaves them out, as it always did.
"""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter

from upstream import logcontext


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in logcontext.current().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


def json_formatter() -> JsonFormatter:
    """The LOG_FORMAT=json formatter (named by LOGGING's `()`)."""
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,
        # Titles, addresses and upstream messages are Chinese: keep them readable.
        json_ensure_ascii=False,
    )
