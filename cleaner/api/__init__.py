"""The HTTP service: a Flask application factory over `clean()`.

    gunicorn -c gunicorn.conf.py           # serves cleaner.wsgi:app, see gunicorn.conf.py

`create_app(config=None)` reads its settings from the environment (see `from_env`), lets
`config` override any of them, loads the rules once (per worker: gunicorn forks before the
app is made), and registers the one blueprint and the problem+json error handlers.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request

from ..config import Settings
from ..ruleset import load_ruleset, rule_dirs_from_env
from . import lifecycle
from .auth import check_api_key, load_api_keys
from .cors import install_cors
from .errors import register_error_handlers
from .metrics import Metrics, metrics_dir
from .playground import playground
from .routes import bp, expects_body

REQUEST_ID_HEADER = "X-Request-ID"
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")


def from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The service's settings from environment variables (documented in docs/service.md)."""
    env = os.environ if env is None else env
    settings = Settings.from_env(env)
    return {
        "MAX_BYTES": settings.max_bytes,
        "TIMEOUT_S": settings.timeout_s,
        "RULES_DIRS": rule_dirs_from_env(dict(env)),
        "LOG_LEVEL": env.get("CLEANER_LOG_LEVEL", "INFO").upper(),
        "BATCH_MAX_DOCUMENTS": int(env.get("CLEANER_BATCH_MAX_DOCUMENTS", 100)),
        "BATCH_BUDGET_S": float(env.get("CLEANER_BATCH_BUDGET_S", 3 * settings.timeout_s)),
        "METRICS_DIR": None,
        "CORS_ORIGINS": env.get("CLEANER_CORS_ORIGINS", ""),
        "API_KEYS": load_api_keys(env),
    }


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A cleaner service app; `config` overrides settings read from the environment.

    Keys: MAX_BYTES, TIMEOUT_S, RULES_DIRS (extra rule folders), LOG_LEVEL,
    BATCH_MAX_DOCUMENTS, BATCH_BUDGET_S, METRICS_DIR, CORS_ORIGINS (see `cors.py`), API_KEYS
    (a set of accepted bearer tokens; empty: no key needed), plus any Flask key (TESTING...).
    Raises RuleError when the rules do not load (bad rules stop the start-up), ValueError
    when CORS_ORIGINS names something that is not an origin.
    """
    app = Flask(__name__)
    app.config.update(from_env())
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    if config:
        app.config.update(config)
    _configure_logging(app.config["LOG_LEVEL"])

    settings = Settings(max_bytes=int(app.config["MAX_BYTES"]), timeout_s=float(app.config["TIMEOUT_S"]))
    rules_dirs = [Path(p) for p in app.config["RULES_DIRS"]]
    ruleset = load_ruleset(rules_dirs)
    mdir = Path(app.config["METRICS_DIR"]) if app.config["METRICS_DIR"] else metrics_dir()
    app.extensions["cleaner"] = {"ruleset": ruleset, "settings": settings, "metrics": Metrics(mdir)}
    logging.getLogger("cleaner.api").info(
        "rules loaded: %d rules in %d files", len(ruleset.rules), len(ruleset.files)
    )

    app.register_blueprint(bp)
    app.register_blueprint(playground)
    register_error_handlers(app)
    app.before_request(_start_request)
    app.before_request(check_api_key)
    app.after_request(_finish_request)
    install_cors(app)
    return app


def _start_request() -> None:
    g.started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _good_id(incoming) else uuid.uuid4().hex
    g.bytes_in = 0
    lifecycle.note_request(request.path, g.request_id)
    if not expects_body():
        lifecycle.reading_done()


def _good_id(value: str) -> bool:
    """1-128 characters of A-Z a-z 0-9 . _ : - (plain code: no regex over a client's header)."""
    return 0 < len(value) <= 128 and all(c in _ID_CHARS for c in value)


def _finish_request(response: Response) -> Response:
    from flask import current_app

    lifecycle.reading_done()
    rid = g.get("request_id")
    if rid:
        response.headers[REQUEST_ID_HEADER] = rid
    rule = request.url_rule
    route = rule.rule if rule is not None else "unmatched"
    started = g.get("started", time.perf_counter())
    current_app.extensions["cleaner"]["metrics"].observe_request(
        route, request.method, response.status_code, time.perf_counter() - started, g.get("bytes_in", 0)
    )
    return response


class JsonFormatter(logging.Formatter):
    """Log records as JSON lines: time, level, logger, message (+ the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out)


def _configure_logging(level: str) -> None:
    logger = logging.getLogger("cleaner")
    logger.setLevel(getattr(logging, level, logging.INFO))
    if not any(getattr(h, "_cleaner", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._cleaner = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False


__all__ = ["create_app", "from_env"]
