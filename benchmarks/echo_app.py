"""A trivial echo endpoint on the same stack (Flask on gunicorn, same config), for
`bench_service.py`: what the stack itself allows, without cleaning."""

from __future__ import annotations

from flask import Flask, Response, request

app = Flask(__name__)


@app.post("/v1/clean")
def echo() -> Response:
    """Read the body and send it back, as the cleaner reads a body and sends JSON back."""
    return Response(request.get_data(), mimetype="text/plain")


@app.get("/healthz")
def healthz() -> Response:
    return Response('{"status": "ok"}', mimetype="application/json")
