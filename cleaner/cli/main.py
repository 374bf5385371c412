"""Command line: `python -m cleaner clean PATH|- [--format json|text|markdown]`, and `batch`.

Exit codes: 0 ok, 1 some records failed (or the one document did), 2 usage or rule errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from ..engine import clean
from ..errors import CleanerError, RuleError
from ..ruleset import load_ruleset
from . import batch

AddArguments = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]


def _add_clean(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="a text file, or - for standard input")
    p.add_argument("--format", choices=("json", "text", "markdown"), default="json")
    p.add_argument("--html", action="store_true", help="the input is HTML (default: by file ending)")
    p.add_argument("--url", help="the page's URL (scopes site rules)")
    p.add_argument("--language", help="ISO 639-1 code (default: guessed)")
    p.add_argument("--no-explain", action="store_true", help="leave out `blocks` and `removed`")


def _run_clean(args: argparse.Namespace) -> int:
    if args.path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(args.path, "rb") as f:
                data = f.read()
        except OSError as exc:
            print(f"cleaner: cannot read {args.path}: {exc.strerror}", file=sys.stderr)
            return 2
    is_html = args.html or args.path.lower().endswith((".html", ".htm"))
    try:
        if is_html:
            result = clean(html=data, url=args.url, language=args.language)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                print(f"cleaner: {args.path} is not valid UTF-8: {exc}", file=sys.stderr)
                return 1
            result = clean(text, url=args.url, language=args.language)
    except CleanerError as exc:
        print(f"cleaner: {exc.title}: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, RuleError) else 1
    if args.format == "text":
        sys.stdout.write(result.text + ("\n" if result.text else ""))
    elif args.format == "markdown":
        sys.stdout.write(result.to_markdown())
    else:
        json.dump(result.to_dict(explain=not args.no_explain), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 0


def _add_rules(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("check", "list"), help="check: validate and run examples")


def _run_rules(args: argparse.Namespace) -> int:
    try:
        rs = load_ruleset()
    except RuleError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.action == "list":
        json.dump(rs.describe(), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    bad = [
        f"{r.id}: counter-example matches: {c!r}" for r in rs.rules for c in r.counter_examples
        if r.applies(c)
    ] + [f"{r.id}: example does not apply: {e!r}" for r in rs.rules for e in r.examples if not r.applies(e)]
    for line in bad:
        print(line, file=sys.stderr)
    print(f"{len(rs.rules)} rules in {len(rs.files)} files: {'ok' if not bad else f'{len(bad)} problems'}")
    return 0 if not bad else 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cleaner", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    commands: dict[str, tuple[AddArguments, Run]] = {
        "clean": (_add_clean, _run_clean), "rules": (_add_rules, _run_rules),
        "batch": (batch.add_arguments, batch.run),
    }
    for name, (add, run) in commands.items():
        p = sub.add_parser(name)
        add(p)
        p.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))
