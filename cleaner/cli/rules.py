"""`cleaner rules check|list`: validate the rule files, or list the loaded rules."""

from __future__ import annotations

import argparse
import json
import shutil
import sys

from ..batch.progress import plural
from ..errors import RuleError
from ..ruleset import RuleSet, load_ruleset


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `cleaner rules`."""
    p.add_argument("action", choices=("check", "list"),
                   help="check: validate the rule files and run every rule's examples; "
                        "list: the loaded rules as a table")
    p.add_argument("--json", action="store_true",
                   help="list: the rule files, their versions and rule ids as JSON")


def table(rows: list[list[str]], width: int) -> str:
    """Rows as aligned columns; the last column is cut to fit `width`."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        line = "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1]
        out.append(line if len(line) <= width else line[: max(width - 1, 20)] + "…")
    return "\n".join(out)


def counts(rs: RuleSet) -> str:
    """"44 rules in 8 files", "1 rule in 1 file"."""
    return f"{plural(len(rs.rules), 'rule')} in {plural(len(rs.files), 'file')}"


def run(args: argparse.Namespace) -> int:
    """Run `cleaner rules`; returns the exit status."""
    try:
        rs = load_ruleset()
    except RuleError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.action == "list":
        if args.json:
            json.dump(rs.describe(), sys.stdout, indent=1, default=str)
            sys.stdout.write("\n")
            return 0
        rows = [["RULE", "ROLE", "FILE", "VERSION", "REASON"]]
        for f in rs.files:
            rows += [[r.id, r.role, f.name, str(f.version), r.reason] for r in f.rules]
        width = shutil.get_terminal_size((120, 24)).columns if sys.stdout.isatty() else 10**6
        print(table(rows, width))
        print(f"{counts(rs)}; rules_version {rs.digest}")
        return 0
    bad = [
        f"{r.id}: counter-example matches: {c!r}" for r in rs.rules for c in r.counter_examples
        if r.applies(c)
    ] + [f"{r.id}: example does not apply: {e!r}" for r in rs.rules for e in r.examples if not r.applies(e)]
    for line in bad:
        print(line, file=sys.stderr)
    print(f"{counts(rs)}: {'ok' if not bad else plural(len(bad), 'problem')}")
    return 0 if not bad else 2
