"""Progress of a batch run: bytes read (for the ETA), counts, and the line on stderr."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import IO


class Progress:
    """What the readers have consumed, for docs/s and ETA."""

    def __init__(self) -> None:
        self.total_bytes: int | None = 0
        self.done_bytes = 0

    def add_total(self, n: int | None) -> None:
        if n is None or self.total_bytes is None:
            self.total_bytes = None
        else:
            self.total_bytes += n


@dataclass
class Summary:
    """Counts of a run."""

    records: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else 0.0


class Reporter:
    """Progress on stderr: a live line on a terminal, else one summary line at the end."""

    def __init__(self, stream: IO[str], progress: Progress, live: bool | None = None):
        self.stream = stream
        self.progress = progress
        self.live = stream.isatty() if live is None else live
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, s: Summary, force: bool = False) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = s.records / elapsed
        eta = ""
        p = self.progress
        if p.total_bytes and p.done_bytes:
            left = elapsed * (p.total_bytes - p.done_bytes) / p.done_bytes
            eta = f"  ETA {_hms(left)}"
        self.stream.write(f"\r{s.records:,} docs  {rate:,.0f} docs/s  {s.failed:,} errors{eta}   ")
        self.stream.flush()

    def finish(self, s: Summary, output: str) -> None:
        if self.live:
            self.update(s, force=True)
            self.stream.write("\n")
        resumed = f" (after {s.skipped:,} rows already done)" if s.skipped else ""
        self.stream.write(
            f"cleaner batch: {s.records:,} records, {s.records - s.failed:,} ok, {s.failed:,} failed "
            f"in {s.seconds:.1f} s ({s.rate:,.0f} docs/s){resumed} -> {output}\n"
        )
        self.stream.flush()


def _hms(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
