"""The WSGI entry point gunicorn serves: `cleaner.wsgi:app` (one app per worker)."""

from __future__ import annotations

from .api import create_app

app = create_app()
