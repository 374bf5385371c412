"""Batch I/O errors (issue 10, item 5): disk full, an output folder gone, no permission, an
unreadable input give one clear line and exit status 74; `--resume` then picks up after them."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
needs_root = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                                reason="root sees past permissions: needs setpriv to run as nobody")
pytestmark = [pytest.mark.timeout(180)]


def _records(n: int) -> str:
    body = "The council voted on Tuesday to repair bridge number {i} before winter.\n\n" * 3
    return "".join(json.dumps({"id": f"r{i}", "text": f"Title {i}\n\n" + body.format(i=i)}) + "\n"
                   for i in range(n))


def _batch(*args: str, prefix: list[str] | None = None,
           fsize: int | None = None) -> subprocess.CompletedProcess:
    def limit():
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    argv = [*(prefix or []), str(BIN / "cleaner"), "batch", *args, "--workers", "1", "--no-progress"]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, preexec_fn=limit)


def _one_clear_line(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 74, (done.returncode, done.stderr[-2000:])
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert lines[0].startswith("cleaner batch: ") and "--resume" in lines[0]
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(_records(40), encoding="utf-8")
    return path


def test_disk_full(corpus):
    _one_clear_line(_batch(str(corpus), "-o", "/dev/full"), "/dev/full", "No space left on device")


def test_output_folder_gone(corpus, tmp_path):
    _one_clear_line(_batch(str(corpus), "-o", str(tmp_path / "gone" / "out.jsonl")), "No such file")


def test_out_of_room_mid_run_then_resume_gives_the_whole_output(corpus, tmp_path):
    ref = tmp_path / "ref.jsonl"
    assert _batch(str(corpus), "-o", str(ref), "--no-explain").returncode == 0
    size = ref.stat().st_size
    out = tmp_path / "out.jsonl"
    done = _batch(str(corpus), "-o", str(out), "--no-explain", "--chunk-size", "4", fsize=size // 3)
    _one_clear_line(done, "File too large")
    assert 0 < out.stat().st_size <= size // 3
    again = _batch(str(corpus), "-o", str(out), "--no-explain", "--resume")
    assert again.returncode == 0, again.stderr[-2000:]
    assert out.read_bytes() == ref.read_bytes()


@pytest.fixture
def open_folder():
    """A folder under /tmp that nobody may enter (pytest's own tmp folder is root's alone)."""
    top = Path("/tmp") / f"cleaner-io-{os.getpid()}"
    top.mkdir(exist_ok=True)
    top.chmod(0o777)
    yield top
    for p in [top, *top.rglob("*")]:
        p.chmod(0o777)
    shutil.rmtree(top, ignore_errors=True)


@needs_root
def test_unwritable_output(open_folder):
    src = open_folder / "in.jsonl"
    src.write_text(_records(3), encoding="utf-8")
    src.chmod(0o644)
    folder = open_folder / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    _one_clear_line(_batch(str(src), "-o", str(folder / "out.jsonl"), prefix=AS_NOBODY),
                    "Permission denied", "out.jsonl")


@needs_root
def test_unreadable_input(open_folder):
    src = open_folder / "in.jsonl"
    src.write_text(_records(3), encoding="utf-8")
    src.chmod(0o000)
    _one_clear_line(_batch(str(src), "-o", str(open_folder / "out.jsonl"), prefix=AS_NOBODY),
                    "cannot open", "Permission denied")
