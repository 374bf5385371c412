"""`cleaner batch`: row shape, error rows, exit codes, inputs, output formats, resume, progress."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zstandard

from cleaner import batch, cli
from cleaner.batch import Fields, Options, clean_record, dump_row
from cleaner.batch.local import run_ordered
from cleaner.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")

_WORDS = (
    "council", "harbour", "budget", "minister", "river", "school", "hospital", "mayor", "village",
    "railway", "bridge", "festival", "farmers", "election", "museum", "court", "storm", "police",
    "library", "teachers", "factory", "airport", "market",
)


def story(seed: int, paragraphs: int = 4) -> str:
    """A synthetic news story whose sentences are unique to `seed`."""
    rnd = random.Random(seed)
    title = f"The {rnd.choice(_WORDS)} of {rnd.choice(_WORDS)} town plans changes number {seed}"
    paras = []
    for p in range(paragraphs):
        sents = []
        for s in range(3):
            a, b, c = rnd.sample(_WORDS, 3)
            sents.append(
                f"The {a} said on day {seed * 31 + p * 7 + s} that the {b} would need about "
                f"{rnd.randint(2, 900)} more workers before the {c} could open again this year."
            )
        paras.append(" ".join(sents))
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def write_jsonl(path: Path, lines: list[str | dict]) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for x in lines:
            f.write((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n")
    return path


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run_cli(*args: str) -> int:
    return cli.main(["batch", *args])


def assert_error(row: dict, status: int, slug: str) -> None:
    assert row["ok"] is False
    assert set(row["error"]) == {"type", "title", "status", "detail"}
    assert row["error"]["status"] == status
    assert row["error"]["type"].endswith("/" + slug)
    assert row["error"]["detail"]


# ---------------------------------------------------------------------------------------------
# The row shape (shared with the service)


def test_clean_record_success_row_is_id_ok_then_the_result():
    row = clean_record({"id": "a1", "text": SEED_TEXT, "url": "https://www.aljazeera.com/x"})
    keys = list(row)
    assert keys[:2] == ["id", "ok"] and row["id"] == "a1" and row["ok"] is True
    assert "text" in row and "removed" in row and "blocks" in row
    assert row["title"] == "Canadian soldiers clash with ISIL in Iraq"
    lean = clean_record({"id": "a1", "text": SEED_TEXT}, explain=False)
    assert "removed" not in lean and "blocks" not in lean


@pytest.mark.parametrize(
    ("record", "status", "slug", "rid"),
    [
        ({"id": 1, "text": 42}, 400, "invalid-input", 1),
        ({"id": 2}, 400, "invalid-input", 2),
        ({"id": 3, "text": "x", "url": ["not", "a", "string"]}, 400, "invalid-input", 3),
        (["not", "an", "object"], 400, "invalid-input", None),
        ({"id": 4, "text": "x" * 200}, 413, "too-large", 4),
    ],
)
def test_clean_record_error_rows(record, status, slug, rid):
    from cleaner import Settings

    row = clean_record(record, settings=Settings(max_bytes=100))
    assert list(row) == ["id", "ok", "error", "cleaner_version", "rules_version"]
    assert row["id"] == rid
    assert_error(row, status, slug)


def test_clean_record_turns_an_engine_bug_into_a_500_row(monkeypatch):
    import cleaner.records

    def broken(*a, **kw):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cleaner.records, "clean", broken)
    row = clean_record({"id": "z", "text": "Some text."})
    assert_error(row, 500, "internal")
    assert "ZeroDivisionError" in row["error"]["detail"]


def test_clean_record_custom_fields():
    f = Fields(text="body", id="key", url="link")
    row = clean_record({"key": "k", "body": SEED_TEXT, "link": "https://x.org/a"}, fields=f)
    assert row["ok"] and row["id"] == "k"


def test_dump_row_is_one_line_with_fixed_order_and_utf8():
    line = dump_row({"id": "é", "ok": True, "text": "a\nb"})
    assert line == '{"id":"é","ok":true,"text":"a\\nb"}\n'
    # a lone surrogate (from a "\ud800" escape) cannot be UTF-8: the row stays valid JSON
    odd = dump_row({"id": "\ud800", "ok": True})
    odd.encode("utf-8")
    assert json.loads(odd)["id"] == "\ud800"


# ---------------------------------------------------------------------------------------------
# Mixed input: one row per input record, in order, the right error rows, exit status 1


@pytest.fixture
def mixed(tmp_path):
    """A JSONL file and a folder with good and bad records; returns (inputs, expected per row)."""
    big = story(99, paragraphs=40)
    jsonl = write_jsonl(tmp_path / "mixed.jsonl", [
        {"id": "good-1", "text": story(1), "url": "https://news.example.com/1"},
        {"id": "bad-type", "text": 12345},
        "{this is not json",
        "",  # blank lines are not records
        {"id": "good-2", "text": story(2)},
        {"id": "too-big", "text": big},
        '["an", "array"]',
        {"id": "html-1", "html": "<html><body><h1>Hello</h1><p>" + story(3) + "</p></body></html>"},
    ])
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(story(4), encoding="utf-8")
    (folder / "sub" / "b.txt").write_bytes(bytes(range(32)) * 8)  # binary: no encoding makes it text
    (folder / "notes.md").write_text("ignored: not .txt or .html")
    expected = [
        ("good-1", True, None), ("bad-type", False, 400), (None, False, 400), ("good-2", True, None),
        ("too-big", False, 413), (None, False, 400), ("html-1", None, None),
        ("a.txt", True, None), ("sub/b.txt", False, 422),
    ]
    return [str(jsonl), str(folder)], expected, len(big.encode()) - 1


@pytest.mark.parametrize("workers", [1, 2])
def test_mixed_input_gives_one_row_per_record_and_exit_1(tmp_path, mixed, workers, capsys):
    inputs, expected, cap = mixed
    out = tmp_path / "out.jsonl"
    code = run_cli(*inputs, "-o", str(out), "--workers", str(workers), "--max-bytes", str(cap),
                   "--chunk-size", "2")
    assert code == 1
    rows = read_rows(out)
    assert len(rows) == len(expected)
    for row, (rid, ok, status) in zip(rows, expected, strict=True):
        assert row["id"] == rid
        if ok is True:
            assert row["ok"] is True and row["text"]
        elif ok is False:
            assert row["ok"] is False and row["error"]["status"] == status
        else:  # HTML: either cleaned, or an error row if this build has no HTML input
            assert row["ok"] is True or set(row["error"]) == {"type", "title", "status", "detail"}
    assert rows[2]["line"] == 3 and "not JSON" in rows[2]["error"]["detail"]
    assert rows[5]["line"] == 7
    assert "does not look like text" in rows[8]["error"]["detail"]
    err = capsys.readouterr().err
    assert "9 records" in err and "failed" in err


def test_over_the_time_budget_is_a_422_row(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "slow", "text": story(1)}])
    out = tmp_path / "out.jsonl"
    assert run_cli(str(src), "-o", str(out), "--timeout", "0.0000001", "--workers", "1") == 1
    [row] = read_rows(out)
    assert row["id"] == "slow"
    assert_error(row, 422, "deadline-exceeded")


def test_all_good_exits_0_and_keeps_input_order(tmp_path):
    recs = [{"id": f"d{i}", "text": story(i)} for i in range(30)]
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.jsonl"
    assert run_cli(str(src), "-o", str(out), "--workers", "2", "--chunk-size", "3") == 0
    rows = read_rows(out)
    assert [r["id"] for r in rows] == [f"d{i}" for i in range(30)]
    assert all(r["ok"] for r in rows)
    assert rows[7]["text"] == clean_record(recs[7])["text"]


def test_no_precise_reaches_html_records(tmp_path):
    """`cleaner batch --no-precise` cleans HTML records the way clean(precise=False) does: a
    real page whose audit trail differs between the two modes, through the worker pool."""
    fixtures = Path(__file__).resolve().parent / "fixtures" / "html"
    url = json.loads((fixtures / "entermedia_ko.expect.json").read_text(encoding="utf-8"))["url"]
    rec = {"id": "ko", "url": url, "html": (fixtures / "entermedia_ko.html").read_text(encoding="utf-8")}
    src = write_jsonl(tmp_path / "in.jsonl", [rec])
    rules = {}
    for flag, precise in (("--precise", True), ("--no-precise", False)):
        out = tmp_path / f"out{flag}.jsonl"
        assert run_cli(str(src), "-o", str(out), "--workers", "2", flag) == 0
        [row] = read_rows(out)
        rules[precise] = [b["rule"] for b in row["blocks"]]
        assert rules[precise] == [b["rule"] for b in clean_record(rec, precise=precise)["blocks"]]
    assert rules[True] != rules[False], "the two modes decide this page's blocks differently"


def test_over_long_line_is_not_buffered_but_reported(tmp_path):
    src = tmp_path / "in.jsonl"
    with open(src, "w") as f:
        f.write(json.dumps({"id": "ok", "text": story(1)}) + "\n")
        f.write('{"id": "huge", "text": "' + "a" * 200_000 + '"}\n')
        f.write(json.dumps({"id": "ok2", "text": story(2)}) + "\n")
    out = tmp_path / "out.jsonl"
    # cap 5000 bytes: a line over 6 * 5000 + 64 KiB is cut off at the reader
    assert run_cli(str(src), "-o", str(out), "--max-bytes", "5000", "--workers", "1") == 1
    rows = read_rows(out)
    assert [r["id"] for r in rows] == ["ok", None, "ok2"]
    assert rows[0]["ok"] and rows[2]["ok"]
    assert_error(rows[1], 413, "too-large")
    assert rows[1]["line"] == 2


def test_usage_errors_exit_2(tmp_path, capsys):
    out = str(tmp_path / "o.jsonl")
    assert run_cli(str(tmp_path / "missing.jsonl"), "-o", out) == 2
    assert "no such file" in capsys.readouterr().err
    src = str(write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "x"}]))
    assert run_cli(src, "-o", out, "--scheduler", "tcp://127.0.0.1:1") == 2
    assert run_cli(src, "-o", "-", "--format", "markdown") == 2
    assert run_cli("-", "-o", out, "--site-profiles") == 2
    assert run_cli(src, "-o", out, "--workers", "0") == 2
    assert not Path(out).exists()  # nothing written on a usage error
    with pytest.raises(SystemExit) as exc:
        run_cli(src)  # no -o: argparse's own usage error
    assert exc.value.code == 2


# ---------------------------------------------------------------------------------------------
# Inputs: compressed JSONL, stdin, a single file


def test_gz_and_zst_give_the_same_rows_as_plain(tmp_path):
    recs = [{"id": f"d{i}", "text": story(i), "url": f"https://a.example/{i}"} for i in range(12)]
    plain = write_jsonl(tmp_path / "in.jsonl", recs)
    data = plain.read_bytes()
    (tmp_path / "in.jsonl.gz").write_bytes(gzip.compress(data))
    # two zstd frames, as `zstd` writes for a concatenated file
    (tmp_path / "in.jsonl.zst").write_bytes(
        zstandard.ZstdCompressor().compress(data[:500]) + zstandard.ZstdCompressor().compress(data[500:])
    )
    outs = []
    for name in ("in.jsonl", "in.jsonl.gz", "in.jsonl.zst"):
        out = tmp_path / (name + ".out")
        assert run_cli(str(tmp_path / name), "-o", str(out), "--workers", "1") == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    assert outs[0].count(b"\n") == 12


def test_stdin_to_stdout_in_a_subprocess(tmp_path):
    recs = [{"id": i, "text": story(i)} for i in range(3)] + ["nope"]
    data = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in recs)
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "batch", "-", "-o", "-", "--no-explain", "--workers", "1"],
        input=data.encode(), capture_output=True, cwd=ROOT, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1
    rows = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2, None]
    assert rows[3]["line"] == 4 and "blocks" not in rows[0]
    assert b"4 records, 3 ok, 1 failed" in proc.stderr


def test_a_single_text_file_is_one_record(tmp_path):
    src = tmp_path / "story one.txt"
    src.write_text(SEED_TEXT, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert run_cli(str(src), "-o", str(out), "--workers", "1") == 0
    [row] = read_rows(out)
    assert row["id"] == "story one.txt" and row["title"] == "Canadian soldiers clash with ISIL in Iraq"


# ---------------------------------------------------------------------------------------------
# One file per document


def test_markdown_format_writes_one_file_per_document(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a/b c", "text": story(1)},
        {"id": "a/b c", "text": story(2)},  # clash: named by record number
        {"text": story(3)},  # no id: named by record number
        {"id": "bad", "text": None},
    ])
    out = tmp_path / "md"
    assert run_cli(str(src), "-o", str(out), "--format", "markdown", "--workers", "1") == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == ["a_b_c.md", "index.jsonl", "record-00000002.md", "record-00000003.md"]
    md = (out / "a_b_c.md").read_text(encoding="utf-8")
    assert md.startswith("---\ntitle: The ") and "\n---\n\n# The " in md
    assert clean_record({"text": story(1)})["text"].split("\n\n")[0] in md
    index = read_rows(out / "index.jsonl")
    assert [r.get("file") for r in index] == ["a_b_c.md", "record-00000002.md", "record-00000003.md", None]
    assert_error(index[3], 400, "invalid-input")


def test_text_format_writes_the_body_text(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "s1", "text": story(5)}])
    out = tmp_path / "txt"
    assert run_cli(str(src), "-o", str(out), "--format", "text", "--workers", "1") == 0
    assert (out / "s1.txt").read_text(encoding="utf-8") == clean_record({"text": story(5)})["text"] + "\n"


# ---------------------------------------------------------------------------------------------
# Resume


def test_resume_cuts_a_partial_last_line_and_finishes(tmp_path):
    recs = [{"id": f"d{i}", "text": story(i)} for i in range(10)]
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    full = tmp_path / "full.jsonl"
    assert run_cli(str(src), "-o", str(full), "--workers", "1") == 0
    lines = full.read_bytes().splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"".join(lines[:4]) + lines[4][:37])  # a crash in the middle of row 5
    assert run_cli(str(src), "-o", str(part), "--resume", "--workers", "2") == 0
    assert part.read_bytes() == full.read_bytes()
    # resuming a finished output changes nothing
    assert run_cli(str(src), "-o", str(part), "--resume", "--workers", "1") == 0
    assert part.read_bytes() == full.read_bytes()


KILL_N = 2500
KILL_CMD = ["--workers", "2", "--chunk-size", "16"]


def _terminal_sigint() -> None:
    """A child's SIGINT as a terminal gives it. A shell starts background jobs (`cmd &`, as CI
    runners often do) with SIGINT ignored, children inherit that, and Python then leaves it
    ignored, as `cleaner batch` does (the caller chose): the Ctrl-C under test would be lost."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def terminal_sigint():
    """This process's SIGINT as a terminal gives it (see `_terminal_sigint`), for the test."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="module")
def kill_input(tmp_path_factory) -> tuple[Path, bytes]:
    """2500 records (every 97th a non-JSON line) and the output of an uninterrupted run."""
    tmp = tmp_path_factory.mktemp("kill")
    src = write_jsonl(tmp / "in.jsonl", [
        {"id": f"doc-{i}", "text": SEED_TEXT.replace("Canadian", f"C{i}", 1)} if i % 97 else "not json"
        for i in range(KILL_N)
    ])
    ref = tmp / "ref.jsonl"
    assert run_cli(str(src), "-o", str(ref), *KILL_CMD) == 1
    return src, ref.read_bytes()


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGINT, 130)])
def test_resume_after_a_run_killed_half_way(tmp_path, kill_input, sig, status):
    """Kill a real running batch (its whole process group: driver and pool workers) half-way,
    resume, and get exactly one row per record; Ctrl-C (SIGINT) also leaves no process behind."""
    src, reference = kill_input
    n = KILL_N
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "cleaner", "batch", str(src), "-o", str(out), *KILL_CMD]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    err = tmp_path / "stderr.txt"
    with open(err, "wb") as err_file:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=err_file,
                                preexec_fn=_terminal_sigint)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if out.exists() and out.stat().st_size > 0 and out.read_bytes().count(b"\n") >= 200:
                break
            assert proc.poll() is None, "the batch finished before it could be killed; make the input bigger"
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed; make the input bigger"
        os.killpg(proc.pid, sig)  # the driver and its pool workers, mid-run
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == status, err.read_text(errors="replace")[-3000:]
    if sig == signal.SIGINT:  # the driver stopped and reaped its workers itself
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)
    done_before = out.read_bytes().count(b"\n")
    assert 200 <= done_before < n, "the kill must land half-way"
    resumed = subprocess.run([*cmd, "--resume"], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert resumed.returncode == 1  # the planted non-JSON lines
    assert f"after {done_before:,} rows already done".encode() in resumed.stderr
    rows = read_rows(out)
    assert len(rows) == n
    assert [r["id"] for r in rows] == [f"doc-{i}" if i % 97 else None for i in range(n)]
    assert [r["line"] for r in rows if not r["ok"]] == [i + 1 for i in range(n) if i % 97 == 0]
    assert out.read_bytes() == reference  # byte-identical to an uninterrupted run


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowing itself
def test_a_ctrl_c_swallowed_by_a_finalizer_still_stops_the_run(terminal_sigint):
    """Python swallows an exception raised in a finalizer ("Exception ignored in ..."), so a
    Ctrl-C whose handler runs while the main thread is in a `__del__` raises nothing; the
    handler's flag still records it, and the run checks that flag after every chunk."""
    from cleaner.cli.batch import _STOPPED, stop_signals

    class Finalized:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGINT)  # the handler runs here, inside the finalizer
            for _ in range(1000):  # bytecode boundaries, where pending signals are handled
                pass

    with stop_signals():
        assert not _STOPPED.is_set()
        obj = Finalized()
        del obj  # no KeyboardInterrupt reaches this frame
        assert _STOPPED.is_set()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with stop_signals():
        assert not _STOPPED.is_set()  # a new run starts unstopped


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_asked_to_stop_writes_only_complete_rows_and_resumes(tmp_path, workers):
    recs = [{"id": f"d{i}", "text": story(i)} for i in range(40)]
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    assert run_cli(str(src), "-o", str(full), "--workers", "1") == 0
    asked = []

    def interrupted() -> bool:  # the flag turns true after the third chunk
        asked.append(1)
        return len(asked) > 3

    options = Options(fields=Fields(), settings=Settings())
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch([str(src)], str(part), options=options, workers=workers, chunk_size=4,
                        stderr=io.StringIO(), interrupted=interrupted)
    assert part.read_bytes() == b"".join(full.read_bytes().splitlines(keepends=True)[:12])
    assert run_cli(str(src), "-o", str(part), "--resume", "--workers", "1") == 0
    assert part.read_bytes() == full.read_bytes()


def test_resume_of_markdown_output_keeps_the_index(tmp_path):
    recs = [{"id": "same", "text": story(i)} for i in range(5)]
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    full, part = tmp_path / "full", tmp_path / "part"
    assert run_cli(str(src), "-o", str(full), "--format", "markdown", "--workers", "1") == 0
    assert run_cli(str(src), "-o", str(part), "--format", "markdown", "--workers", "1") == 0
    index = (part / "index.jsonl").read_bytes().splitlines(keepends=True)
    (part / "index.jsonl").write_bytes(b"".join(index[:2]) + index[2][:10])
    assert run_cli(str(src), "-o", str(part), "--format", "markdown", "--resume", "--workers", "1") == 0
    assert (part / "index.jsonl").read_bytes() == (full / "index.jsonl").read_bytes()
    assert sorted(p.name for p in part.iterdir()) == sorted(p.name for p in full.iterdir())


# ---------------------------------------------------------------------------------------------
# Bounded memory and progress


def test_run_ordered_keeps_a_bounded_window_and_the_order():
    consumed = []

    def chunks():
        for i in range(100):
            consumed.append(i)
            yield [("row", {"id": i, "ok": True})]

    done = []
    for rows in run_ordered(chunks(), submit=lambda c: c, result=lambda c: [(True, str(c[0][1]["id"]))],
                            window=4):
        done.append(int(rows[0][1]))
        assert len(consumed) - len(done) <= 4  # never more than the window read ahead
    assert done == list(range(100))


def test_the_reader_streams(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": "x"} for i in range(1000)])
    items = batch.read_items([str(src)], Settings())
    first = next(items)
    assert first[0] == "line" and first[1] == 1
    assert sum(1 for _ in items) == 999


def test_progress_line_on_a_terminal_and_summary_otherwise(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": story(i)} for i in range(5)])
    live, quiet = io.StringIO(), io.StringIO()
    opts = Options()
    s = batch.run_batch([str(src)], str(tmp_path / "a.jsonl"), options=opts, stderr=live, live=True)
    batch.run_batch([str(src)], str(tmp_path / "b.jsonl"), options=opts, stderr=quiet, live=False)
    assert s.records == 5 and s.failed == 0
    bar = live.getvalue()
    # tqdm's bar over the input's bytes: total, percentage, ETA (`<` remaining), docs and errors.
    size = src.stat().st_size
    from tqdm import tqdm

    assert f"/{tqdm.format_sizeof(size, divisor=1024)}" in bar and "100%|" in bar and "<00:00" in bar
    assert "5 docs, 0 errors]" in bar
    assert "\r" not in quiet.getvalue()
    assert quiet.getvalue().count("\n") == 1 and "5 records, 5 ok, 0 failed" in quiet.getvalue()
