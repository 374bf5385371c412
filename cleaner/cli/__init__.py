"""The command line: `cleaner clean`, `cleaner rules`, `cleaner batch` (see `main`)."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
