"""Reading batch inputs: JSONL files (plain, `.gz`, `.zst`), folders of `.txt` / `.html` files,
single files and stdin, streamed as *items* that still hold raw bytes (parsing JSON and decoding
text happen in the workers, where the CPU is)."""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..config import Settings
from ..errors import InputError, InputTooLarge
from ..records import error_row
from .progress import Progress
from .rows import Item

DOC_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
# A JSONL line longer than this cannot hold a document under the size cap, even fully \u-escaped
# (6 bytes a character), so the reader stops buffering it and reports it as too large.
LINE_SLACK = 64 * 1024


class InputsError(Exception):
    """An input that does not exist or cannot be read (before the run: exit 2, during it: 1)."""


def check_inputs(inputs: list[str]) -> None:
    """Raise InputsError for inputs that do not exist (before any output is touched)."""
    for name in inputs:
        if name != "-" and not os.path.exists(name):
            raise InputsError(f"no such file or folder: {name}")


def _open_binary(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """(raw file, decompressed stream) by file ending."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if path.endswith(".gz"):
        return raw, gzip.GzipFile(fileobj=raw, mode="rb")
    if path.endswith(".zst"):
        import zstandard

        return raw, zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return raw, raw


def _read_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Lines of a binary stream as (line, too_long); a line over `limit` is not kept in memory."""
    # zstandard's reader has no readline of its own; a BufferedReader gives it one.
    reader = stream if hasattr(stream, "peek") else io.BufferedReader(stream, 1 << 20)  # type: ignore[arg-type]
    while True:
        line = reader.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line without buffering it
                rest = reader.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield b"", True
            continue
        yield line, False


def read_jsonl(stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """Items of a JSONL stream; blank lines are skipped, line numbers count every line."""
    limit = 6 * settings.max_bytes + LINE_SLACK
    for line_no, (line, too_long) in enumerate(_read_lines(stream, limit), start=1):
        if too_long:
            big = InputTooLarge(f"line {line_no} is over {limit} bytes, beyond the size cap")
            yield ("row", error_row(None, big, line=line_no))
            continue
        if not line.strip():
            continue
        yield ("line", line_no, line)


def read_folder(root: Path, settings: Settings) -> Iterator[Item]:
    """Items of the `.txt` / `.html` files under `root`, by sorted relative path (the id)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            kind = DOC_SUFFIXES.get(path.suffix.lower())
            if kind is None:
                continue
            yield read_file(path, path.relative_to(root).as_posix(), kind, settings)


def read_file(path: Path, doc_id: str, kind: str, settings: Settings) -> Item:
    """One document file as an item (an error row when it is too large or unreadable)."""
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            return ("row", error_row(
                doc_id, InputTooLarge(f"{doc_id} is {size} bytes, over the {settings.max_bytes}-byte cap")
            ))
        return ("doc", doc_id, kind, path.read_bytes())
    except OSError as exc:
        return ("row", error_row(doc_id, InputError(f"cannot read {doc_id}: {exc.strerror}")))


def read_items(inputs: list[str], settings: Settings, progress: Progress | None = None) -> Iterator[Item]:
    """Every item of every input, in order; `progress` notes how far into the input each ends."""
    progress = progress if progress is not None else Progress()
    for name in inputs:
        for item, end in _items_of(name, settings, progress):
            progress.note(end)
            yield item


def _items_of(name: str, settings: Settings, progress: Progress) -> Iterator[tuple[Item, int]]:
    """(item, input bytes up to its end) of one input; the size is added to `progress`'s total."""
    base = progress.read_bytes
    if name == "-":
        progress.add_total(None)
        for item in read_jsonl(sys.stdin.buffer, settings):
            yield item, base
        return
    path = Path(name)
    if path.is_dir():
        progress.add_total(None)  # no ETA: a folder's size is not known without a walk
        for item in read_folder(path, settings):
            yield item, base
        return
    kind = DOC_SUFFIXES.get(path.suffix.lower())
    if kind is not None:
        size = _size(path)
        progress.add_total(size)
        yield read_file(path, path.name, kind, settings), base + (size or 0)
        return
    try:
        raw, stream = _open_binary(name)
    except OSError as exc:
        raise InputsError(f"cannot open {name}: {exc.strerror}") from exc
    size = os.fstat(raw.fileno()).st_size
    progress.add_total(size)
    try:
        # raw.tell(): exact for a plain file; for .gz / .zst the compressed position, a little
        # ahead of the line (the decompressor reads in blocks).
        for item in read_jsonl(stream, settings):
            yield item, base + min(raw.tell(), size)
    except (OSError, EOFError) as exc:  # a truncated .gz / .zst: report and stop this input
        raise InputsError(f"cannot read {name}: {exc}") from exc
    finally:
        stream.close()
        raw.close()


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of up to `size` items."""
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def skip(items: Iterator[Item], n: int) -> Iterator[Item]:
    """Drop the first `n` items (they already have rows, when resuming)."""
    for _ in range(n):
        if next(items, None) is None:
            break
    return items
