"""Invariants of `clean()` (hypothesis), and idempotence on the seed, the dev set and mixes.

Lines are counted as the contract says: `\\n`, `\\r\\n` and a lone `\\r` end a line, nothing
else does (not `\\x0b`, `\\x0c`, `\\x1c`-`\\x1e`, `\\x85`, `\\u2028`, `\\u2029`, which
`str.splitlines` would split on); a line is blank when `line.strip() == ""`.

Run a longer hunt with `HYPOTHESIS_PROFILE=dev pytest tests/test_properties.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, SHARED, reader_text
from hypothesis import example, given, note
from hypothesis import strategies as st

from cleaner import CleanerError, clean

# Characters that end a line for the contract, and look-alikes that must not.
LINE_ENDS = ["\n", "\r\n", "\r"]
NOT_LINE_ENDS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
DEV_LINES = (FIXTURES / "dev_lines.txt").read_text(encoding="utf-8").split("\n")[:-1]
SEED_TEXT = (SEEDS / "000_11e950c0d58bd2da.txt").read_text(encoding="utf-8")


def contract_lines(text: str) -> list[str]:
    """The input's lines by the contract, written out without a regex (an independent oracle)."""
    lines, cur, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "\r" or c == "\n":
            lines.append("".join(cur))
            cur = []
            if c == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
        else:
            cur.append(c)
        i += 1
    lines.append("".join(cur))
    return lines


def article_of(d: dict) -> str:
    """The clean article as text: the title and the text (standfirst and body) joined by a blank line."""
    return "\n\n".join(x for x in (d["title"], d["text"]) if x)


def check_invariants(text: str, url: str | None = None) -> dict:
    """Every structural invariant of one result; returns its dict."""
    res = clean(text, url=url)
    d = res.to_dict()
    lines = contract_lines(text)
    nonblank = {i + 1 for i, s in enumerate(lines) if s.strip()}

    # blocks: in input order, disjoint, each starting and ending on a non-blank line, and
    # together covering every non-blank line exactly once.
    covered: list[int] = []
    last = 0
    for b in d["blocks"]:
        first, end = b["lines"]
        assert last < first <= end <= len(lines), (b, last, len(lines))
        assert first in nonblank and end in nonblank, b
        covered.extend(n for n in range(first, end + 1) if n in nonblank)
        last = end
    assert sorted(covered) == sorted(nonblank)
    assert len(covered) == len(set(covered))

    # Every block has a role and (for removed ones) a rule; removed/body/captions point at blocks.
    spans = {tuple(b["lines"]): b for b in d["blocks"]}
    for b in d["blocks"]:
        assert b["role"], b
    for r in d["removed"]:
        assert tuple(r["lines"]) in spans and r["rule"] and r["reason"], r
    for item in d["body"]:
        first, end = item["lines"]
        assert tuple(item["lines"]) in spans, item
        assert item["text"] == " ".join(s.strip() for s in lines[first - 1 : end]), item
        assert item["kind"] in ("paragraph", "heading", "list_item", "quote"), item

    # text is the body joined by a blank line; confidence in 0..1.
    assert d["text"] == reader_text(d)
    assert res.text == d["text"]
    assert 0.0 <= d["confidence"] <= 1.0
    if not d["body"]:
        assert d["confidence"] == 0
    return d


# --- strategies -----------------------------------------------------------------------------

any_char = st.characters(exclude_categories=())  # every code point, lone surrogates included
words = st.text(st.sampled_from("aeiou rstlnmp.,;:!?'\"()[]|-–ÉéßЖ中 "), min_size=0, max_size=60)
separators = st.sampled_from(LINE_ENDS + LINE_ENDS + NOT_LINE_ENDS + ["\n\n", "\r\n\r\n", "\r\r", " \n \t\n"])
indents = st.sampled_from(["", "", "    ", "\t", "\u3000", "\xa0"])


@st.composite
def line_documents(draw) -> str:
    """Documents made of word-ish lines and every kind of line end (and look-alike)."""
    n = draw(st.integers(0, 30))
    parts = []
    for _ in range(n):
        parts.append(draw(indents) + draw(words))
        parts.append(draw(separators))
    return "".join(parts)


@st.composite
def dev_mixes(draw) -> str:
    """Documents made by mixing lines of real pages (tests/fixtures/dev_lines.txt)."""
    lines = draw(st.lists(st.sampled_from(DEV_LINES), min_size=1, max_size=40))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n", "\n\n\n", "\r\n\r\n"]),
                         min_size=len(lines), max_size=len(lines)))
    ind = draw(st.sampled_from(["", "    "]))
    return "".join(ind + s + sep for s, sep in zip(lines, seps, strict=True))


# --- never anything but typed errors ----------------------------------------------------------


@given(st.text(any_char, max_size=400))
@example("")
@example("\r\n\r")
@example("\ud800\udfff lone surrogates \udc80")
@example("\x00\x00\n\x00")
def test_any_str_raises_only_typed_errors(text):
    note(f"input: {text!r}")
    try:
        res = clean(text)
    except CleanerError:
        return
    json.dumps(res.to_dict())  # and what comes back is plain JSON


@given(line_documents())
@example("Title\r\rBody line one.\r\nBody line two.\u2028still line two\x85and here\n")
@example("   \n\t\n\u3000\n")
def test_invariants_on_line_documents(text):
    note(f"input: {text!r}")
    check_invariants(text)


@given(dev_mixes())
def test_invariants_on_dev_mixes(text):
    note(f"input: {text!r}")
    check_invariants(text)


def test_invariants_on_seed():
    check_invariants(SEED_TEXT)


@given(st.one_of(line_documents(), dev_mixes()))
def test_deterministic(text):
    note(f"input: {text!r}")
    assert clean(text).to_dict() == clean(text).to_dict()


# --- idempotence ----------------------------------------------------------------------------


def assert_idempotent(text: str, url: str | None = None) -> None:
    first = clean(text, url=url).to_dict()
    second = clean(article_of(first), url=url).to_dict()
    if first["title"] is None and second["title"] is not None:
        # the one exception: a leading headline-shaped heading (short, no end punctuation) of a
        # text without a title may become the title, the rest unchanged
        assert first["text"] == "\n\n".join(x for x in (second["title"], second["text"]) if x)
        assert "\n" not in second["title"] and not second["title"].endswith((".", "!", "?"))
        return
    got = {k: second[k] for k in ("title", "text")}
    want = {k: first[k] for k in ("title", "text")}
    assert got == want


def test_idempotent_on_seed():
    assert_idempotent(SEED_TEXT)


# Minimal failures that hypothesis found (shrunk), kept so every run checks them.
_VW = next(s for s in DEV_LINES if s.startswith("Volkswagen’s first ID.3 all-electric car"))


@given(dev_mixes())
@example("Space Coast (0-1): Kairi Thomas-Brooks 18 points. Adrianna Knight 12 points. Syniah Johnson 6 "
         "points. Shaniya Fluellen 6 points. Ashley Cathon 6 points.\n"
         "New Horizons took this image of the icy moon Europa rising above Jupiter's cloud tops in "
         "February 2007, six hours after the spacecraft's closest approach to Jupiter. (Source: NASA)\n"
         "The Wild Story of How Mary Steenburgen Wrote the Best Original Movie Song of the Year\n"
         "Published 10:02 AM EST Nov 19, 2019\n" + _VW + "\n")
@example("Success\n• Apple Stops Signing iOS 13.2 Following Launch of iOS 13.2.2 (23)\n"
         "Senator cancels Binghamton University visit as political unrest rattles campus\n")
@example("The brain behind this well-timed startup is said to be Aryavir Kumar and Margarita Kuritsyna.\n"
         "• Apple Stops Signing iOS 13.2 Following Launch of iOS 13.2.2 (23)\n")
@example("Spain's Rafael Nadal celebrates celebrates a point against Russia's Karen Khachanov during their "
         "Davis Cup tennis match in Madrid, Spain, Tuesday, Nov. 19, 2019. (Manu Fernandez/AP)\n"
         "Oooh, this stage is tricky. You are putting yourself out there! "
         "And it can feel deeply uncomfortable.\n")
@example(
    "What is your favorite weekend family activity? How do you make sure that you stay hydrated?\n"
    "ST. JOSEPH, Mich. (AP) — Michigan health authorities are reporting a 6th fatality linked to "
    "Eastern Equine Encephalitis.\n"
    "PolitiFact’s guide to understanding tariffs and international trade | PolitiFact\n"
)
@example("".join(s + "\n" for s in [_VW, "7H ago", _VW, "2019-11-20 12:57:32 Marcus De Guzman"] + [_VW] * 4))
@example("".join(s + "\n" for s in [
    _VW, "SUBSCRIBE",
    "What is your favorite weekend family activity? How do you make sure that you stay hydrated?",
    _VW, _VW, "June 26 – Allentown, PA @ PPL Center", _VW,
]))
@example("".join(s + "\n" for s in [
    "As VW ID.3 production begins, Volkswagen bets it all on an electric future", _VW, "Nov 13, 2019 4:26 pm",
    "Here's what you need to know about the 2019 Major League Soccer Expansion Draft",
    "Democratic presidential candidate South Bend, Ind., Mayor Pete Buttigieg speaks during a fundraiser "
    "for the Nevada Democratic Party, Sunday, Nov. 17, 2019, in Las Vegas.", _VW,
]))
@example(  # a first block promoted to the title keeps what the title line's reading cuts off
    "U.S.\n\nDoobie Brothers to reunite with Michael McDonald for Blossom show - cleveland.com\n"
    "The U.S. won an ugly match on the road\r\n\r\n"
    "Doobie Brothers to reunite with Michael McDonald for Blossom show - cleveland.com\r\n\r\n"
    "Doobie Brothers to reunite with Michael McDonald for Blossom show - cleveland.com\n\n\n"
    "Anxiety\r\n\r\nU.S.\nAssess what you\u2019re starting with \u2014 make a list of your current assets\n"
    "Trump\u2019s controversial vaping flavor ban is now dead\r\n\r\n"
)
def test_idempotent_on_dev_mixes(text):
    note(f"input: {text!r}")
    assert_idempotent(text)


def _dev_docs() -> list[dict]:
    path = SHARED / "data" / "dev.jsonl"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


DEV = _dev_docs()
DEV_CASES = [
    pytest.param(d, field, id=f"{field}-{d['id'][:12]}")
    for d in DEV
    for field in ("raw_region", "raw_fullpage")
] or [pytest.param(None, None, id="no-dev-set")]


@pytest.mark.parametrize(("doc", "field"), DEV_CASES)
def test_idempotent_on_dev(doc, field):
    if doc is None:
        pytest.skip(f"needs the shared dev set at {SHARED / 'data' / 'dev.jsonl'} (absent here)")
    assert_idempotent(doc[field], url=doc.get("url"))


@pytest.mark.parametrize(("doc", "field"), DEV_CASES)
def test_invariants_on_dev(doc, field):
    if doc is None:
        pytest.skip(f"needs the shared dev set at {SHARED / 'data' / 'dev.jsonl'} (absent here)")
    check_invariants(doc[field], url=doc.get("url"))


def test_oracle_splits_like_the_contract():
    assert contract_lines("a\nb\r\nc\rd\u2028e\x85f\x0cg") == ["a", "b", "c", "d\u2028e\x85f\x0cg"]
    assert contract_lines("") == [""]
    assert contract_lines("x\r\n") == ["x", ""]
    assert contract_lines("\r\r\n") == ["", "", ""]


def test_fixture_lines_are_plain(tmp_path: Path):
    assert len(DEV_LINES) >= 300
    assert all(s.strip() and "\r" not in s for s in DEV_LINES)
