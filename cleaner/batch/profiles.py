"""Site profiles: corpus-level boilerplate, lines that recur across many documents of one site.

No single page shows that "Follow us on Twitter for more news." is a footer; a hundred pages of
the same site do. A first pass (`ProfileBuilder`) counts, per site (the host of the record's
URL), in how many documents each normalised line occurs. Lines seen in at least `min_share` of a
site's documents, on sites with at least `min_docs` documents, form the site's profile.
`SiteProfiles.apply()` is a post-pass over a `CleanResult`: body blocks made only of profile
lines are removed with rule `site_profile.repeated_line` and a reason giving the count.

Counting uses lossy counting (Manku and Motwani) per site: every `1/epsilon` documents of a site,
lines whose count cannot reach the threshold are dropped, so a big site costs memory in
proportion to its boilerplate, not to its text. A count can be low by at most `epsilon` times
the site's document count; the threshold is applied to the kept counts.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .. import textre
from ..core.assemble import empty_body_warnings
from ..core.pipeline import host_of
from ..model import CleanResult

RULE_ID = "site_profile.repeated_line"
ROLE = "other"
MIN_SHARE_DEFAULT = 0.3
MIN_DOCS_DEFAULT = 5
EPSILON_DEFAULT = 0.01
# Longer lines are prose; a footer or menu entry is short. Skipping them keeps the count small.
MAX_LINE_CHARS = 300
FORMAT_VERSION = 1

_SPACE = textre.compile(f"{textre.S}+")


def normalise_line(line: str) -> str:
    """The key of a line: NFKC, case-folded, whitespace collapsed, outer punctuation trimmed."""
    line = unicodedata.normalize("NFKC", line).casefold()
    return _SPACE.sub(" ", line).strip(" \t|•·-–—:;,.*>#")


def doc_keys(text: str) -> set[str]:
    """The distinct normalised lines of a text that can be boilerplate."""
    keys = set()
    for line in text.splitlines():
        if len(line) > MAX_LINE_CHARS:
            continue
        key = normalise_line(line)
        if key:
            keys.add(key)
    return keys


@dataclass
class _SiteCount:
    docs: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)  # key -> [count, max_error]


class ProfileBuilder:
    """The first pass: feed it (url, text) of every document, then call `profiles()`."""

    def __init__(self, min_share: float = MIN_SHARE_DEFAULT, min_docs: int = MIN_DOCS_DEFAULT,
                 epsilon: float = EPSILON_DEFAULT):
        self.min_share = min_share
        self.min_docs = min_docs
        self.width = max(1, math.ceil(1 / epsilon))
        self.sites: dict[str, _SiteCount] = {}

    def add(self, url: Any, text: Any) -> None:
        """Count the lines of one document (ignored without a usable URL or text)."""
        if not isinstance(url, str) or not isinstance(text, str):
            return
        host = host_of(url)
        if not host:
            return
        site = self.sites.setdefault(host, _SiteCount())
        site.docs += 1
        bucket = math.ceil(site.docs / self.width)
        for key in doc_keys(text):
            entry = site.counts.get(key)
            if entry is None:
                site.counts[key] = [1, bucket - 1]
            else:
                entry[0] += 1
        if site.docs % self.width == 0:
            site.counts = {k: e for k, e in site.counts.items() if e[0] + e[1] > bucket}

    def profiles(self) -> SiteProfiles:
        """The profiles of every site that qualifies."""
        sites: dict[str, dict[str, Any]] = {}
        for host in sorted(self.sites):
            site = self.sites[host]
            if site.docs < self.min_docs:
                continue
            need = self.min_share * site.docs
            lines = {k: e[0] for k, e in sorted(site.counts.items()) if e[0] >= need and e[0] >= 2}
            if lines:
                sites[host] = {"docs": site.docs, "lines": lines}
        return SiteProfiles(sites, self.min_share, self.min_docs)


@dataclass(frozen=True)
class SiteProfiles:
    """Repeated lines per site: `{host: {"docs": N, "lines": {normalised line: count}}}`."""

    sites: dict[str, dict[str, Any]]
    min_share: float = MIN_SHARE_DEFAULT
    min_docs: int = MIN_DOCS_DEFAULT

    def to_json(self) -> str:
        """The profiles as a JSON document (what `--save-profiles` writes)."""
        data = {"version": FORMAT_VERSION, "min_share": self.min_share, "min_docs": self.min_docs,
                "sites": self.sites}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SiteProfiles:
        """Profiles saved by `to_json` (raises ValueError on anything else)."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise ValueError(f"not a site-profiles file of version {FORMAT_VERSION}")
        sites = data.get("sites")
        if not isinstance(sites, dict) or not all(
            isinstance(s, dict) and isinstance(s.get("docs"), int) and isinstance(s.get("lines"), dict)
            for s in sites.values()
        ):
            raise ValueError("`sites` must map hosts to {docs: int, lines: {line: count}}")
        return cls(sites, float(data.get("min_share", MIN_SHARE_DEFAULT)),
                   int(data.get("min_docs", MIN_DOCS_DEFAULT)))

    def apply(self, result: CleanResult, text: str | None, url: Any) -> CleanResult:
        """`result` with body blocks made only of this site's repeated lines removed."""
        host = host_of(url) if isinstance(url, str) else None
        site = self.sites.get(host or "")
        if site is None or not result.body:
            return result
        lines = text.splitlines() if text is not None else None
        keep: list[dict[str, Any]] = []
        dropped: list[tuple[dict[str, Any], str]] = []
        for b in result.body:
            hit = _repeated(b, lines, site["lines"])
            if hit is None:
                keep.append(b)
            else:
                count = site["lines"][hit]
                reason = (
                    f"The line recurs in {count} of {site['docs']} documents of {host} "
                    f"({100 * count / site['docs']:.0f}%)."
                )
                dropped.append((b, reason))
        if not dropped:
            return result
        blocks = [dict(x) for x in result.blocks]
        position = {_where_key(x): i for i, x in enumerate(blocks)}
        removed = list(result.removed)
        for b, reason in dropped:
            where = {k: b[k] for k in ("lines", "locator") if k in b}
            removed.append({"role": ROLE, "rule": RULE_ID, "reason": reason, "text": b["text"], **where})
            i = position.get(_where_key(b))
            if i is not None:
                blocks[i]["role"] = ROLE
                blocks[i]["rule"] = RULE_ID
        # `removed` stays in document order, as the engine gives it.
        removed.sort(key=lambda r: position.get(_where_key(r), len(blocks)))
        out = replace(result, body=keep, removed=removed, blocks=blocks)
        out.warnings = empty_body_warnings(out)  # the profile may have taken the last paragraph
        return out


def _where_key(x: dict[str, Any]) -> tuple[Any, Any]:
    lines = x.get("lines")
    return (tuple(lines) if lines else None, x.get("locator"))


def _repeated(block: dict[str, Any], lines: list[str] | None, profile: dict[str, int]) -> str | None:
    """The profile key a body block consists of, or None.

    With the input text at hand, a block matches when every non-blank input line of its span is
    a repeated line (a hard-wrapped footer spans lines); otherwise its text is compared whole.
    """
    span = block.get("lines")
    if lines is not None and span:
        keys = [normalise_line(x) for x in lines[span[0] - 1:span[1]]]
        keys = [k for k in keys if k]
        if keys and all(k in profile for k in keys):
            return min(keys, key=lambda k: profile[k])
        return None
    key = normalise_line(block["text"])
    return key if key in profile else None


def build_profiles(records: Iterable[tuple[Any, Any]], **kw: Any) -> SiteProfiles:
    """Profiles from (url, text) pairs in one go."""
    builder = ProfileBuilder(**kw)
    for url, text in records:
        builder.add(url, text)
    return builder.profiles()
