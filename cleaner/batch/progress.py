"""Progress of a batch run: bytes done (for the percentage and ETA), counts, the bar on stderr.

The readers note, for every item they hand on, how far into the input it ends (`Progress.note`);
the run reports an item done only once its row is written (`Progress.written`). So the bar's
percentage and ETA follow the rows on disk, not the reader, which runs ahead of the workers by
the whole window of chunks in flight (an ETA from the reader's position reaches 0 while a
quarter of the work is still in the workers).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import IO, Any


def plural(n: int, word: str) -> str:
    """`n word` with the plural when n != 1: "1 record", "2 records"."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


class Progress:
    """The input's size in bytes (None when unknown: stdin, folders) and how much is done."""

    def __init__(self) -> None:
        self.total_bytes: int | None = 0
        self.done_bytes = 0  # bytes of input whose rows are written
        self.read_bytes = 0  # bytes the readers have consumed (ahead of done_bytes)
        self.items = 0  # items handed on by the readers
        self._ends: deque[tuple[int, int]] = deque()  # (item number, input bytes up to its end)

    def add_total(self, n: int | None) -> None:
        if n is None or self.total_bytes is None:
            self.total_bytes = None
        else:
            self.total_bytes += n

    def note(self, end_bytes: int) -> None:
        """The reader hands on one more item, which ends `end_bytes` into the input."""
        self.items += 1
        self.read_bytes = end_bytes
        self._ends.append((self.items, end_bytes))

    def skip(self, n: int) -> None:
        """`n` items are not cleaned (already done, when resuming): count them as done."""
        self.written(n)

    def written(self, items: int) -> None:
        """The first `items` items have their rows written."""
        while self._ends and self._ends[0][0] <= items:
            self.done_bytes = self._ends.popleft()[1]


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
    """Progress on stderr: a tqdm bar on a terminal (bytes with a total, percentage and ETA
    when the input's size is known; documents and rate otherwise), one summary line at the end."""

    def __init__(self, stream: IO[str], progress: Progress, live: bool | None = None):
        self.stream = stream
        self.progress = progress
        self.live = stream.isatty() if live is None else live
        self.bar: Any = None

    def _open(self) -> Any:
        from tqdm import tqdm

        total = self.progress.total_bytes
        common = {"file": self.stream, "dynamic_ncols": True, "mininterval": 0.5, "smoothing": 0.05,
                  "leave": True}
        if total:
            return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, **common)
        return tqdm(total=None, unit=" docs", **common)

    def update(self, s: Summary, force: bool = False) -> None:
        if not self.live:
            return
        if self.bar is None:
            self.bar = self._open()
            if self.progress.total_bytes:
                self.bar.n = self.bar.last_print_n = self.progress.done_bytes
        p = self.progress
        new = (p.done_bytes if p.total_bytes else s.records) - self.bar.n
        self.bar.set_postfix_str(f"{s.records:,} docs, {plural(s.failed, 'error')}", refresh=False)
        if new > 0:
            self.bar.update(new)
        elif force:
            self.bar.refresh()

    def note(self, message: str) -> None:
        """A line on stderr that does not break the bar."""
        text = f"cleaner batch: {message}"
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def finish(self, s: Summary, output: str) -> None:
        if self.live:
            self.update(s, force=True)
            self.close()
        resumed = f" (after {plural(s.skipped, 'row')} already done)" if s.skipped else ""
        self.stream.write(
            f"cleaner batch: {plural(s.records, 'record')}, {s.records - s.failed:,} ok, {s.failed:,} failed "
            f"in {s.seconds:.1f} s ({s.rate:,.0f} docs/s){resumed} -> {output}\n"
        )
        self.stream.flush()
