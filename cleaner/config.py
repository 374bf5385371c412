"""Settings of the engine: limits with units, read from a mapping or the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-document limits. `max_bytes` counts the UTF-8 size of text (or the raw HTML bytes)."""

    max_bytes: int = 10 * MIB
    timeout_s: float = 10.0
    # Caps checked before any stage or parser runs (see cleaner/limits.py for why these values).
    max_line_chars: int = 1_000_000
    max_attributes: int = 1_000
    max_total_attributes: int = 250_000
    max_depth: int = 20_000
    max_elements: int = 250_000

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Settings:
        """Settings from a mapping with keys named like the fields (unknown keys ignored)."""
        known = {f.name: f.type for f in fields(cls)}
        values = {}
        for key, value in data.items():
            if key in known and value is not None:
                values[key] = float(value) if key == "timeout_s" else int(value)  # type: ignore[arg-type]
        return replace(cls(), **values)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from `CLEANER_MAX_BYTES`, `CLEANER_TIMEOUT_S` and the caps' `CLEANER_MAX_*`.

        From the process environment (`env` None) they are parsed once per process and given
        again while those variables keep their values (`clean()` without `settings` asks for
        them on every call): a changed variable is read again, so a test or a shell that sets
        one still sees it."""
        if env is not None:
            names = (f.name for f in fields(cls))
            return cls.from_mapping({name: env.get(var) for name, var in zip(names, ENV_NAMES, strict=True)})
        get = os.environ.get
        raw = tuple(get(var) for var in ENV_NAMES)
        cached = _FROM_ENV.get(raw)
        if cached is None:
            cached = cls.from_mapping(dict(zip((f.name for f in fields(cls)), raw, strict=True)))
            _FROM_ENV.clear()  # one entry: the environment as it is now
            _FROM_ENV[raw] = cached
        return cached


ENV_NAMES = tuple("CLEANER_" + f.name.upper() for f in fields(Settings))  # one per field, in order
_FROM_ENV: dict[tuple[str | None, ...], Settings] = {}
