"""Batch cleaning: records in, one JSON row per record out, in input order, in bounded memory.

The pieces, front to back:

- `read_items(inputs)` streams *items* out of JSONL files (plain, `.gz`, `.zst`), folders of
  `.txt` / `.html` files, single files and stdin. An item is a small tuple that still holds raw
  bytes: parsing JSON and decoding text happen in the workers, where the CPU is.
- `clean_record(record)` turns one parsed record into its row, `{"id", "ok": true, ...result}` or
  `{"id", "ok": false, "error": {"type", "title", "status", "detail"}}`. The HTTP service builds
  its batch rows with the same function.
- `process_chunk(items, options)` is what a worker runs: items in, serialised rows out. The local
  pool and Dask both call it, so both engines write byte-identical output.
- `run_ordered(...)` keeps a bounded window of chunks in flight on any executor-like backend and
  yields rows in input order.
- `JsonlSink` / `FolderSink` write rows (or one file per document) and know how to resume.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .config import Settings
from .errors import CleanerError, InputError, InputTooLarge, UndecodableInput

# An item is one of:
#   ("line", line_number, raw_bytes)          a JSONL line, parsed by the worker
#   ("doc", doc_id, "text"|"html", raw_bytes) a file of a folder, or a single file
#   ("row", row_dict)                         a row already decided by the reader (unreadable file)
Item = tuple[Any, ...]
Rows = list[tuple[bool, str]]  # (ok, serialised row) per item of a chunk

DOC_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
# A JSONL line longer than this cannot hold a document under the size cap, even fully \u-escaped
# (6 bytes a character), so the reader stops buffering it and reports it as too large.
LINE_SLACK = 64 * 1024


@dataclass(frozen=True)
class Fields:
    """Which record fields hold the text, the HTML, the id and the URL."""

    text: str = "text"
    html: str = "html"
    id: str = "id"
    url: str = "url"


@dataclass(frozen=True)
class Options:
    """Everything a worker needs to turn items into rows; small and picklable."""

    fields: Fields = field(default_factory=Fields)
    settings: Settings = field(default_factory=Settings)
    explain: bool = True
    profiles: Any = None  # a profiles.SiteProfiles, or None


# ---------------------------------------------------------------------------------------------
# Rows


def error_row(record_id: Any, exc: BaseException, **extra: Any) -> dict[str, Any]:
    """The error row of a record: `{"id", "ok": false, "error": problem}` (+ `line` when known)."""
    if isinstance(exc, CleanerError):
        problem = exc.to_problem()
    else:  # a bug in the engine must not stop a million-document run; report it as a 500
        problem = CleanerError(f"{type(exc).__name__}: {exc}").to_problem()
    row: dict[str, Any] = {"id": record_id, "ok": False}
    row.update(extra)
    row["error"] = problem
    return row


def clean_record(
    record: Any,
    *,
    fields: Fields | None = None,
    settings: Settings | None = None,
    ruleset: Any = None,
    explain: bool = True,
    profiles: Any = None,
) -> dict[str, Any]:
    """The row of one record: `{"id", "ok": true, ...result}` or `{"id", "ok": false, "error"}`.

    Args:
        record: a parsed JSON record (a dict with the text or HTML field; anything else is an
            error row).
        fields: field names (default `text`, `html`, `id`, `url`).
        settings: per-document limits (default `Settings.from_env()`).
        ruleset: the rules (default: the process's built-in rules plus `CLEANER_RULES`).
        explain: include `removed` and `blocks` in success rows.
        profiles: site profiles (`cleaner.profiles.SiteProfiles`) applied after cleaning.
    Never raises for a bad record: every failure becomes an error row.
    """
    from .engine import clean

    f = fields or Fields()
    if not isinstance(record, dict):
        return error_row(None, InputError(f"a record must be a JSON object, not {_json_type(record)}"))
    record_id = record.get(f.id)
    text = record.get(f.text)
    html = record.get(f.html)
    try:
        if text is None and html is None:
            raise InputError(f"the record has neither a `{f.text}` nor an `{f.html}` field")
        language = record.get("language")
        result = clean(
            text, html=html, url=record.get(f.url), language=language if isinstance(language, str) else None,
            ruleset=ruleset, settings=settings,
        )
        if profiles is not None:
            result = profiles.apply(result, text if isinstance(text, str) else None, record.get(f.url))
    except Exception as exc:  # every failure of one record is that record's row
        return error_row(record_id, exc)
    return {"id": record_id, "ok": True, **result.to_dict(explain=explain)}


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def dump_row(row: dict[str, Any]) -> str:
    """One row as a JSON line (fixed key order, UTF-8 kept, newline-terminated)."""
    try:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from \ud800-style escapes: keep them escaped
        line = json.dumps(row, ensure_ascii=True, separators=(",", ":"))
    return line + "\n"


def item_to_row(item: Item, options: Options) -> dict[str, Any]:
    """Parse, decode and clean one item."""
    kind = item[0]
    if kind == "row":
        return item[1]
    if kind == "line":
        _, line_no, raw = item
        try:
            record = json.loads(raw)
        except UnicodeDecodeError as exc:
            exc_ = UndecodableInput(f"line {line_no} is not valid UTF-8: {exc}")
            return error_row(None, exc_, line=line_no)
        except ValueError as exc:
            return error_row(None, InputError(f"line {line_no} is not JSON: {exc}"), line=line_no)
        if not isinstance(record, dict):
            return error_row(
                None, InputError(f"line {line_no} is {_json_type(record)}, not a JSON object"), line=line_no
            )
        return clean_record(
            record, fields=options.fields, settings=options.settings, explain=options.explain,
            profiles=options.profiles,
        )
    _, doc_id, doc_kind, raw = item
    if doc_kind == "text":
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return error_row(doc_id, UndecodableInput(f"{doc_id} is not valid UTF-8: {exc}"))
        record: dict[str, Any] = {options.fields.id: doc_id, options.fields.text: text}
    else:
        record = {options.fields.id: doc_id, options.fields.html: raw}
    return clean_record(
        record, fields=options.fields, settings=options.settings, explain=options.explain,
        profiles=options.profiles,
    )


def process_chunk(items: list[Item], options: Options) -> list[tuple[bool, str]]:
    """What a worker runs (local pool or Dask): items in, (ok, serialised row) out, same order."""
    out = []
    for item in items:
        row = item_to_row(item, options)
        out.append((bool(row["ok"]), dump_row(row)))
    return out


# ---------------------------------------------------------------------------------------------
# Reading


class InputsError(Exception):
    """An input that does not exist or cannot be read (before the run: exit 2, during it: 1)."""


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
    """Every item of every input, in order."""
    for name in inputs:
        if name == "-":
            if progress is not None:
                progress.add_total(None)
            yield from read_jsonl(sys.stdin.buffer, settings)
            continue
        path = Path(name)
        if path.is_dir():
            if progress is not None:
                progress.add_total(None)  # no ETA: a folder's size is not known without a walk
            yield from read_folder(path, settings)
            continue
        kind = DOC_SUFFIXES.get(path.suffix.lower())
        if kind is not None:
            yield read_file(path, path.name, kind, settings)
            continue
        try:
            raw, stream = _open_binary(name)
        except OSError as exc:
            raise InputsError(f"cannot open {name}: {exc.strerror}") from exc
        base = progress.done_bytes if progress is not None else 0
        if progress is not None:
            progress.add_total(os.fstat(raw.fileno()).st_size)
        try:
            for item in read_jsonl(stream, settings):
                if progress is not None:
                    progress.done_bytes = base + raw.tell()
                yield item
        except (OSError, EOFError) as exc:  # a truncated .gz / .zst: report and stop this input
            raise InputsError(f"cannot read {name}: {exc}") from exc
        finally:
            stream.close()
            raw.close()
        if progress is not None:
            progress.done_bytes = base + os.path.getsize(name)


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


# ---------------------------------------------------------------------------------------------
# Running


def run_ordered(
    chunks: Iterable[list[Item]],
    submit: Callable[[list[Item]], Any],
    result: Callable[[Any], list[tuple[bool, str]]],
    window: int,
) -> Iterator[list[tuple[bool, str]]]:
    """Submit chunks with at most `window` in flight; yield their rows in input order.

    Memory stays bounded by `window` chunks whatever the input size, unlike `Pool.imap`, whose
    feeder thread reads the whole input ahead.
    """
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


_WORKER_OPTIONS: Options | None = None


def _init_worker(options: Options) -> None:
    """Pool initializer: keep the options (and site profiles) once per process; load rules once.

    Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the driver alone decides
    (it terminates the pool), so no worker dies half-way through a chunk on its own.
    """
    global _WORKER_OPTIONS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_OPTIONS = options
    from .engine import default_ruleset

    default_ruleset()


def _worker_chunk(items: list[Item]) -> Rows:
    assert _WORKER_OPTIONS is not None
    return process_chunk(items, _WORKER_OPTIONS)


def run_local(chunks: Iterable[list[Item]], options: Options, workers: int) -> Iterator[Rows]:
    """Rows of every chunk with a pool of `workers` processes (in this process when 1)."""
    if workers <= 1:
        from .engine import default_ruleset

        default_ruleset()
        for chunk in chunks:
            yield process_chunk(chunk, options)
        return
    import multiprocessing as mp

    # fork: workers start at once and share the parent's loaded modules; spawn where no fork.
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    pool = ctx.Pool(workers, initializer=_init_worker, initargs=(options,))
    try:
        yield from run_ordered(
            chunks, lambda c: pool.apply_async(_worker_chunk, (c,)), lambda r: r.get(), window=workers * 4
        )
    except BaseException:  # Ctrl-C, a write error, the consumer gone: stop the workers now
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()


# ---------------------------------------------------------------------------------------------
# Writing and resuming


def complete_rows(path: Path) -> int:
    """Cut a partial last line off `path` and return how many complete rows it holds."""
    if not path.exists():
        return 0
    count = 0
    last_end = 0
    pos = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                break
            n = block.count(b"\n")
            if n:
                count += n
                last_end = pos + block.rindex(b"\n") + 1
            pos += len(block)
    if last_end != pos:
        with open(path, "r+b") as f:
            f.truncate(last_end)
    return count


class JsonlSink:
    """Rows to a JSONL file (or stdout)."""

    def __init__(self, path: str, resume: bool):
        self.path = path
        self.done = 0
        if path == "-":
            self.f: IO[bytes] = sys.stdout.buffer
            self.close_f = False
            return
        if resume:
            self.done = complete_rows(Path(path))
        self.f = open(path, "ab" if resume else "wb")  # noqa: SIM115
        self.close_f = True

    def write(self, line: str, row_number: int) -> None:
        self.f.write(line.encode("utf-8"))

    def flush(self) -> None:
        self.f.flush()

    def close(self) -> None:
        self.f.flush()
        if self.close_f:
            self.f.close()


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(doc_id: Any) -> str:
    """A file name from an id: unsafe characters become `_`; empty when nothing is left."""
    if doc_id is None or isinstance(doc_id, (dict, list, bool)):
        return ""
    name = _UNSAFE.sub("_", str(doc_id)).strip("._")
    return name[:150]


class FolderSink:
    """One `.txt` / `.md` file per document in a folder, plus `index.jsonl` (one row per record).

    Index rows are `{"id", "ok": true, "file"}` or the usual error row; resuming reads the index.
    """

    INDEX = "index.jsonl"

    def __init__(self, folder: str, fmt: str, resume: bool):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ext = ".md" if fmt == "markdown" else ".txt"
        self.fmt = fmt
        index = self.folder / self.INDEX
        self.used: set[str] = {self.INDEX}
        self.done = 0
        if resume and index.exists():
            self.done = complete_rows(index)
            with open(index, "rb") as f:
                self.used.update(name for line in f if (name := json.loads(line).get("file")))
        self.index = open(index, "ab" if resume else "wb")  # noqa: SIM115

    def _name(self, doc_id: Any, row_number: int) -> str:
        name = safe_name(doc_id)
        cand = name + self.ext if name else ""
        if not cand or cand in self.used:
            cand = f"record-{row_number:08d}{self.ext}"
            k = 1
            while cand in self.used:
                cand = f"record-{row_number:08d}-{k}{self.ext}"
                k += 1
        self.used.add(cand)
        return cand

    def write(self, line: str, row_number: int) -> None:
        row = json.loads(line)
        if row["ok"]:
            from .model import CleanResult

            name = self._name(row["id"], row_number)
            res = CleanResult(
                title=row["title"], standfirst=row["standfirst"], source=row["source"], body=row["body"],
                captions=row["captions"],
            )
            content = res.to_markdown() if self.fmt == "markdown" else res.text + ("\n" if res.text else "")
            tmp = self.folder / (name + ".part")
            tmp.write_text(content, encoding="utf-8", errors="surrogatepass")
            os.replace(tmp, self.folder / name)
            index_row: dict[str, Any] = {"id": row["id"], "ok": True, "file": name}
        else:
            index_row = row
        self.index.write(dump_row(index_row).encode("utf-8"))

    def flush(self) -> None:
        self.index.flush()

    def close(self) -> None:
        self.index.close()


# ---------------------------------------------------------------------------------------------
# The whole run


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


def run_batch(
    inputs: list[str],
    output: str,
    *,
    options: Options,
    fmt: str = "json",
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    chunk_size: int = 64,
    stderr: IO[str] | None = None,
    live: bool | None = None,
) -> Summary:
    """Clean every record of `inputs` into `output`; returns the counts (raises InputsError)."""
    check_inputs(inputs)
    with contextlib.ExitStack() as stack:
        if engine == "dask":
            from .dask_runner import DaskRunner

            # Connect and check the workers before the output is touched.
            runner = stack.enter_context(DaskRunner(options, workers=workers, scheduler=scheduler))
            clean_chunks: Callable[[Iterable[list[Item]]], Iterator[Rows]] = runner.run
        else:
            def clean_chunks(chunks: Iterable[list[Item]]) -> Iterator[Rows]:
                yield from run_local(chunks, options, workers)
        sink: JsonlSink | FolderSink
        sink = FolderSink(output, fmt, resume) if fmt != "json" else JsonlSink(output, resume)
        stack.callback(sink.close)
        progress = Progress()
        summary = Summary(skipped=sink.done)
        reporter = Reporter(stderr or sys.stderr, progress, live)
        start = time.monotonic()
        items = skip(read_items(inputs, options.settings, progress), sink.done)
        row_number = sink.done
        last_flush = time.monotonic()
        results = stack.enter_context(contextlib.closing(clean_chunks(chunked(items, chunk_size))))
        for rows in results:
            for ok, line in rows:
                row_number += 1
                sink.write(line, row_number)
                summary.records += 1
                summary.failed += not ok
            now = time.monotonic()
            if now - last_flush > 1.0:  # complete rows reach the disk often, for --resume
                sink.flush()
                last_flush = now
            reporter.update(summary)
        summary.seconds = time.monotonic() - start
    reporter.finish(summary, output)
    return summary


def learn_profiles(inputs: list[str], fields: Fields, settings: Settings, **kw: Any) -> Any:
    """The first pass of `--site-profiles`: count repeated lines per site over every input."""
    from .profiles import ProfileBuilder

    builder = ProfileBuilder(**kw)
    for item in read_items(inputs, settings):
        if item[0] != "line":
            continue  # folder files carry no URL, so no site
        try:
            record = json.loads(item[2])
        except ValueError:
            continue
        if isinstance(record, dict):
            builder.add(record.get(fields.url), record.get(fields.text))
    return builder.profiles()
