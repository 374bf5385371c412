"""Gunicorn integration: gunicorn's access and error logs as JSON lines in the app's format
(`cleaner.api.JsonFormatter`: time in ISO 8601, level, logger, pid, message; access lines add
the request's fields), and gunicorn's own error answers (a request line or headers over the
limits, a malformed request) as problem+json, not HTML."""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from typing import Any

from gunicorn import util
from gunicorn.glogging import Logger

from ..errors import PROBLEM_BASE


class _Formatter(logging.Formatter):
    """The app's JSON line, plus the fields an access line carries (`extra={"fields": ...}`)."""

    def __init__(self) -> None:
        super().__init__()
        from . import JsonFormatter

        self.base = JsonFormatter()

    def format(self, record: logging.LogRecord) -> str:
        line = json.loads(self.base.format(record))
        line.update(getattr(record, "fields", None) or {})
        return json.dumps(line)


class JsonLogger(Logger):
    """`gunicorn.glogging.Logger` whose error and access lines are JSON objects in the app's
    format, so one parser reads all of stderr and stdout."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        fmt = _Formatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(fmt)

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        try:
            status = resp.status
            if isinstance(status, str):
                status = status.split(None, 1)[0]
            headers = {name.lower(): value for name, value in (resp.headers or [])}
            line = {
                "remote": environ.get("REMOTE_ADDR", "-"),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "query": environ.get("QUERY_STRING") or None,
                "status": int(status) if str(status).isdigit() else status,
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 3),
                "request_id": headers.get("x-request-id"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
            }
            message = f"{line['method']} {line['path']} {line['status']}"
            self.access_log.info(message, extra={"fields": line})
        except Exception:
            self.error(traceback.format_exc())


def write_problem(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """Drop-in for `gunicorn.util.write_error`: the same answer as an RFC 9457 problem.

    Gunicorn's 501 for a transfer coding it does not implement is a client's fault: a 400 here
    (RFC 9112 says SHOULD 501; the service never answers 5xx to a request it merely refuses).
    """
    if status_int == 501:
        status_int, reason = 400, "Bad Request"
    slug = "internal" if status_int == 500 else re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    rid = uuid.uuid4().hex
    body = json.dumps({
        "type": PROBLEM_BASE + (slug or f"http-{status_int}"), "title": reason, "status": status_int,
        "detail": mesg or reason, "request_id": rid,
    }).encode("utf-8")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n"
        f"X-Request-ID: {rid}\r\n\r\n"
    ).encode("latin-1")
    util.write_nonblock(sock, head + body)


def install_problem_errors() -> None:
    """Make this (worker) process answer gunicorn-level errors with `write_problem`."""
    util.write_error = write_problem
