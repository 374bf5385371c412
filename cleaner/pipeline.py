"""The engine: run the five stages over one document, within its time budget."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from .assemble import assemble
from .classify import apply_rules, final_rule
from .config import Settings
from .context import decide_roles
from .errors import DeadlineExceeded
from .features import guess_language, language_sample, measure_blocks, stop_densities
from .model import Block, CleanResult, Document
from .ruleset import RuleSet
from .segment import segment_text


class Deadline:
    """A per-document time budget; `check()` raises DeadlineExceeded once it is spent."""

    __slots__ = ("budget", "end")

    def __init__(self, seconds: float):
        self.budget = seconds
        self.end = time.monotonic() + seconds

    def check(self, stage: str = "") -> None:
        if time.monotonic() > self.end:
            where = f" (during {stage})" if stage else ""
            raise DeadlineExceeded(f"cleaning took longer than the {self.budget:g} s budget{where}")


def host_of(url: str | None) -> str | None:
    """The lower-cased host of `url` without a leading `www.`, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def run_blocks(
    blocks: list[Block], ruleset: RuleSet, *, url: str | None, language: str | None,
    deadline: Deadline, meta: dict[str, object] | None = None,
) -> CleanResult:
    """Stages 2-5 over blocks that stage 1 (text or HTML) produced."""
    doc = Document(blocks=blocks, url=url, host=host_of(url), meta=dict(meta or {}))
    measure_blocks(doc)
    apply_rules(doc, ruleset, deadline.check)  # text and word counts only: before the language
    deadline.check("rules")
    furniture = frozenset(b.index for b in blocks if final_rule(b, ruleset) is not None)
    lang = (language or "").lower()[:2] or None
    sample = language_sample(blocks, furniture)  # the sentences `lang` was guessed from
    if lang is None:
        lang = guess_language(sample, ruleset.stop_index)
    # The language is the one of the text cleaner keeps: when the kept blocks say otherwise
    # (removed furniture tipped the guess), classify again with theirs, up to a fixed point.
    # Cleaning the clean article then sees the same language.
    for _ in range(3):
        doc.language = lang
        doc.stopwords = ruleset.stoplists.get(lang or "", frozenset())
        stop_densities(doc)
        deadline.check("features")
        info = decide_roles(doc, ruleset)
        deadline.check("classify")
        if language is not None:
            break
        kept = language_sample([b for b in blocks if b.role in ("body", "standfirst")], furniture)
        if kept == sample:
            break  # the same sentences: the same language
        again = guess_language(kept, ruleset.stop_index)
        if again == lang:
            break
        lang, sample = again, kept
    result = assemble(doc, info, ruleset)
    deadline.check("assemble")
    return result


def clean_text(text: str, ruleset: RuleSet, settings: Settings, *, url: str | None = None,
               language: str | None = None, deadline: Deadline | None = None) -> CleanResult:
    """Clean one plain-text document."""
    deadline = deadline or Deadline(settings.timeout_s)
    blocks = segment_text(text)
    deadline.check("segment")
    return run_blocks(blocks, ruleset, url=url, language=language, deadline=deadline)
