"""The CLI behaves like the tools people know: --version, described commands and options,
several paths, -o, .gz, quiet on a closed pipe; batch: --force, plurals, refused -o FILE for a
folder format, the fields named when --field is missing, SIGTERM like Ctrl-C, an honest ETA."""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SEEDS

from cleaner import __version__, batch, clean
from cleaner.batch import Options
from cleaner.batch.progress import Progress, Reporter
from cleaner.cli import main
from cleaner.cli.main import build_parser

SEED = SEEDS / "000_11e950c0d58bd2da.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _module(*args: str, **kw) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "CLEANER_RULES"}
    return subprocess.Popen([sys.executable, "-m", "cleaner", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    out = capsys.readouterr().out
    assert info.value.code == 0 and out.startswith(f"cleaner {__version__}, "), out
    from cleaner import build

    kind = build()["kind"]  # and which core is loaded
    assert ("compiled core (" in out) if kind == "compiled" else ("pure-Python core" in out), out


def test_every_command_and_option_is_described(capsys):
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {c.dest for c in sub._choices_actions} == {"clean", "batch", "rules"}
    assert all(c.help for c in sub._choices_actions)
    for name, p in sub.choices.items():
        for action in p._actions:
            assert action.help, (name, action.dest)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "clean documents: files, .gz files or standard input" in out


def test_clean_several_paths_gz_and_o(capsys, tmp_path):
    gz = tmp_path / "seed.txt.gz"
    gz.write_bytes(gzip.compress(SEED.read_bytes()))
    html = tmp_path / "page.html.gz"
    html.write_bytes(gzip.compress(b"<html><body><article><h1>Bridge</h1><p>"
                                   + b"The council voted on Tuesday to repair the old bridge. " * 5
                                   + b"</p></article></body></html>"))
    out = tmp_path / "all.jsonl"
    code, stdout, _ = run(capsys, "clean", str(SEED), str(gz), str(html), "-o", str(out), "--no-explain")
    assert code == 0 and stdout == ""
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["path"] for r in rows] == [str(SEED), str(gz), str(html)]
    assert rows[0]["text"] == rows[1]["text"] == clean(SEED.read_bytes()).text
    assert rows[2]["input"] == "html" and "repair the old bridge" in rows[2]["text"]
    folder = tmp_path / "md"
    code, _, _ = run(capsys, "clean", str(SEED), str(html), "-o", str(folder) + "/", "--format", "markdown")
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["000_11e950c0d58bd2da.md", "page.md"]


def test_clean_several_paths_one_missing_goes_on(capsys, tmp_path):
    code, out, err = run(capsys, "clean", str(tmp_path / "nope.txt"), str(SEED), "--format", "text")
    assert code == 1 and out.startswith("Canadian forces exchange gunfire")  # the standfirst, then the body
    assert "cannot read" in err and "1 of 2 documents failed" in err


def test_clean_refuses_o_that_is_an_input(capsys, tmp_path):
    src = tmp_path / "a.txt"
    src.write_bytes(SEED.read_bytes())
    assert run(capsys, "clean", str(src), "-o", str(src))[0] == 2
    assert src.read_bytes() == SEED.read_bytes()


def test_clean_empty_result_notes_why_on_stderr(capsys, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("Subscribe\n\nShare this\n", encoding="utf-8")
    code, out, err = run(capsys, "clean", str(short))
    assert code == 0 and json.loads(out)["text"] == ""
    assert f"cleaner: {short}: the body is empty: none of the 2 blocks reads as story prose" in err


def test_closed_pipe_is_quiet():
    proc = _module("clean", *[str(SEED)] * 40)  # ~1 MB of JSON Lines, more than a pipe holds
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()  # like `| head -c 100`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_closed_pipe_is_quiet_in_batch(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": SEED.read_text()}) + "\n" for i in range(60)))
    proc = _module("batch", str(src), "-o", "-", "--workers", "2", "--no-progress")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err, err


# --- batch -----------------------------------------------------------------------------------

def _jsonl(path, n, field="text"):
    path.write_text("".join(json.dumps({"id": i, field: SEED.read_text()}) + "\n" for i in range(n)))
    return path


def test_batch_needs_force_to_overwrite(capsys, tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", 1)
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    code, _, err = run(capsys, "batch", str(src), "-o", str(out), "--workers", "1")
    assert code == 2 and out.read_text() == "precious\n"
    assert "exists; add --force to overwrite it, or --resume to continue it" in err
    code, _, err = run(capsys, "batch", str(src), "-o", str(out), "--workers", "1", "--force")
    assert code == 0 and json.loads(out.read_text())["ok"] is True
    # Singular when it is one.
    assert "cleaner batch: 1 record, 1 ok, 0 failed" in err
    folder = tmp_path / "md"
    assert run(capsys, "batch", str(src), "-o", str(folder), "--format", "markdown", "--workers", "1")[0] == 0
    code, _, err = run(capsys, "batch", str(src), "-o", str(folder), "--format", "markdown", "--workers", "1")
    assert code == 2 and "folder already holds an index.jsonl" in err


def test_batch_refuses_a_file_name_for_a_folder_format(capsys, tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", 1)
    code, _, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "x.md"), "--format", "markdown")
    assert code == 2 and not (tmp_path / "x.md").exists()
    assert "writes one file per document into a folder" in err and "-o x" not in err.split("give")[0][-3:]


def test_batch_missing_field_names_the_fields(capsys, tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", 3, field="body")
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "batch", str(src), "-o", str(out), "--workers", "1")
    assert code == 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert all("its fields: body, id" in r["error"]["detail"] for r in rows)
    assert err.count("noted once per run") == 1
    assert "row 1: the record has neither a `text` nor an `html` field; its fields: body, id" in err
    assert "--text-field" in err and "3 records, 0 ok, 3 failed" in err


def test_progress_done_is_what_is_written_not_what_is_read():
    p = Progress()
    p.add_total(100)
    for end in range(10, 101, 10):
        p.note(end)  # the reader ran ahead to the end
    assert p.read_bytes == 100 and p.done_bytes == 0
    p.written(3)
    assert p.done_bytes == 30
    p.written(10)
    assert p.done_bytes == 100


def test_progress_bar_follows_written_rows(tmp_path, monkeypatch):
    src = _jsonl(tmp_path / "in.jsonl", 40)
    ends = []
    pos = 0
    for line in src.read_bytes().splitlines(keepends=True):
        pos += len(line)
        ends.append(pos)
    seen = []
    original = Reporter.update

    def spy(self, s, force=False):
        seen.append((s.records, self.progress.done_bytes))
        return original(self, s, force=True)

    monkeypatch.setattr(Reporter, "update", spy)
    stream = io.StringIO()
    batch.run_batch([str(src)], str(tmp_path / "o.jsonl"), options=Options(), workers=2, chunk_size=2,
                    stderr=stream, live=True)
    assert seen and all(done == ends[records - 1] for records, done in seen if records), seen
    bar = stream.getvalue()
    from tqdm import tqdm

    assert "100%|" in bar and f"/{tqdm.format_sizeof(src.stat().st_size, divisor=1024)}" in bar


@pytest.mark.parametrize("group", [False, True], ids=["driver", "process-group"])
def test_sigterm_is_handled_like_ctrl_c(tmp_path, group):
    n = 600
    src = _jsonl(tmp_path / "in.jsonl", n)
    out = tmp_path / "out.jsonl"
    proc = _module("batch", str(src), "-o", str(out), "--workers", "2", "--chunk-size", "4",
                   start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size == 0):
        time.sleep(0.05)
    assert out.exists() and out.stat().st_size > 0, "no row was written in time"
    if group:
        os.killpg(proc.pid, signal.SIGTERM)  # what a supervisor stopping the group does
    else:
        proc.send_signal(signal.SIGTERM)  # `kill PID`
    _, err = proc.communicate(timeout=60)
    err = err.decode()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "run the same command with --resume to continue" in err
    done = len(out.read_text().splitlines())
    assert 0 < done < n
    again = _module("batch", str(src), "-o", str(out), "--workers", "2", "--resume")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == list(range(n))
