"""Site profiles: lines that recur across a site's documents are removed, the stories are not."""

from __future__ import annotations

import json

import pytest
from test_batch import read_rows, run_cli, story, write_jsonl

from cleaner.batch import clean_record
from cleaner.batch.profiles import RULE_ID, ProfileBuilder, SiteProfiles, build_profiles, normalise_line

FOOTER = "The Harbour Times is owned by a charitable trust and is independent of any political party."
SIGN_OFF = "Our reporters work from offices in the old town hall on Quay Street, next to the ferry."


def site_docs() -> list[dict]:
    """12 stories of one site, the footer planted in 10 (as its own paragraph), plus another site."""
    docs = []
    for i in range(12):
        text = story(100 + i, paragraphs=5)
        if i < 10:
            text += "\n" + FOOTER + "\n"
        if i < 2:  # in 2 of 12 documents only: under the 30% share, must stay
            text += "\n" + SIGN_OFF + "\n"
        docs.append({"id": f"ht-{i}", "url": f"https://www.harbourtimes.example/news/{i}", "text": text})
    for i in range(3):  # a small site with the same footer: fewer than 5 documents, no profile
        docs.append({"id": f"other-{i}", "url": f"https://other.example/{i}",
                     "text": story(200 + i) + "\n" + FOOTER + "\n"})
    return docs


def test_the_engine_alone_keeps_the_planted_footer():
    """Precondition: no single page reveals the footer, so the test below means something."""
    kept = [FOOTER in clean_record(d)["text"] for d in site_docs()[:10]]
    assert sum(kept) >= 8


def test_profiles_remove_the_footer_and_nothing_of_the_story():
    docs = site_docs()
    profiles = build_profiles((d["url"], d["text"]) for d in docs)
    assert list(profiles.sites) == ["harbourtimes.example"]  # other.example has only 3 documents
    site = profiles.sites["harbourtimes.example"]
    assert site["docs"] == 12 and normalise_line(FOOTER) in site["lines"]
    assert normalise_line(SIGN_OFF) not in site["lines"]
    for i, d in enumerate(docs):
        plain = clean_record(d)
        row = clean_record(d, profiles=profiles)
        if d["id"].startswith("other-"):  # no profile for a site of 3 documents
            assert row == plain
            continue
        assert FOOTER not in row["text"]
        story_text = [b["text"] for b in plain["body"] if b["text"] != FOOTER]
        assert [b["text"] for b in row["body"]] == story_text  # the story is untouched
        hits = [r for r in row["removed"] if r["rule"] == RULE_ID]
        if i < 10 and FOOTER in plain["text"]:
            [hit] = hits
            assert hit["text"] == FOOTER and hit["role"] == "other"
            assert hit["reason"] == "The line recurs in 10 of 12 documents of harbourtimes.example (83%)."
            [block] = [b for b in row["blocks"] if b["lines"] == hit["lines"]]
            assert block["rule"] == RULE_ID and block["role"] == "other"
            # `removed` stays in document order
            starts = [r["lines"][0] for r in row["removed"]]
            assert starts == sorted(starts)
        else:
            assert hits == []
        if i < 2:
            assert SIGN_OFF in row["text"]


def test_a_hard_wrapped_footer_block_is_matched_line_by_line():
    wrapped = "The Harbour Times is owned by a charitable trust\nand is independent of any political party."
    profiles = SiteProfiles({"h.example": {"docs": 10, "lines": {
        normalise_line("The Harbour Times is owned by a charitable trust"): 9,
        normalise_line("and is independent of any political party."): 9,
    }}})
    text = story(7) + "\n" + wrapped + "\n"
    plain = clean_record({"text": text, "url": "https://h.example/a"})
    row = clean_record({"text": text, "url": "https://h.example/a"}, profiles=profiles)
    assert "charitable trust" in plain["text"] and "charitable trust" not in row["text"]
    assert len(row["body"]) == len(plain["body"]) - 1
    [hit] = [r for r in row["removed"] if r["rule"] == RULE_ID]
    assert hit["text"] == wrapped.replace("\n", " ")
    assert hit["lines"][1] - hit["lines"][0] == 1  # one block over two input lines
    assert hit["reason"] == "The line recurs in 9 of 10 documents of h.example (90%)."


def test_profiles_round_trip_and_reject_other_files(tmp_path):
    profiles = build_profiles((d["url"], d["text"]) for d in site_docs())
    again = SiteProfiles.from_json(profiles.to_json())
    assert again == profiles
    with pytest.raises(ValueError):
        SiteProfiles.from_json('{"version": 99}')
    with pytest.raises(ValueError):
        SiteProfiles.from_json('{"version": 1, "sites": {"a": {"docs": "x", "lines": {}}}}')


def test_lossy_counting_keeps_frequent_lines_in_bounded_memory():
    builder = ProfileBuilder(epsilon=0.01)
    for i in range(3000):
        text = f"Unique headline number {i}\nMenu Home News Sport\n"
        if i % 2 == 0:
            text += "Share this story on Facebook\n"
        builder.add(f"https://big.example/{i}", text)
        assert len(builder.sites["big.example"].counts) <= 110  # ~1/epsilon unique lines, not 3000
    site = builder.profiles().sites["big.example"]
    assert site["docs"] == 3000
    assert set(site["lines"]) == {"menu home news sport", "share this story on facebook"}
    assert site["lines"]["menu home news sport"] == 3000
    assert 1500 - 30 <= site["lines"]["share this story on facebook"] <= 1500


def test_cli_site_profiles_save_and_load(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", site_docs())
    a, b, prof = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "profiles.json"
    assert run_cli(str(src), "-o", str(a), "--site-profiles", "--save-profiles", str(prof),
                   "--workers", "2") == 0
    assert "site profiles: 1 site, " in capsys.readouterr().err
    saved = json.loads(prof.read_text())
    assert saved["version"] == 1 and list(saved["sites"]) == ["harbourtimes.example"]
    assert run_cli(str(src), "-o", str(b), "--load-profiles", str(prof), "--workers", "1") == 0
    assert a.read_bytes() == b.read_bytes()
    rows = read_rows(a)
    assert all(FOOTER not in r["text"] for r in rows[:12])
    docs = site_docs()
    assert [r["text"] for r in rows[12:]] == [clean_record(d)["text"] for d in docs[12:]]  # no profile
    assert sum(any(x["rule"] == RULE_ID for x in r["removed"]) for r in rows) >= 8
    # a stricter share finds nothing to remove
    assert run_cli(str(src), "-o", str(b), "--site-profiles", "--min-share", "0.9", "--workers", "1",
                   "--force") == 0  # b exists: overwriting it takes --force
    assert all(RULE_ID not in json.dumps(r) for r in read_rows(b))
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    assert run_cli(str(src), "-o", str(b), "--load-profiles", str(bad)) == 2


def test_profiles_do_not_touch_documents_without_a_profile(tmp_path):
    profiles = build_profiles((d["url"], d["text"]) for d in site_docs())
    d = {"id": "x", "url": "https://elsewhere.example/", "text": story(5) + "\n" + FOOTER + "\n"}
    assert clean_record(d, profiles=profiles) == clean_record(d)
    no_url = {"id": "y", "text": d["text"]}
    assert clean_record(no_url, profiles=profiles) == clean_record(no_url)

