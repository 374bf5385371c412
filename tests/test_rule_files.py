"""Rule files: they validate, carry their own examples, report every problem at once, stay
linear-time on long lines, scope to sites, and extra folders load after the built-ins."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from cleaner import RuleError, clean, load_ruleset
from cleaner.ruleset import builtin_rules_dir

RULE_FILES = sorted(builtin_rules_dir().glob("*.yaml"))


def _write(folder: Path, name: str, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _rule(**over: object) -> dict[str, object]:
    """A valid rule mapping, with `over` replacing or adding keys (None deletes a key)."""
    rule: dict[str, object] = {
        "name": "sample",
        "role": "advert",
        "pattern": r"^ZZQ advert\b",
        "reason": "A test advert line.",
        "examples": ["ZZQ advert here"],
        "counter_examples": ["No advert here"],
    }
    rule.update(over)
    return {k: v for k, v in rule.items() if v is not None}


# --- the built-in files -------------------------------------------------------------------


def test_builtin_rule_files_exist():
    assert RULE_FILES, f"no rule files in {builtin_rules_dir()}"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_file_validates_and_has_version(path, tmp_path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert data.get("version") is not None, f"{path.name} has no version"
    # Each file also loads on its own, without the others.
    _write(tmp_path, path.name, path.read_text(encoding="utf-8"))
    load_ruleset([tmp_path], builtin=False)


def test_rule_ids_unique(ruleset):
    ids = [r.id for r in ruleset.rules]
    assert len(ids) == len(set(ids))
    for rf in ruleset.files:
        assert all(r.id.startswith(rf.name + ".") for r in rf.rules)


def _cases(field: str) -> list[tuple[str, str]]:
    rs = load_ruleset([])
    return [(r.id, ex) for r in rs.rules for ex in getattr(r, field)]


def _host(rule) -> str | None:
    return rule.sites[0] if rule.sites else None


@pytest.mark.parametrize(("rule_id", "example"), _cases("examples"))
def test_examples_apply(ruleset, rule_id, example):
    rule = ruleset.by_id(rule_id)
    assert rule.applies(example, _host(rule)), f"{rule_id} does not apply to its example {example!r}"


@pytest.mark.parametrize(("rule_id", "example"), _cases("counter_examples"))
def test_counter_examples_do_not_apply(ruleset, rule_id, example):
    rule = ruleset.by_id(rule_id)
    assert not rule.applies(example, _host(rule)), f"{rule_id} applies to its counter-example {example!r}"


def test_every_rule_has_examples_and_reason(ruleset):
    for r in ruleset.rules:
        assert r.examples, r.id
        assert r.reason.strip(), r.id


# --- bad rule files: every problem reported at once -------------------------------------------

BAD_FILES = [
    pytest.param("no version", {"rules": [_rule()]}, ["bad.yaml: version: required"], id="no-version"),
    pytest.param("not yaml", "version: 1\nrules: [\n", ["bad.yaml: cannot be read as YAML"], id="not-yaml"),
    pytest.param("a list", [_rule()], ["bad.yaml: expected a mapping"], id="top-level-list"),
    pytest.param(
        "unknown top key", {"version": 1, "rulez": [], "rules": [_rule()]},
        ["bad.yaml: rulez: unknown key"], id="unknown-top-key",
    ),
    pytest.param(
        "rules not list", {"version": 1, "rules": {"a": 1}}, ["rules: expected a list"], id="rules-map"
    ),
    pytest.param(
        "many problems in one rule",
        {"version": 1, "rules": [_rule(
            name="Bad Name", role="banner", pattern="(a", reason="", min_words=-1, max_words="3",
            final="yes", weight="heavy", where="top", kind=3, sites="x.com", examples=[],
            colour="red",
        )]},
        [
            "rules[0].colour: unknown key",
            "rules[0].name: required, snake_case",
            "rules[0].role: 'banner' is not one of",
            "rules[0].reason: required, a non-empty string",
            "rules[0].pattern: not valid RE2",
            "rules[0].min_words: expected a whole number >= 0",
            "rules[0].max_words: expected a whole number >= 0",
            "rules[0].final: expected true or false",
            "rules[0].weight: expected a number",
            "rules[0].where: expected one of",
            "rules[0].kind: expected a string",
            "rules[0].sites: expected a list of strings",
            "rules[0].examples: at least one example is required",
        ],
        id="every-key-wrong",
    ),
    pytest.param(
        "problems in two rules",
        {"version": 1, "rules": [_rule(pattern=None), "just a string", _rule(name="ok", role=None)]},
        [
            "rules[0].pattern: required, a non-empty string",
            "rules[1]: expected a mapping, got str",
            "rules[2].role: None is not one of",
        ],
        id="two-bad-rules",
    ),
    pytest.param(
        "backtracking-only syntax", {"version": 1, "rules": [_rule(pattern=r"(a)\1"), _rule(
            name="look", pattern=r"foo(?=bar)")]},
        ["rules[0].pattern: not valid RE2", "rules[1].pattern: not valid RE2"], id="not-re2",
    ),
    pytest.param(
        "examples disagree",
        {"version": 1, "rules": [_rule(examples=["nothing like it"], counter_examples=["ZZQ advert x"])]},
        [
            "bad.sample: example does not match: 'nothing like it'",
            "bad.sample: counter-example matches: 'ZZQ advert x'",
        ],
        id="examples-disagree",
    ),
]


@pytest.mark.parametrize(("label", "content", "expected"), BAD_FILES)
def test_bad_rule_file(tmp_path, label, content, expected):
    _write(tmp_path, "bad.yaml", content)
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path], builtin=False)
    problems = info.value.problems
    for want in expected:
        assert any(want in p for p in problems), f"{label}: no problem like {want!r} in {problems}"
    assert len(problems) >= len(expected)
    assert all(want in str(info.value) for want in expected)  # the message lists them all too


def test_problems_of_several_files_and_folders_together(tmp_path):
    _write(tmp_path / "a", "one.yaml", {"rules": [_rule()]})
    _write(tmp_path / "b", "two.yaml", {"version": 1, "rules": [_rule(role="nope")]})
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path / "a", tmp_path / "b", tmp_path / "missing"], builtin=False)
    text = "\n".join(info.value.problems)
    assert "one.yaml: version: required" in text
    assert "two.yaml: rules[0].role" in text
    assert "missing: not a folder of rule files" in text


def test_good_extra_file_loads(tmp_path):
    _write(tmp_path, "extra.yaml", {"version": 1, "rules": [_rule()]})
    rs = load_ruleset([tmp_path], builtin=False)
    assert [r.id for r in rs.rules] == ["extra.sample"]
    assert rs.match("ZZQ advert here")[0].id == "extra.sample"


# --- folders: CLEANER_RULES order and duplicate ids --------------------------------------------


def test_duplicate_id_across_folders_is_a_load_error(tmp_path, monkeypatch):
    for sub in ("a", "b"):
        _write(tmp_path / sub, "extra.yaml", {"version": 1, "rules": [_rule()]})
    monkeypatch.setenv("CLEANER_RULES", os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    with pytest.raises(RuleError) as info:
        load_ruleset()
    assert any("duplicate rule id extra.sample" in p for p in info.value.problems), info.value.problems


def test_duplicate_of_a_builtin_id_is_a_load_error(tmp_path, ruleset):
    builtin = ruleset.rules[0]
    stem, name = builtin.id.split(".", 1)
    _write(tmp_path, f"{stem}.yaml", {"version": 1, "rules": [_rule(name=name)]})
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path])
    assert any(f"duplicate rule id {builtin.id}" in p for p in info.value.problems)


def test_cleaner_rules_folders_load_after_builtins(tmp_path, monkeypatch, ruleset):
    # `aaa` sorts before every built-in file: order must come from the folders, not the names.
    _write(tmp_path / "one", "aaa.yaml", {"version": 7, "rules": [_rule()]})
    _write(tmp_path / "two", "aab.yaml", {"version": 1, "rules": [_rule(name="other")]})
    monkeypatch.setenv("CLEANER_RULES", os.pathsep.join([str(tmp_path / "one"), "", str(tmp_path / "two")]))
    rs = load_ruleset()
    names = [f.name for f in rs.files]
    assert names == [f.name for f in ruleset.files] + ["aaa", "aab"]
    assert [r.id for r in rs.rules][-2:] == ["aaa.sample", "aab.other"]
    assert rs.describe()[-2]["version"] == 7


def test_bad_extra_folder_stops_loading(tmp_path, monkeypatch):
    _write(tmp_path, "broken.yaml", {"version": 1, "rules": [_rule(pattern="(")]})
    monkeypatch.setenv("CLEANER_RULES", str(tmp_path))
    with pytest.raises(RuleError, match=r"broken.yaml: rules\[0\].pattern"):
        load_ruleset()


# --- sites ----------------------------------------------------------------------------------


@pytest.fixture
def site_rules(tmp_path):
    rule = _rule(name="aj_widget", role="widget", pattern=r"^ZZQ site widget$", sites=["aljazeera.com"],
                 examples=["ZZQ site widget"], counter_examples=["ZZQ site widget and more"])
    _write(tmp_path, "site.yaml", {"version": 1, "rules": [rule]})
    return load_ruleset([tmp_path])


@pytest.mark.parametrize(
    ("host", "applies"),
    [
        ("aljazeera.com", True),
        ("news.aljazeera.com", True),
        (None, False),
        ("example.com", False),
        ("notaljazeera.com", False),
        ("aljazeera.com.evil.net", False),
    ],
)
def test_site_rule_scope(site_rules, host, applies):
    rule = site_rules.by_id("site.aj_widget")
    assert rule.applies("ZZQ site widget", host) is applies
    assert (rule in site_rules.match("ZZQ site widget", host)) is applies


STORY = "\n\n".join(
    ["A headline about the council vote"]
    + [f"The council voted on the plan {i} times this week, and the members said it would pass soon."
       for i in range(4)]
    + ["ZZQ site widget"]
    + [f"Residents said the plan was welcome {i}, though some of them asked for more time to read it."
       for i in range(4)]
)


@pytest.mark.parametrize(
    ("url", "applies"),
    [
        ("https://www.aljazeera.com/news/2019/1/1/story.html", True),
        ("http://live.aljazeera.com/x", True),
        ("https://example.com/aljazeera.com", False),
        (None, False),
    ],
)
def test_site_rule_scope_through_clean(site_rules, url, applies):
    res = clean(STORY, url=url, ruleset=site_rules)
    line = STORY.split("\n").index("ZZQ site widget") + 1
    block = next(b for b in res.blocks if b["lines"] == [line, line])
    assert (block["rule"] == "site.aj_widget") is applies, block
    if applies:
        assert block["role"] == "widget"


# --- linear time ----------------------------------------------------------------------------

# (pattern, an example it matches, a 100 KB line that makes a backtracking engine blow up)
EVIL = [
    (r"(a+)+$", "aaa", "a" * 100_000 + "!"),
    (r"(a|aa)+$", "aaa", "a" * 100_000 + "!"),
    (r"(a*)*b", "aab", "a" * 100_000),
    (r"(x+x+)+y", "xxy", "x" * 100_000),
    (r"^(\w+\s?)*$", "ab cd", "ab " * 33_000 + "!"),
]


@pytest.mark.parametrize(("pattern", "example", "line"), EVIL, ids=[e[0] for e in EVIL])
def test_catastrophic_patterns_run_fast(tmp_path, pattern, example, line):
    t0 = time.perf_counter()
    _write(tmp_path, "evil.yaml", {"version": 1, "rules": [_rule(
        name="evil", pattern=pattern, examples=[example], counter_examples=[])]})
    rs = load_ruleset([tmp_path])
    assert rs.by_id("evil.evil").regex.search(line) is None
    assert rs.match(line) == []
    res = clean("Title\n\n" + line + "\n\n" + "word " * 20_000, ruleset=rs)
    assert len(res.blocks) == 3
    took = time.perf_counter() - t0
    assert took < 2.0, f"{pattern} on a 100 KB line took {took:.2f} s"


def test_params_are_numbers_the_classifier_needs(tmp_path):
    """A folder may override the classifier's numbers, but not with something else."""
    (tmp_path / "tuning.yaml").write_text(
        "version: 1\nparams:\n  score_good: 1.5\nrules: []\n", encoding="utf-8"
    )
    assert load_ruleset([tmp_path]).params["score_good"] == 1.5
    assert load_ruleset([tmp_path], builtin=False).params["length_low"] == 70  # built-in numbers
    (tmp_path / "tuning.yaml").write_text(
        "version: 1\nparams:\n  score_good: lots\nrules: []\n", encoding="utf-8"
    )
    with pytest.raises(RuleError) as err:
        load_ruleset([tmp_path])
    assert any("score_good" in p for p in err.value.problems)
