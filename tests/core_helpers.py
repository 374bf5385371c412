"""Build a document from lines and run the pipeline's own stages on it, up to a chosen one.

    doc = doc_from_lines("Bridge to be repaired", "", STORY, upto="context")
    assert roles(doc)[0] == ("Bridge to be repaired", "title", "context.title")

Stage 1 is `segment_text`; the later stages are `cleaner.core.pipeline.STAGES`, run in their
order through a `Run`, so these helpers follow the pipeline when a stage's insides change.
"""

from __future__ import annotations

from functools import cache

from cleaner import RuleSet, load_ruleset
from cleaner.core.pipeline import STAGES, Deadline, Run, host_of
from cleaner.core.segment import segment_text
from cleaner.model import CleanResult, Document

STAGE_NAMES = ("segment", *(name for name, _ in STAGES))


# A small story the stage tests build their documents from.
TITLE = "Bridge to be repaired"
P1 = (
    "The council voted on Tuesday to repair the old bridge before the winter, after inspectors found "
    "cracks in two of its piers during a routine check in the summer."
)
P2 = (
    "Work will start next month and is expected to take about six weeks, during which the bridge will "
    "be closed to cars but open to people on foot and on bicycles."
)
P3 = (
    "The mayor said that the repairs were overdue and that the town could not afford to wait for "
    "another year, as the cracks had grown since they were first seen."
)


# A longer story of five paragraphs, for the tests that clean whole documents.
RIVER = [
    "The city council approved a plan on Tuesday to rebuild the old river bridge, which has been "
    "closed to heavy traffic since a flood damaged its piers two years ago.",
    "Engineers told the council that the new bridge would take about eighteen months to build and "
    "that the work would start in the spring, once the river is low enough.",
    "Residents who spoke at the meeting said the closure had forced long detours for buses and "
    "delivery trucks, and that several shops near the bridge had lost customers.",
    "The mayor said the city would ask the state for help with the cost, and that a public meeting "
    "about the design would be held next month at the town hall.",
    "Work on the approach roads will begin first, and the council expects the bridge to reopen to "
    "all traffic before the end of the following year, weather permitting.",
]
RIVER_TITLE = "River bridge to be rebuilt"


@cache
def builtin_ruleset() -> RuleSet:
    """The built-in rules alone (CLEANER_RULES folders of the caller's shell are ignored)."""
    return load_ruleset([])


def run_lines(
    *lines: str, upto: str = "context", url: str | None = None, language: str | None = None,
    ruleset: RuleSet | None = None,
) -> Run:
    """The lines joined by "\\n", segmented, then run through the stages up to `upto` (included)."""
    if upto not in STAGE_NAMES:
        raise ValueError(f"upto={upto!r}: expected one of {', '.join(STAGE_NAMES)}")
    ruleset = ruleset or builtin_ruleset()
    blocks = segment_text("\n".join(lines), ruleset.params)
    doc = Document(blocks=blocks, url=url, host=host_of(url))
    run = Run(doc=doc, ruleset=ruleset, language=language, deadline=Deadline(60.0))
    if upto == "segment":
        return run
    for name, stage in STAGES:
        stage(run)
        if name == upto:
            break
    return run


def doc_from_lines(
    *lines: str, upto: str = "context", url: str | None = None, language: str | None = None,
    ruleset: RuleSet | None = None,
) -> Document:
    """The document of `run_lines(...)`: blocks with their measures, rule hits and roles so far."""
    return run_lines(*lines, upto=upto, url=url, language=language, ruleset=ruleset).doc


def result_from_lines(*lines: str, url: str | None = None, language: str | None = None) -> CleanResult:
    """The assembled result of the lines (every stage run)."""
    result = run_lines(*lines, upto="assemble", url=url, language=language).result
    assert result is not None
    return result


def roles(doc: Document) -> list[tuple[str, str, str]]:
    """(text, role, rule) of every block, in order: for compact asserts."""
    return [(b.text, b.role, b.rule) for b in doc.blocks]


def role_of(doc: Document, text: str) -> tuple[str, str]:
    """(role, rule) of the one block whose text is `text`."""
    found = [(b.role, b.rule) for b in doc.blocks if b.text == text]
    assert len(found) == 1, f"{len(found)} blocks read {text!r}: {roles(doc)}"
    return found[0]
