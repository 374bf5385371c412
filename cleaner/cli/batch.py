"""`cleaner batch`: clean JSONL files, folders or stdin into JSONL rows (or one file per document).

`add_arguments` and `run` are wired into the parser by `cleaner.cli.main`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from ..batch import Fields, InputsError, Options, check_inputs, learn_profiles, run_batch
from ..batch.dask_engine import DaskUnavailableError
from ..batch.profiles import SiteProfiles
from ..batch.progress import plural
from ..config import Settings
from ..engine import default_ruleset
from ..errors import RuleError

EXAMPLES = """\
examples:
  cleaner batch pages.jsonl.zst -o clean.jsonl
  cleaner batch corpus/ -o out/ --format markdown
  cat pages.jsonl | cleaner batch - -o - --no-explain
  cleaner batch big.jsonl.gz -o clean.jsonl --resume --engine dask --scheduler tcp://10.0.0.5:8786

An existing output is not overwritten without --force (or continued with --resume).
SIGTERM stops a run as Ctrl-C does: the rows written so far are complete; --resume goes on.

exit status: 0 all records cleaned, 1 some records failed (see their error rows), 2 usage error,
  74 an input or the output could not be read or written (disk full, no permission, gone):
  the rows already written stay; fix the cause and run again with --resume,
  130 interrupted (Ctrl-C or SIGTERM)
"""
FILE_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".json", ".jsonl", ".ndjson", ".gz", ".zst", ".html")


def default_workers() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `cleaner batch`."""
    p.description = __doc__.split("\n")[0].split(": ", 1)[1]
    p.epilog = EXAMPLES
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSONL file (.jsonl, .gz, .zst), folder of .txt/.html files, a single file, or -")
    p.add_argument("-o", "--output", required=True,
                   help="JSONL file (- for stdout); a folder with --format text|markdown")
    p.add_argument("--format", choices=("json", "text", "markdown"), default="json",
                   help="json: one row per record (default); text/markdown: one file per document")
    p.add_argument("--text-field", default="text", help="field with the raw text (default: text)")
    p.add_argument("--html-field", default="html", help="field with the HTML (default: html)")
    p.add_argument("--id-field", default="id", help="field with the record id (default: id)")
    p.add_argument("--url-field", default="url", help="field with the page URL (default: url)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: the CPUs available)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local process pool (default) or Dask distributed")
    p.add_argument("--scheduler", help="Dask scheduler address tcp://HOST:PORT (default: a LocalCluster)")
    p.add_argument("--resume", action="store_true",
                   help="continue after the last complete row of an existing output")
    p.add_argument("--force", action="store_true",
                   help="overwrite an existing output (without it, an existing output stops the run)")
    p.add_argument("--no-explain", action="store_true", help="leave `blocks` and `removed` out of rows")
    p.add_argument("--precise", action=argparse.BooleanOptionalAction, default=None,
                   help="HTML records: trafilatura's view as a second opinion (about 2.5x slower); "
                        "--no-precise (the default) finds the main content from the markup alone")
    p.add_argument("--max-bytes", type=int, default=None,
                   help="size cap of one document in bytes (default: CLEANER_MAX_BYTES or 10 MiB)")
    p.add_argument("--timeout", type=float, default=None,
                   help="time budget of one document in seconds (default: CLEANER_TIMEOUT_S or 10)")
    p.add_argument("--chunk-size", type=int, default=64, help="records per task (default: 64)")
    p.add_argument("--site-profiles", action="store_true",
                   help="first pass: remove lines that recur across many documents of one site")
    p.add_argument("--min-share", type=float, default=0.3,
                   help="site profiles: share of a site's documents a line must be in (default: 0.3)")
    p.add_argument("--min-docs", type=int, default=5,
                   help="site profiles: documents a site needs to get a profile (default: 5)")
    p.add_argument("--save-profiles", metavar="FILE", help="write the learned site profiles to FILE")
    p.add_argument("--load-profiles", metavar="FILE", help="use site profiles from FILE (no first pass)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="live progress line (default: when stderr is a terminal)")


def _has_output(out: Path, fmt: str) -> bool:
    """Whether `out` holds a previous run's output (a non-empty file, or a folder's index)."""
    if fmt == "json":
        return out.is_file() and out.stat().st_size > 0
    return (out / "index.jsonl").is_file()


_STOPPED = threading.Event()


def _interrupt(signum: int, frame: object) -> None:
    _STOPPED.set()
    raise KeyboardInterrupt


def _default_handlers() -> None:
    if signal.getsignal(signal.SIGTERM) is _interrupt:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if signal.getsignal(signal.SIGINT) is _interrupt:
        signal.signal(signal.SIGINT, signal.default_int_handler)


_FORK_HOOK = [False]


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM (a `kill`, `docker stop`, a scheduler's pre-emption) stop the
    run: the driver stops its workers, flushes complete rows and names --resume. Workers ignore
    both (see `batch.local._init_worker`): the driver stops them. The handler also sets a flag
    that the run checks after every chunk (`run_batch(interrupted=...)`): a KeyboardInterrupt
    raised while the main thread happens to run a finalizer (a `__del__`, a generator closed
    by the garbage collector) is swallowed by Python ("Exception ignored in ..."), and without
    the flag such a Ctrl-C would be lost and the run would go on to the end. The previous
    handlers come back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if not _FORK_HOOK[0]:
        # A child forked before it sets its own handlers (a pool worker starting) gets the
        # default actions back at once.
        os.register_at_fork(after_in_child=_default_handlers)
        _FORK_HOOK[0] = True
    _STOPPED.clear()
    previous_term = signal.signal(signal.SIGTERM, _interrupt)
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int is signal.default_int_handler:  # not when the caller chose otherwise
        signal.signal(signal.SIGINT, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        if signal.getsignal(signal.SIGINT) is _interrupt:
            signal.signal(signal.SIGINT, previous_int)


EXIT_IO = 74  # sysexits.h EX_IOERR; 0, 1, 2 and 130 are taken


def _io_error(exc: OSError, output: str) -> int:
    """One line for a failed read or write (no traceback), and its own exit status."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = exc.filename if exc.filename else ("standard output" if output == "-" else output)
    print(f"cleaner batch: I/O error on {where}: {what}; the rows written so far are kept, "
          "run again with --resume once it is fixed", file=sys.stderr)
    return EXIT_IO


def _usage(msg: str) -> int:
    print(f"cleaner batch: {msg}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run `cleaner batch`; returns the exit status."""
    with stop_signals():  # from the start: a SIGTERM during start-up stops it too
        try:
            return _run(args)
        except BrokenPipeError:  # the reader went away (`| head`): quiet, 141, in cli.main
            raise
        except OSError as exc:  # e.g. a path that cannot even be looked at: one line, status 74
            return _io_error(exc, args.output)


def _run(args: argparse.Namespace) -> int:
    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1 or args.chunk_size < 1:
        return _usage("--workers and --chunk-size must be at least 1")
    if args.scheduler and args.engine != "dask":
        return _usage("--scheduler needs --engine dask")
    if args.format != "json" and args.output == "-":
        return _usage(f"--format {args.format} writes files into a folder; give -o FOLDER")
    if args.format == "json" and Path(args.output).is_dir():
        return _usage(f"{args.output} is a folder; JSONL output needs a file name")
    out = Path(args.output)
    if args.format != "json" and not out.is_dir() and (out.is_file() or out.suffix.lower() in FILE_SUFFIXES):
        return _usage(
            f"--format {args.format} writes one file per document into a folder, and -o {args.output} "
            f"names a file; give a folder (e.g. -o {out.with_suffix('')}/), or --format json for one "
            "JSONL file"
        )
    if args.resume and args.force:
        return _usage("--resume continues an existing output and --force overwrites it: give one")
    if args.output != "-" and not args.resume and not args.force and _has_output(out, args.format):
        what = "folder already holds an index.jsonl" if out.is_dir() else "file exists"
        return _usage(f"{args.output}: the output {what}; add --force to overwrite it, or --resume "
                      "to continue it")
    learn = (args.site_profiles or args.save_profiles) and not args.load_profiles
    if learn and "-" in args.inputs:
        return _usage("--site-profiles reads the input twice; it cannot read stdin (use --load-profiles)")
    if not 0 < args.min_share <= 1 or args.min_docs < 1:
        return _usage("--min-share must be in (0, 1] and --min-docs at least 1")
    try:
        check_inputs(args.inputs)
    except InputsError as exc:
        return _usage(str(exc))

    env = Settings.from_env()
    settings = Settings(
        max_bytes=args.max_bytes if args.max_bytes is not None else env.max_bytes,
        timeout_s=args.timeout if args.timeout is not None else env.timeout_s,
    )
    fields = Fields(text=args.text_field, html=args.html_field, id=args.id_field, url=args.url_field)
    try:
        default_ruleset()  # bad rule files stop the run before any output is written
    except RuleError as exc:
        print(str(exc), file=sys.stderr)
        return 2

    profiles = None
    if args.load_profiles:
        try:
            profiles = SiteProfiles.from_json(Path(args.load_profiles).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return _usage(f"cannot load site profiles from {args.load_profiles}: {exc}")
    elif learn:
        try:
            profiles = learn_profiles(args.inputs, fields, settings,
                                      min_share=args.min_share, min_docs=args.min_docs)
        except InputsError as exc:
            return _usage(str(exc))
        lines = sum(len(s["lines"]) for s in profiles.sites.values())
        print(f"cleaner batch: site profiles: {plural(len(profiles.sites), 'site')}, "
              f"{plural(lines, 'repeated line')}",
              file=sys.stderr)
    if args.save_profiles and profiles is not None:
        Path(args.save_profiles).write_text(profiles.to_json(), encoding="utf-8")

    options = Options(fields=fields, settings=settings,
                      explain=not args.no_explain and args.format == "json", profiles=profiles,
                      precise=args.precise)
    try:
        summary = run_batch(
            args.inputs, args.output, options=options, fmt=args.format, workers=workers,
            engine=args.engine, scheduler=args.scheduler, resume=args.resume,
            chunk_size=args.chunk_size, live=args.progress, interrupted=_STOPPED.is_set,
        )
    except InputsError as exc:
        if isinstance(exc.__cause__, (OSError, EOFError)):  # an input that cannot be read
            print(f"cleaner batch: {exc}; the rows written so far are kept, run again with --resume "
                  "once it is fixed", file=sys.stderr)
            return EXIT_IO
        print(f"cleaner batch: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ncleaner batch: interrupted; the rows written so far are complete: run the same "
              "command with --resume to continue", file=sys.stderr)
        return 130
    except DaskUnavailableError as exc:
        return _usage(str(exc))
    except BrokenPipeError:  # the reader of stdout went away: cli.main exits 141, quietly
        raise
    except OSError as exc:  # disk full, no permission, a file or folder gone
        return _io_error(exc, args.output)
    return 1 if summary.failed else 0

