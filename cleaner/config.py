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
        """Settings from `CLEANER_MAX_BYTES` and `CLEANER_TIMEOUT_S`."""
        env = os.environ if env is None else env
        return cls.from_mapping(
            {"max_bytes": env.get("CLEANER_MAX_BYTES"), "timeout_s": env.get("CLEANER_TIMEOUT_S")}
        )
