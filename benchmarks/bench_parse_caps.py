"""The slowest pages within the input caps: how long lxml takes to parse each (it cannot be
interrupted), and how long `clean()` takes to answer with a 1 s budget.

    .venv/bin/python benchmarks/bench_parse_caps.py [--budget 1] [--only NAME] [--mib 10]

Each page is built to the size cap (10 MiB) and just under every other cap, so that it reaches
the parser: the worst page within the caps must parse well inside 2x the budget. Prints one line
a page: size, the cap check's time, lxml's parse time, and `clean()`'s outcome and time.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fill(unit: Callable[[int], str], size: int, head: str = "<html><body>",
         tail: str = "</body></html>") -> str:
    """Units `unit(0)`, `unit(1)`, ... joined up to `size` characters."""
    parts, n, i = [head], len(head) + len(tail), 0
    while True:
        u = unit(i)
        if n + len(u) > size:
            break
        parts.append(u)
        n += len(u)
        i += 1
    parts.append(tail)
    return "".join(parts)


def attrs(k: int, value: str = "") -> str:
    """`k` distinct attribute names (shortest first), each with `value` if given."""
    out = []
    for i in range(k):
        name = "a" + _base36(i)
        out.append(f'{name}="{value}"' if value else name)
    return " ".join(out)


def _base36(i: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        s = digits[i % 36] + s
        i //= 36
        if not i:
            return s


def pages(size: int, per_element: int, total_attrs: int | None, depth: int, elements: int) -> dict[str, str]:
    """The pages, each up to `size` characters and within the given caps."""
    k = per_element
    bare = attrs(k)
    quoted = attrs(k, "v")
    # Under the cap on all attributes, a page spends what is left on `filler` (text by default).
    def under_total(unit_attrs: int, unit: Callable[[int], str], filler: str = "x ") -> str:
        n_units = min(total_attrs // unit_attrs, elements) if total_attrs else elements
        body = "".join(unit(i) for i in range(n_units))
        return fill(lambda i: filler, size, head="<html><body>" + body)

    def combined(unit_attrs: int, unit: Callable[[int], str]) -> str:
        """Tags with `unit_attrs` attributes up to the total cap, then empty elements up to the
        element cap, then text."""
        n_units = min(total_attrs // unit_attrs, elements) if total_attrs else elements
        body = "".join(unit(i) for i in range(n_units)) + "<p></p>" * (elements - n_units - 10)
        return fill(lambda i: "x ", size, head="<html><body>" + body)

    out = {
        f"{k}-bare-attributes-each": under_total(k, lambda i: f"<p {bare}>x</p>"),
        f"{k}-quoted-attributes-each": under_total(k, lambda i: f"<p {quoted}>x</p>"),
        f"{k}-attributes-on-void-tags": under_total(k, lambda i: f"<br {bare}>"),
        f"{k}-attributes-with-entities": under_total(
            k, lambda i: "<p " + attrs(k, "&amp;&lt;&#x41;") + ">x</p>"),
        f"{k}-attributes-then-empty-elements": combined(k, lambda i: f"<p {bare}>x</p>"),
        f"{k}-quoted-then-empty-elements": combined(k, lambda i: f"<p {quoted}>x</p>"),
        "2-attributes-each": under_total(2, lambda i: "<i a b></i>"),
        "2-attributes-then-empty-elements": combined(2, lambda i: "<i a b></i>"),
        "100-attributes-each": under_total(100, lambda i: "<i " + attrs(100) + "></i>"),
        "end-tags-with-attributes": under_total(k, lambda i: f"<p>x</p {bare}>"),
        "one-attribute-value": "<html><body><p title=\"" + "v" * (size - 60) + "\">x</p></body></html>",
        "tiny-elements": fill(lambda i: "<p></p>", min(size, 7 * elements)),
        "tiny-unclosed-elements": fill(lambda i: "<p>", min(size, 3 * elements)),
        "tiny-quoted-elements": fill(lambda i: '<p a=""></p>', min(size, 12 * elements)),
        "links": fill(lambda i: '<a href="x"></a>', min(size, 16 * elements)),
        "tiny-void-elements": fill(lambda i: "<br>", min(size, 4 * elements)),
        "unclosed-inline-nesting": "<html><body>" + "<b>" * (depth - 10) + "x" * (size - 3 * depth),
        "deep-divs": "<html><body>" + "<div>" * (depth - 10) + "x" + "</div>" * (depth - 10)
                     + "x" * max(0, size - 11 * depth),
        "table-cells": fill(lambda i: "<tr><td>a</td><td>b</td></tr>", min(size, 29 * (elements - 9) // 3),
                            head="<html><body><table>", tail="</table></body></html>"),
        "entities": fill(lambda i: "&amp;&#x41;&lt;", size, head="<html><body><p>"),
        "named-entities-no-semicolon": fill(lambda i: "&ampx&ltx", size, head="<html><body><p>"),
        "misnested-formatting": fill(lambda i: "<b><i></b></i>", min(size, 14 * elements // 2)),
        "text-less-than-signs": fill(lambda i: "< ", size, head="<html><body><p>"),
        "comments": fill(lambda i: "<!--c-->", size),
        "one-comment": "<html><body><!--" + "c" * (size - 40) + "--></body></html>",
        "cdata": fill(lambda i: "<![CDATA[x]]>", size),
        "unclosed-comment": "<html><body><!--" + "c-" * ((size - 40) // 2),
        "script-text": "<html><body><script>" + "<p>" * ((size - 40) // 3) + "</script>",
        "unclosed-attribute-quote": "<html><body><p a=\"" + "> <p " * ((size - 40) // 5),
        "tags-with-quoted-gt": fill(lambda i: "<p title='>'>x</p>",
                                    min(size, 18 * min(elements, total_attrs))),
        "entities-in-values": under_total(k, lambda i: "<p " + attrs(k, "&amp;" * 6) + ">x</p>"),
        "one-value-of-entities": ("<html><body><p title=\"" + "&amp;" * ((size - 60) // 5)
                                  + "\">x</p></body></html>"),
        "text-entities-without-semicolon": fill(lambda i: "&notin", size, head="<html><body><p>"),
        "script-escapes": fill(lambda i: "<script><!--<script></script>x</script>", min(size, 40 * elements)),
        "empty-comments": fill(lambda i: "<!---->", size),
        "text-only": fill(lambda i: "word ", size),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--budget", type=float, default=1.0)
    ap.add_argument("--mib", type=float, default=10.0)
    ap.add_argument("--only", default=None, help="run the pages whose name holds this")
    ap.add_argument("--no-clean", action="store_true", help="time the cap check and parse only")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from lxml import html as lxml_html

    from cleaner import clean
    from cleaner.config import Settings
    from cleaner.engine import default_ruleset
    from cleaner.errors import CleanerError
    from cleaner.limits import check_html

    s = Settings(timeout_s=args.budget)
    rs = default_ruleset()
    size = int(args.mib * 1024 * 1024)
    worst = 0.0
    for name, page in pages(size, s.max_attributes, s.max_total_attributes, s.max_depth,
                            s.max_elements).items():
        if args.only and args.only not in name:
            continue
        t0 = time.perf_counter()
        expected = 0.0
        try:
            m = check_html(page, s)
            capped = ""
            p = rs.params
            expected = (m.elements * p["html_parse_seconds_per_element"]
                        + m.attributes * p["html_parse_seconds_per_attribute"]
                        + m.attribute_pairs * p["html_parse_seconds_per_attribute_pair"]
                        + len(page) * p["html_parse_seconds_per_char"])
        except CleanerError as exc:
            capped = f"refused: {str(exc)[:70]}"
        t_check = time.perf_counter() - t0
        parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
        t0 = time.perf_counter()
        with contextlib.suppress(Exception):  # timing only
            lxml_html.document_fromstring(page, parser=parser)
        t_parse = time.perf_counter() - t0
        if not capped:
            worst = max(worst, t_parse)
        line = (f"{name:36s} {len(page.encode()) / 2**20:5.1f} MiB  check {t_check:5.2f} s  "
                f"parse {t_parse:5.2f} s (expected {expected:4.2f})")
        if capped:
            line += f"  ({capped})"
        elif not args.no_clean:
            t0 = time.perf_counter()
            try:
                clean(html=page, ruleset=rs, settings=s)
                outcome = "200"
            except CleanerError as exc:
                outcome = type(exc).__name__
            line += f"  clean {time.perf_counter() - t0:5.2f} s {outcome}"
        print(line, flush=True)
    print(f"slowest parse within the caps: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
