"""The image's exact entry command, run as an unprivileged user (`nobody`) from a read-only
working folder over a code tree that user cannot write: it boots, serves, and writes nothing
there (the image runs as uid 10001 with the package in a root-owned site-packages). Item 7."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest
from _service import BIN, ROOT, SEED, dockerfile_cmd, start_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(90),
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                       reason="needs root and setpriv to switch to an unprivileged user"),
]

AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]


def _snapshot(folder) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in folder.rglob("*") if ".venv" not in p.parts}


def test_image_command_as_nobody_with_a_read_only_tree(tmp_path):
    top = Path(tempfile.mkdtemp(prefix="cleaner-ro-"))  # pytest's own tmp is root-only
    top.chmod(0o755)
    app = top / "app"  # the image's WORKDIR: gunicorn.conf.py alone, not writable
    app.mkdir()
    shutil.copy(ROOT / "gunicorn.conf.py", app / "gunicorn.conf.py")
    (app / "gunicorn.conf.py").chmod(0o444)
    app.chmod(0o555)
    probe = subprocess.run([*AS_NOBODY, str(BIN / "python"), "-c",
                            f"open({str(ROOT / 'cleaner' / 'probe.txt')!r}, 'w')"], capture_output=True)
    assert probe.returncode != 0 and b"PermissionError" in probe.stderr, "the code tree must be read-only"
    before = _snapshot(ROOT / "cleaner"), _snapshot(app)
    srv = start_server(tmp_path, argv=[*AS_NOBODY, *dockerfile_cmd()], workers=2, cwd=app,
                       env={"PYTHONDONTWRITEBYTECODE": "1"})
    try:
        workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(int(p)) == srv.proc.pid]
        uids = {_uid(pid) for pid in [srv.proc.pid, *workers]}
        assert uids == {_nobody()}, uids
        resp = srv.request("POST", "/v1/clean", SEED.read_bytes(), {"Content-Type": "text/plain"})
        assert resp.status == 200 and resp.json()["title"]
        assert srv.request("GET", "/metrics").status == 200
    finally:
        assert srv.stop(signal.SIGINT) == 0, srv.log()[-2000:]
    assert (_snapshot(ROOT / "cleaner"), _snapshot(app)) == before
    assert "Traceback" not in srv.log() and "Permission" not in srv.log(), srv.log()[-2000:]
    app.chmod(0o755)
    shutil.rmtree(top)


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def _uid(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Uid:"))


def _nobody() -> int:
    import pwd

    return pwd.getpwnam("nobody").pw_uid
