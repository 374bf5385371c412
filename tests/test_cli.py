"""The command line: `python -m cleaner clean PATH|- --format json|text|markdown` and
`rules check|list`, their outputs and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SEEDS, reader_text

from cleaner import clean
from cleaner.cli import main

SEED = SEEDS / "000_11e950c0d58bd2da.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
EXPECTED = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_json_is_the_result(capsys):
    code, out, err = run(capsys, "clean", str(SEED))
    assert code == 0, err
    got = json.loads(out)
    assert got == json.loads(json.dumps(clean(SEED.read_bytes()).to_dict()))
    assert got["encoding"] == "utf-8"
    assert got["title"] == EXPECTED["title"]
    assert {"blocks", "removed"} <= set(got)


def test_clean_json_no_explain(capsys):
    code, out, _ = run(capsys, "clean", str(SEED), "--format", "json", "--no-explain")
    assert code == 0
    got = json.loads(out)
    assert "blocks" not in got and "removed" not in got
    assert [b["text"] for b in got["body"]] == [b["text"] for b in EXPECTED["body"]]


def test_clean_text(capsys):
    code, out, _ = run(capsys, "clean", str(SEED), "--format", "text")
    assert code == 0
    assert out == reader_text(EXPECTED) + "\n"


def test_clean_markdown(capsys):
    code, out, _ = run(capsys, "clean", str(SEED), "--format", "markdown")
    assert code == 0
    assert out.startswith(f"---\ntitle: {EXPECTED['title']}\n")
    assert f"\n---\n\n# {EXPECTED['title']}\n\n*{EXPECTED['standfirst']}*\n\n" in out
    assert "\n\n## 'Behind front lines'\n\n" in out
    assert "*Caption: Canada's military deployment" in out and "(Reuters)*" in out
    assert out.endswith("Source: Agencies\n")


def test_clean_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED_TEXT.encode("utf-8"))))
    code, out, _ = run(capsys, "clean", "-", "--format", "text")
    assert code == 0
    assert out.startswith(reader_text(EXPECTED)[:40])


def test_clean_empty_input_prints_nothing_and_says_why(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    note = (f"cleaner: {empty}: the body is empty: the input holds no text "
            "(see `warnings` in the JSON result)\n")
    assert run(capsys, "clean", str(empty), "--format", "text") == (0, "", note)
    assert run(capsys, "clean", str(empty), "--format", "markdown") == (0, "", note)
    code, out, _ = run(capsys, "clean", str(empty))
    assert code == 0 and json.loads(out)["confidence"] == 0
    assert json.loads(out)["warnings"] == ["the body is empty: the input holds no text"]


def test_clean_missing_file_is_exit_2(capsys, tmp_path):
    code, out, err = run(capsys, "clean", str(tmp_path / "nope.txt"))
    assert code == 2 and out == ""
    assert "cannot read" in err and "nope.txt" in err


def test_clean_binary_is_exit_1(capsys, tmp_path):
    bad = tmp_path / "binary.txt"
    bad.write_bytes(bytes(range(0, 32)) * 20)
    code, out, err = run(capsys, "clean", str(bad))
    assert code == 1 and out == ""
    assert "Undecodable input" in err and "does not look like text" in err


def test_clean_too_large_is_exit_1(capsys, monkeypatch):
    monkeypatch.setenv("CLEANER_MAX_BYTES", "100")
    code, out, err = run(capsys, "clean", str(SEED))
    assert code == 1 and out == ""
    assert "Document too large" in err


@pytest.mark.parametrize(
    "argv",
    [[], ["clean"], ["clean", str(SEED), "--format", "html"], ["frobnicate"], ["rules", "fix"]],
    ids=["nothing", "no-path", "bad-format", "bad-command", "bad-rules-action"],
)
def test_usage_errors_are_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_rules_check(capsys, ruleset, monkeypatch):
    monkeypatch.delenv("CLEANER_RULES", raising=False)
    code, out, err = run(capsys, "rules", "check")
    assert code == 0, err
    assert out.strip() == f"{len(ruleset.rules)} rules in {len(ruleset.files)} files: ok"


def test_rules_list_is_a_table(capsys, ruleset, monkeypatch):
    monkeypatch.delenv("CLEANER_RULES", raising=False)
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["RULE", "ROLE", "FILE", "VERSION", "REASON"]
    assert len(lines) == 1 + len(ruleset.rules) + 1
    first = ruleset.files[0].rules[0]
    assert lines[1].split()[:3] == [first.id, first.role, ruleset.files[0].name]
    assert lines[-1] == (f"{len(ruleset.rules)} rules in {len(ruleset.files)} files; "
                         f"rules_version {ruleset.digest}")


def test_rules_list_json(capsys, ruleset, monkeypatch):
    monkeypatch.delenv("CLEANER_RULES", raising=False)
    code, out, _ = run(capsys, "rules", "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [f["file"] for f in listed] == [f.name for f in ruleset.files]
    assert all(f["version"] is not None for f in listed)


def test_rules_check_bad_folder_is_exit_2(capsys, monkeypatch, tmp_path):
    broken = "version: 1\nrules:\n  - name: x\n    role: nope\n"
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.setenv("CLEANER_RULES", str(tmp_path))
    code, out, err = run(capsys, "rules", "check")
    assert code == 2 and out == ""
    assert "broken.yaml: rules[0].role" in err and "broken.yaml: rules[0].pattern" in err


def _module(args: list[str], **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CLEANER_RULES"} | kw.pop("env", {})
    return subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=ROOT, capture_output=True,
                          env=env, timeout=60, **kw)


def test_python_m_cleaner_stdin_to_stdout():
    proc = _module(["clean", "-", "--format", "text"], input=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == reader_text(EXPECTED) + "\n"


def test_python_m_cleaner_bad_rules_stop_clean_with_exit_2(tmp_path):
    (tmp_path / "broken.yaml").write_text("rules: []\n", encoding="utf-8")
    proc = _module(["clean", str(SEED)], env={"CLEANER_RULES": str(tmp_path)})
    assert proc.returncode == 2
    assert b"broken.yaml: version: required" in proc.stderr
    assert proc.stdout == b""
