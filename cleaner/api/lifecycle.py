"""What the app and the gunicorn worker (`cleaner.api.worker`) tell each other, per process.

No gunicorn import here: the app runs under any WSGI server (and Flask's test client), where
these hooks do nothing.

- `DRAINING`: set in a worker after SIGTERM; `/readyz` then answers 503 `draining` while the
  worker keeps serving for the drain window.
- `reading_done()`: the app has read the whole request body; the worker's read deadline
  (`CLEANER_READ_TIMEOUT_S`) stops applying to this request.
- `note_request(path, request_id)`: what the worker logs if it has to kill this request.
"""

from __future__ import annotations

import threading
from typing import Any

DRAINING = threading.Event()
_local = threading.local()


def bind(record: dict[str, Any] | None, done: Any = None) -> None:
    """Called by the worker thread before (and with None after) it serves a request."""
    _local.record = record
    _local.done = done


def reading_done() -> None:
    done = getattr(_local, "done", None)
    if done is not None:
        done()


def note_request(path: str, request_id: str) -> None:
    record = getattr(_local, "record", None)
    if record is not None:
        record["path"] = path
        record["request_id"] = request_id


__all__ = ["DRAINING", "bind", "note_request", "reading_done"]
