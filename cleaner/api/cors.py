"""Cross-origin requests (CORS): which other web origins may call the API from a browser.

`CLEANER_CORS_ORIGINS` lists them, separated by commas or spaces, each as
`scheme://host[:port]` (`https://newsroom.example`, `http://localhost:3000`), or `*` for any
origin. Unset or empty: none (the default), so no response carries
`Access-Control-Allow-Origin` and a preflight is refused.

- A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
  origin, for a route that takes the requested method, is a 204 with `Allow-Methods`,
  `Allow-Headers` and `Max-Age`; from an origin that is not allowed it is a 403 problem;
  for a method the route does not take, the usual 405 problem.
- Any other response to a request whose `Origin` is allowed carries
  `Access-Control-Allow-Origin` (that origin) and exposes `X-Request-ID`.
- When origins are configured, every response says `Vary: Origin`, so a cache never hands
  one origin's answer to another. No cookies are used: credentials are never allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, Response, request
from werkzeug.exceptions import MethodNotAllowed

from .errors import ApiError

ENV_VAR = "CLEANER_CORS_ORIGINS"
ALLOW_HEADERS = "Content-Type, Content-Encoding, X-Request-ID"
EXPOSE_HEADERS = "X-Request-ID"
MAX_AGE_S = 600
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")
_SPLIT = re.compile(r"[,\s]+")


def parse_origins(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The allowed origins, lower-cased; ValueError naming a malformed entry."""
    if value is None:
        return ()
    items = _SPLIT.split(value) if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item != "*" and not _ORIGIN.match(item):
            raise ValueError(f"{ENV_VAR}: {item!r} is not an origin like https://example.com or "
                             "http://localhost:3000 (scheme and host, optional port, no path), nor *")
        out.append(item.lower())
    return tuple(dict.fromkeys(out))


def _allowed(origins: tuple[str, ...], origin: str | None) -> bool:
    return bool(origin) and ("*" in origins or origin.lower() in origins)


def install_cors(app: Flask) -> None:
    """Answer preflights and mark responses, for the origins in `app.config["CORS_ORIGINS"]`."""
    origins = parse_origins(app.config.get("CORS_ORIGINS"))
    app.config["CORS_ORIGINS"] = origins

    def preflight() -> Response | None:
        origin = request.headers.get("Origin")
        wanted = request.headers.get("Access-Control-Request-Method")
        if request.method != "OPTIONS" or not origin or not wanted:
            return None
        if not _allowed(origins, origin):
            raise ApiError(f"origin {origin!r} may not call this service from a browser",
                           403, "origin-not-allowed", "Origin not allowed")
        exc = request.routing_exception
        if not isinstance(exc, MethodNotAllowed):
            return None  # a 404 stays a 404
        methods = sorted(set(exc.valid_methods or ()) - {"OPTIONS"})
        if wanted.upper() not in methods:
            return None  # the route's 405, naming what it allows
        resp = Response(status=204)
        del resp.headers["Content-Type"]
        resp.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
        resp.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        resp.headers["Access-Control-Max-Age"] = str(MAX_AGE_S)
        return resp

    def mark(response: Response) -> Response:
        if not origins:
            return response
        response.vary.add("Origin")
        origin = request.headers.get("Origin")
        if _allowed(origins, origin):
            response.headers["Access-Control-Allow-Origin"] = "*" if "*" in origins else origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        return response

    app.before_request(preflight)
    app.after_request(mark)


__all__ = ["ENV_VAR", "install_cors", "parse_origins"]
