"""Re-clean on real pages (issue 9, item 3): for r = clean(x), cleaning r.text again gives r.text
(save a leading heading taken as the title) and cleaning title + text gives both back. The dev2
pages below each needed a fix of the second reading; with the fix's switch off they fail again,
so each check shows what it guards."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED, load_script, needs_shared

from cleaner import clean, load_ruleset

# page -> the param whose fix makes it re-clean to itself
PAGES = {
    "wcxb-dev-0318": "title_in_story_on",   # a promoted title with story kept above it
    "wcxb-dev-4835": "title_in_story_on",
    "wcxb-dev-0227": "second_look_heads",   # a chain of title-shaped first lines
}


def _rows() -> dict[str, dict]:
    path = SHARED / "data" / "dev2.jsonl"
    out = {}
    with open(path, encoding="utf-8") as f:
        for row in map(json.loads, f):
            if row["id"] in PAGES:
                out[row["id"]] = row
    return out


def _ok(row: dict, ruleset) -> bool:
    reclean_ok = load_script("evaluate").reclean_ok
    for field in ("raw_region", "raw_fullpage"):
        r = clean(row[field], url=row["url"], ruleset=ruleset)
        if not all(reclean_ok(r.text, r.title, ruleset)):
            return False
    return True


@needs_shared
@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_page_re_cleans_to_itself_and_its_fix_is_why(page, tmp_path):
    row = _rows()[page]
    assert _ok(row, load_ruleset())
    (tmp_path / "off.yaml").write_text(
        f"version: 1\nparams:\n  {PAGES[page]}: 0\nrules: []\n", encoding="utf-8"
    )
    assert not _ok(row, load_ruleset([tmp_path]))
