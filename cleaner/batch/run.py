"""The whole batch run: inputs -> engine (local pool or Dask) -> sink, with progress."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ..config import Settings
from ..records import MISSING_FIELD, Fields
from .local import run_local
from .profiles import ProfileBuilder
from .progress import Progress, Reporter, Summary
from .readers import check_inputs, chunked, read_items, skip
from .rows import Item, Options, Rows
from .sinks import FolderSink, JsonlSink


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
    interrupted: Callable[[], bool] | None = None,
) -> Summary:
    """Clean every record of `inputs` into `output`; returns the counts (raises InputsError).

    `interrupted`, when given, is asked after every chunk: True stops the run as Ctrl-C does
    (KeyboardInterrupt), for a signal whose own KeyboardInterrupt was swallowed (see
    `cleaner.cli.batch.stop_signals`)."""
    check_inputs(inputs)
    with contextlib.ExitStack() as stack:
        if engine == "dask":
            from .dask_engine import DaskRunner

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
        progress.skip(sink.done)
        row_number = sink.done
        last_flush = time.monotonic()
        stack.callback(reporter.close)  # the bar ends its line before any message (Ctrl-C too)
        results = stack.enter_context(contextlib.closing(clean_chunks(chunked(items, chunk_size))))
        noted = False
        for rows in results:
            if interrupted is not None and interrupted():
                raise KeyboardInterrupt
            for ok, line in rows:
                row_number += 1
                sink.write(line, row_number)
                summary.records += 1
                summary.failed += not ok
                if not ok and not noted:
                    noted = _note_missing_field(line, row_number, reporter)
            progress.written(row_number)
            now = time.monotonic()
            if now - last_flush > 1.0:  # complete rows reach the disk often, for --resume
                sink.flush()
                last_flush = now
            reporter.update(summary)
        summary.seconds = time.monotonic() - start
    reporter.finish(summary, output)
    return summary


def _note_missing_field(line: str, row_number: int, reporter: Reporter) -> bool:
    """Say once per run, on stderr, that records lack the text and HTML fields, naming the
    fields they have (the error row's detail lists them). True once noted."""
    detail = json.loads(line).get("error", {}).get("detail", "")
    if not detail.startswith(MISSING_FIELD):
        return False
    reporter.note(f"row {row_number:,}: {detail}; choose them with --text-field / --html-field "
                  "(noted once per run)")
    return True


def learn_profiles(inputs: list[str], fields: Fields, settings: Settings, **kw: Any) -> Any:
    """The first pass of `--site-profiles`: count repeated lines per site over every input."""
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
