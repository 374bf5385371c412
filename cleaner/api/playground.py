"""The playground: a page for a person at `/`, served by the same app as the API.

Static files only (`static/index.html`, `playground.css`, `playground.js`): no build step, no
external assets. The page calls the API it is served by (`POST /v1/clean`, `GET /v1/rules`)
and puts everything that comes from the input into the page as text (`textContent`), never
as markup. On top of that every response carries a strict Content-Security-Policy (scripts and
styles from this origin only, no inline script, no eval, no plugins, no framing), so nothing
in a pasted page can run even if it reached the DOM.
"""

from __future__ import annotations

from importlib import resources

from flask import Blueprint, Response

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

playground = Blueprint("playground", __name__)


def page_html() -> str:
    """The packaged `static/index.html`."""
    return resources.files("cleaner.api").joinpath("static", "index.html").read_text(encoding="utf-8")


@playground.get("/")
def index() -> Response:
    """The playground page."""
    return Response(page_html(), mimetype="text/html")


@playground.after_app_request
def _security_headers(response: Response) -> Response:
    """The page's policy on every response (the API's JSON and the static files too)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


__all__ = ["CSP", "SECURITY_HEADERS", "page_html", "playground"]
