"""Every threshold and weight is data in rules/: named, described, type- and range-checked.

The core's code reads numbers by name; a numeric literal in a comparison or in arithmetic in
`cleaner/core/` must be on the short allow-list below, or the test fails.
"""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.errors import RuleError
from cleaner.ruleset import builtin_rules_dir, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "cleaner" / "core"

# Numbers that are structure, not tuning: 0 and 1 (empty, first, next, a share of all), -1 (the
# last, a step back), 2 (a pair: the headline-summary alternation of teaser lists, the two
# characters of an item mark "1. ").
ALLOWED = {0, 1, -1, 2}


def numeric_literals(tree: ast.AST) -> list[tuple[int, int, float]]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Compare, ast.BinOp, ast.AugAssign, ast.UnaryOp)):
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Constant) and isinstance(sub.value, (int, float))
                    and not isinstance(sub.value, bool)
                ):
                    out.add((sub.lineno, sub.col_offset, sub.value))
    return sorted(out)


def test_the_core_has_no_numeric_literals_outside_the_allow_list():
    bad = []
    for path in sorted(CORE.glob("*.py")):
        for line, _, value in numeric_literals(ast.parse(path.read_text(encoding="utf-8"))):
            if value not in ALLOWED:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {value!r}")
    assert not bad, "numbers belong in rules/classifier.yaml, read by name:\n" + "\n".join(bad)


def test_the_literal_finder_finds_a_threshold():
    tree = ast.parse("def f(b):\n    return b.words >= 12 and b.chars * 0.5 > 3\n")
    assert sorted(v for _, _, v in numeric_literals(tree)) == [0.5, 3, 12]


def test_every_name_the_code_reads_is_declared():
    declared = load_ruleset().schema
    read = set()
    for path in (ROOT / "cleaner").rglob("*.py"):
        for a, b in re.findall(r'\bp\["([a-z_]+)"\]|params\["([a-z_]+)"\]', path.read_text(encoding="utf-8")):
            read.add(a or b)
    assert read, "the scan found nothing"
    assert sorted(read - set(declared)) == []
    # Nothing is declared that no code reads (a stale number is a lie about the engine); the two
    # cost estimates are read through `_check_room(..., name)`, the class scores as "score_" + class.
    by_name = {"html_engine_seconds_per_block", "html_seconds_per_block", "score_neargood", "score_short",
               "score_bad"}
    # The story model's pass-two weights are read by column name (cleaner/core/story.py `weights`).
    by_name |= {n for n in declared if n.startswith("story2_")}
    assert sorted(set(declared) - read - by_name) == []


def test_every_parameter_says_what_it_does_and_its_range():
    rs = load_ruleset()
    assert len(rs.schema) >= 80
    for name, spec in rs.schema.items():
        assert spec.doc and spec.type in ("int", "float"), name
        assert spec.min <= rs.params[name] <= spec.max, name


def test_no_parameter_is_declared_twice_among_the_built_in_files(tmp_path):
    import shutil

    shutil.copytree(builtin_rules_dir(), tmp_path / "rules")
    (tmp_path / "rules" / "again.yaml").write_text(
        "version: 1\nparams:\n"
        "  length_low: {value: 50, type: int, min: 0, max: 1000, doc: again}\nrules: []\n",
        encoding="utf-8",
    )
    import cleaner.ruleset as ruleset_mod

    saved = ruleset_mod.builtin_rules_dir
    ruleset_mod.builtin_rules_dir = lambda: tmp_path / "rules"
    try:
        with pytest.raises(RuleError) as err:
            load_ruleset([])
    finally:
        ruleset_mod.builtin_rules_dir = saved
    assert any("length_low: declared again" in p for p in err.value.problems)


def test_a_users_folder_overrides_a_parameter_and_it_is_logged(tmp_path, caplog):
    (tmp_path / "mine.yaml").write_text(
        "version: 1\nparams:\n  confidence_full_chars: 1000000\nrules: []\n", encoding="utf-8"
    )
    with caplog.at_level(logging.INFO, logger="cleaner.rules"):
        rs = load_ruleset([tmp_path])
    assert rs.params["confidence_full_chars"] == 1000000
    assert any("confidence_full_chars = 1000000" in r.getMessage() for r in caplog.records)
    # and the engine reads it by name: the same body is far from "enough prose" now
    seed = (ROOT / "seeds" / "000_11e950c0d58bd2da.txt").read_text(encoding="utf-8")
    assert clean(seed).confidence > 0.5
    assert clean(seed, ruleset=rs).confidence < 0.05


@pytest.mark.parametrize(
    ("value", "why"),
    [("lots", "expected an integer"), (7.5, "expected an integer"), (-3, "outside"),
     (True, "expected an integer")],
)
def test_a_bad_override_is_refused_with_its_reason(tmp_path, value, why):
    rule_file = f"version: 1\nparams:\n  length_low: {value}\nrules: []\n"
    (tmp_path / "mine.yaml").write_text(rule_file, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_ruleset([tmp_path])
    assert any("length_low" in p and why in p for p in err.value.problems), err.value.problems


def test_an_unknown_parameter_is_refused(tmp_path):
    rule_file = "version: 1\nparams:\n  lenght_low: 40\nrules: []\n"
    (tmp_path / "mine.yaml").write_text(rule_file, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_ruleset([tmp_path])
    assert any("lenght_low: no such parameter" in p for p in err.value.problems)


def test_the_rule_set_compiles_within_its_memory_budget(caplog):
    """The built-in Set compiles within SET_MAX_MEM; one that outgrows it gets more, with a warning."""
    import cleaner.ruleset as ruleset_mod

    with caplog.at_level(logging.WARNING, logger="cleaner.rules"):
        load_ruleset()
    assert not [r for r in caplog.records if "RE2 Set" in r.getMessage()]
    saved = ruleset_mod.SET_MAX_MEM
    ruleset_mod.SET_MAX_MEM = 8 << 20  # too small for the built-in Set: it does not compile at 8 MiB
    try:
        with caplog.at_level(logging.WARNING, logger="cleaner.rules"):
            rs = load_ruleset()
    finally:
        ruleset_mod.SET_MAX_MEM = saved
    assert rs.match("SOURCE: Agencies")
    assert any("RE2 Set" in r.getMessage() for r in caplog.records)
