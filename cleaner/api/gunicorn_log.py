"""Gunicorn's access log as JSON lines, one object per request, with the request id."""

from __future__ import annotations

import json
import traceback
from typing import Any

from gunicorn.glogging import Logger


class JsonLogger(Logger):
    """`gunicorn.glogging.Logger` whose access log lines are JSON objects."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        try:
            status = resp.status
            if isinstance(status, str):
                status = status.split(None, 1)[0]
            headers = {name.lower(): value for name, value in (resp.headers or [])}
            line = {
                "time": self.now().strip("[]"),
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
            self.access_log.info(json.dumps(line))
        except Exception:
            self.error(traceback.format_exc())
