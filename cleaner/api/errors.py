"""One error shape for the whole service: RFC 9457 `application/problem+json`.

Every error leaves through `problem()`: the engine's typed errors (`CleanerError`), the
service's own (`ApiError` below), Werkzeug's HTTP errors (404, 405...) and any unexpected
fault, which becomes a 500 naming the request id and nothing else (no traceback, no HTML).
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, g
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ..errors import PROBLEM_BASE, CleanerError, InputError, InputTooLarge, UndecodableInput

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("cleaner.api")

# Werkzeug's HTTP errors: status -> (slug, title).
HTTP_PROBLEMS = {
    400: ("bad-request", "Bad request"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("too-large", "Document too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    500: ("internal", "Internal error"),
}


class ApiError(CleanerError):
    """An error of the HTTP layer, with its own status, slug and title."""

    def __init__(self, detail: str, status: int = 400, slug: str = "invalid-input",
                 title: str = "Invalid input", headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.headers = headers or {}


def malformed_json(detail: str) -> ApiError:
    return ApiError(detail, 400, "malformed-json", "Malformed JSON")


def too_deep(detail: str) -> ApiError:
    return ApiError(detail, 400, "json-too-deep", "JSON nested too deep")


def unsupported_media_type(detail: str) -> ApiError:
    return ApiError(detail, 415, "unsupported-media-type", "Unsupported media type")


def too_many_documents(detail: str) -> ApiError:
    return ApiError(detail, 400, "too-many-documents", "Too many documents")


def not_ready(detail: str) -> ApiError:
    return ApiError(detail, 503, "not-ready", "Not ready")


class UnknownCharset(UndecodableInput):
    """The declared charset is not a text encoding Python knows."""

    slug = "unknown-charset"
    title = "Unknown charset"


__all__ = [
    "PROBLEM_JSON", "ApiError", "InputError", "InputTooLarge", "UndecodableInput", "UnknownCharset",
    "problem", "register_error_handlers",
]


def problem(status: int, slug: str, title: str, detail: str, **extra: object) -> Response:
    """The one error response: `{"type", "title", "status", "detail", "request_id", ...}`."""
    body: dict[str, object] = {"type": PROBLEM_BASE + slug, "title": title, "status": status,
                               "detail": detail}
    rid = g.get("request_id")
    if rid:
        body["request_id"] = rid
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def problem_from(exc: CleanerError) -> Response:
    """The problem response of a typed error (engine or service)."""
    extra: dict[str, object] = {}
    problems = getattr(exc, "problems", None)
    if problems:
        extra["errors"] = list(problems)
    resp = problem(exc.status, exc.slug, exc.title, str(exc), **extra)
    for name, value in getattr(exc, "headers", {}).items():
        resp.headers[name] = value
    return resp


def register_error_handlers(app: Flask) -> None:
    """Route every error to `problem()`."""

    @app.errorhandler(CleanerError)
    def _cleaner_error(exc: CleanerError) -> Response:
        if exc.status >= 500:
            log.error("request %s failed: %s", g.get("request_id"), exc)
        return problem_from(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        slug, title = HTTP_PROBLEMS.get(status, (f"http-{status}", exc.name))
        detail = exc.description or title
        if status == 404:
            detail = "no such resource; see GET /openapi.json for the routes"
        resp = problem(status, slug, title, detail)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            resp.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        rid = g.get("request_id")
        log.exception("unexpected error in request %s", rid)
        return problem(500, "internal", "Internal error",
                       f"an unexpected error occurred; quote request id {rid} when reporting it")
