"""cleaner: raw scraped news text or HTML in, a clean, structured, explained article out.

Exit codes: 0 ok, 1 some documents failed, 2 usage or rule errors; 141 when the reader of
standard output went away (`cleaner ... | head`), quietly.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .. import _build
from .._version import __version__
from ..batch.progress import plural
from ..engine import clean
from ..errors import CleanerError, InputTooLarge, RuleError
from ..model import CleanResult
from . import batch, rules

AddArguments = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]
FORMATS_HELP = ("json: the whole result, indented (JSON Lines, one result a line, for several "
                "paths); text: the body's paragraphs; markdown: YAML front matter and the article")
SUFFIXES = {"json": ".json", "text": ".txt", "markdown": ".md"}
CLEAN_EXAMPLES = """\
examples:
  cleaner clean story.txt --format markdown
  cleaner clean page.html.gz --url https://example.com/story
  cleaner clean a.txt b.txt c.html -o out/ --format text     # out/a.txt, out/b.txt, out/c.txt
  cat dump.txt | cleaner clean - --format text | head

Text files may be in any encoding: a BOM, then --charset, then UTF-8, then detection; the
encoding used is in the result's `encoding` field (and noted on stderr when it is not UTF-8).
"""


def _add_clean(p: argparse.ArgumentParser) -> None:
    p.description = "Clean documents (text or HTML files, .gz too, or - for standard input)."
    p.epilog = CLEAN_EXAMPLES
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a text or HTML file (.txt, .html, any of them .gz), or - for standard input")
    p.add_argument("-o", "--output", metavar="FILE|DIR",
                   help="write to FILE instead of standard output; with a folder (existing, or "
                        "ending in /), one file per input named after it")
    p.add_argument("--format", choices=tuple(SUFFIXES), default="json", help=FORMATS_HELP)
    p.add_argument("--html", action="store_true", help="the input is HTML (default: by file ending)")
    p.add_argument("--url", help="the page's URL: scopes site rules, goes into the result (never fetched)")
    p.add_argument("--language", help="ISO 639-1 code such as en or de (default: guessed)")
    p.add_argument("--charset", help="the encoding of the input bytes when known (default: detected)")
    p.add_argument("--no-explain", action="store_true",
                   help="leave the audit trail (`blocks` and `removed`) out of JSON")
    p.add_argument("--precise", action=argparse.BooleanOptionalAction, default=None,
                   help="HTML: take trafilatura's main-content view as a second opinion (about 2.5x "
                        "slower); --no-precise (the default) finds the main content from the markup alone")


def _read(path: str, max_bytes: int) -> bytes:
    """The bytes of `path` (`-`: standard input), gunzipped when it ends in .gz, at most
    `max_bytes` (more raises InputTooLarge, read in bounded pieces: a gzip bomb stops early)."""
    raw: IO[bytes]
    if path == "-":
        raw = sys.stdin.buffer
    else:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    try:
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if path.endswith(".gz") else raw
        data = stream.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise OSError(f"{path} is not a readable gzip file: {exc}") from exc
    finally:
        if path != "-":
            raw.close()
    if len(data) > max_bytes:
        raise InputTooLarge(f"{path} is over the {max_bytes}-byte cap")
    return data


def _render(result: CleanResult, fmt: str, explain: bool, path: str | None) -> str:
    if fmt == "text":
        return result.text + ("\n" if result.text else "")
    if fmt == "markdown":
        return result.to_markdown()
    data = result.to_dict(explain=explain)
    if path is None:
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return json.dumps({"path": path, **data}, ensure_ascii=False) + "\n"


def _run_clean(args: argparse.Namespace) -> int:
    from ..config import Settings

    settings = Settings.from_env()
    several = len(args.paths) > 1
    out_dir: Path | None = None
    if args.output and (args.output.endswith("/") or Path(args.output).is_dir()):
        out_dir = Path(args.output)
        out_dir.mkdir(parents=True, exist_ok=True)
    elif args.output and Path(args.output).resolve() in {Path(p).resolve() for p in args.paths if p != "-"}:
        print(f"cleaner clean: -o {args.output} is one of the inputs", file=sys.stderr)
        return 2
    sink = open(args.output, "w", encoding="utf-8") if args.output and out_dir is None else None  # noqa: SIM115
    failed = written = 0
    out = sink or sys.stdout
    try:
        for path in args.paths:
            code, text = _clean_one(path, args, settings, several, out_dir)
            if code == 2:
                return 2
            failed += code
            if text is not None:
                if written and args.format != "json":
                    out.write("\n")  # a blank line between documents
                out.write(text)
                written += 1
    finally:
        if sink is not None:
            sink.close()
    if several and failed:
        print(f"cleaner clean: {failed} of {plural(len(args.paths), 'document')} failed", file=sys.stderr)
    return 1 if failed else 0


def _clean_one(path: str, args: argparse.Namespace, settings: object, several: bool,
               out_dir: Path | None) -> tuple[int, str | None]:
    """Clean one path: (0 ok, 1 failed, 2 rule errors; the output, None when written into
    `out_dir` or failed)."""
    name = "standard input" if path == "-" else path
    base = path[:-3] if path.endswith(".gz") else path
    is_html = args.html or base.lower().endswith((".html", ".htm"))
    try:
        data = _read(path, settings.max_bytes)  # type: ignore[attr-defined]
        kw = {"html": data} if is_html else {"text": data}
        result = clean(**kw, url=args.url, language=args.language, charset=args.charset,
                       settings=settings, precise=args.precise)  # type: ignore[arg-type]
    except CleanerError as exc:
        print(f"cleaner: {name}: {exc.title}: {exc}", file=sys.stderr)
        return (2 if isinstance(exc, RuleError) else 1), None
    except OSError as exc:
        print(f"cleaner: cannot read {name}: {exc.strerror or exc}", file=sys.stderr)
        return (1 if several else 2), None
    if result.encoding and result.encoding not in ("utf-8", "ascii"):
        print(f"cleaner: {name}: decoded as {result.encoding}", file=sys.stderr)
    for warning in result.warnings[:1]:
        print(f"cleaner: {name}: {warning} (see `warnings` in the JSON result)", file=sys.stderr)
    text = _render(result, args.format, not args.no_explain, path if several and out_dir is None else None)
    if out_dir is None:
        return 0, text
    stem = Path(base).stem if path != "-" else "stdin"
    (out_dir / (stem + SUFFIXES[args.format])).write_text(text, encoding="utf-8", errors="surrogatepass")
    return 0, None


def build_parser() -> argparse.ArgumentParser:
    summary = __doc__.split("\n")[0].split(": ", 1)[1]
    parser = argparse.ArgumentParser(prog="cleaner", description=summary[0].upper() + summary[1:],
                                     epilog="`cleaner COMMAND --help` describes each command.")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}, {_build.describe()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: dict[str, tuple[str, AddArguments, Run]] = {
        "clean": ("clean documents: files, .gz files or standard input", _add_clean, _run_clean),
        "batch": ("clean JSONL files or folders into JSONL rows (or one file per document)",
                  batch.add_arguments, batch.run),
        "rules": ("check the rule files, or list the loaded rules", rules.add_arguments, rules.run),
    }
    for name, (summary, add, run) in commands.items():
        p = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        add(p)
        p.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly. Point stdout at /dev/null so the
        # interpreter's last flush does not print a second traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141

