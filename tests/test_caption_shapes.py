"""Captions by the shape of their credit, with no outlet or agency named in the rules; and no
rule literal names a site of the dev set."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import SHARED, needs_shared

from cleaner import clean
from cleaner.ruleset import builtin_rules_dir

PARAS = [
    "The council voted on Tuesday to repair the old bridge before winter, after engineers found "
    "cracks in two of its piers during the autumn inspection of the river crossings.",
    "Work will start next month and is expected to take about ten weeks, the council said, with "
    "one lane open to traffic at all times and the footpath closed for the whole of the works.",
    "Residents had asked for the repairs for years, and many of them came to the meeting to hear "
    "the vote, which passed by seven votes to two after a debate that lasted most of the evening.",
    "The bridge, built in 1902, carries about twelve thousand vehicles a day and is the only "
    "crossing of the river for eight miles, so its closure would have meant long detours for all.",
]
CAPTION = "The mayor cuts the ribbon at the bridge on Monday."


def _story(*middle: str) -> str:
    return "\n\n".join(["Council Votes to Repair the Old Bridge", *PARAS[:2], *middle, *PARAS[2:]])


@pytest.mark.parametrize(
    "credit",
    ["Mara Lind/Nordic Images", "(Image credit: Nordic Images)", "Erik Berg/NTB"],
)
def test_a_credit_line_splits_off_the_caption_above_it(credit):
    res = clean(_story(CAPTION, credit))
    assert CAPTION not in res.text and "Mara Lind" not in res.text and "Nordic" not in res.text
    assert any(c["text"] == CAPTION for c in res.captions), res.captions
    assert all(p in res.text for p in PARAS[1:])  # (the first may be the standfirst)


@pytest.mark.parametrize(
    ("line", "text", "credit"),
    [
        (CAPTION + " (XYZ)", CAPTION[:-1], "XYZ"),  # initials in parentheses after the last sentence
        # a name / agency glued to the caption (the full stop goes with the credit's match)
        (CAPTION + "Mara Lind / Nordic Images", CAPTION[:-1], "Mara Lind / Nordic Images"),
        (
            "Engineers inspect the piers of the bridge (Nordic Images)",
            "Engineers inspect the piers of the bridge",
            "Nordic Images",
        ),
        ("Engineers inspect the piers of the bridge. Photograph by Mara Lind/Nordic Images", None, None),
        ("Pictured: engineers inspect the piers of the bridge", None, None),
    ],
)
def test_a_caption_with_its_credit_on_the_same_line(line, text, credit):
    res = clean(_story(line))
    assert line not in res.text
    assert res.captions, f"no caption for {line!r}"
    if text is not None:
        assert (res.captions[0]["text"], res.captions[0]["credit"]) == (text, credit)


@pytest.mark.parametrize(
    "line",
    [
        "Extra Dry/Extra Sec",  # a title-cased heading with a slash is no credit
        "The money goes to the World Health Organization (WHO).",
        "Questions About Salary Expectation/Requirements",
    ],
)
def test_story_lines_shaped_a_little_like_credits_stay(line):
    res = clean(_story(line))
    assert line in res.text
    assert not res.captions


def _rule_literals() -> list[tuple[str, str]]:
    """(rule id, pattern) of every built-in rule."""
    out = []
    for path in sorted(builtin_rules_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in data.get("rules") or []:
            out.append((f"{path.stem}.{rule['name']}", rule["pattern"]))
    return out


@needs_shared
def test_no_rule_pattern_names_a_dev_site():
    """A rule keyed to one site's name (its outlet listed as a photo credit, its newsletter)
    memorises the dev set. Every site name of dev and dev2 (the host's name without www. and
    its suffix, at least 4 letters) is looked for as a word in every pattern, but for plain words
    that a site took as its name ("today" in "2 days ago ... today")."""
    plain_words = {"today"}
    names = set()
    for name in ("dev.jsonl", "dev2.jsonl"):
        path = SHARED / "data" / name
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            for row in map(json.loads, f):
                host = (urlsplit(row["url"]).hostname or "").removeprefix("www.")
                label = host.split(".")[-2] if host.count(".") >= 1 else host
                if len(label) >= 4 and label.isalpha() and label not in plain_words:
                    names.add(label.lower())
    hits = [
        (rid, n) for rid, pattern in _rule_literals() for n in names
        if re.search(rf"(?<![a-z]){re.escape(n)}(?![a-z])", pattern.lower())
    ]
    assert not hits, f"rule patterns name dev sites: {hits}"
