"""How the typed result reads from Python; `mypy --strict` checks this file in CI
(scripts/check.sh), so the types users get from `cleaner` (it ships `py.typed`) stay right.

    python examples/typed_usage.py seeds/000_11e950c0d58bd2da.txt
"""

from __future__ import annotations

import sys

from cleaner import BodyItem, Caption, CleanResult, InputError, RelatedItem, RemovedItem, clean


def paragraphs(result: CleanResult) -> list[str]:
    """The texts of the body's paragraphs (no headings, list items or quotes)."""
    items: list[BodyItem] = result.body
    return [b["text"] for b in items if b["kind"] == "paragraph"]


def credits(result: CleanResult) -> list[str]:
    caps: list[Caption] = result.captions
    return [c["credit"] for c in caps if c["credit"] is not None]


def teasers(result: CleanResult) -> list[tuple[str, str | None]]:
    rel: list[RelatedItem] = result.related
    return [(r["title"], r["summary"]) for r in rel]


def removed_by_rule(result: CleanResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    gone: list[RemovedItem] = result.removed
    for item in gone:
        counts[item["rule"]] = counts.get(item["rule"], 0) + 1
    return counts


def main(path: str) -> int:
    with open(path, "rb") as f:
        data = f.read()
    try:
        result = clean(data, url="https://example.com/story", language="en")
    except InputError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print("warning:", warning, file=sys.stderr)
    span: list[int] | None = result.body[0]["lines"] if result.body else None
    print(result.title, result.encoding, result.cleaner_version, result.rules_version, span)
    print(len(paragraphs(result)), credits(result), teasers(result)[:1], removed_by_rule(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
