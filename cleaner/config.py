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
        """Settings from `CLEANER_MAX_BYTES`, `CLEANER_TIMEOUT_S` and the caps' `CLEANER_MAX_*`."""
        env = os.environ if env is None else env
        return cls.from_mapping({f.name: env.get("CLEANER_" + f.name.upper()) for f in fields(cls)})
