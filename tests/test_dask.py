"""`--engine dask`: byte-identical output to the local engine, on a LocalCluster and on a
separately started `dask scheduler` + `dask worker` pair on loopback."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_batch import run_cli, story, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "dev.jsonl"

needs_dev = pytest.mark.skipif(
    not DEV.is_file(), reason=f"needs the shared dev set at {DEV} (absent here): the Dask identity test"
)
pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def dev_input(tmp_path_factory) -> Path:
    """The 80 dev pages as batch input (`raw_fullpage` as text), plus a few bad records."""
    if not DEV.is_file():
        pytest.skip(f"needs the shared dev set at {DEV} (absent here)")
    pages = [json.loads(x) for x in DEV.read_text(encoding="utf-8").splitlines()]
    recs: list[str | dict] = [{"id": p["id"], "url": p["url"], "text": p["raw_fullpage"]} for p in pages]
    recs[10:10] = ["{broken", {"id": "nontext", "text": ["a"]}]
    return write_jsonl(tmp_path_factory.mktemp("dev") / "dev.jsonl", recs)


@pytest.fixture(scope="module")
def local_output(dev_input, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("local") / "local.jsonl"
    assert run_cli(str(dev_input), "-o", str(out), "--workers", "2") == 1  # the two bad records
    data = out.read_bytes()
    assert data.count(b"\n") == 82
    return data


@needs_dev
def test_dask_local_cluster_output_is_byte_identical(dev_input, local_output, tmp_path):
    out = tmp_path / "dask.jsonl"
    assert run_cli(str(dev_input), "-o", str(out), "--engine", "dask", "--workers", "2",
                   "--chunk-size", "7") == 1
    assert out.read_bytes() == local_output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group we started (the nanny's worker too), then SIGKILL if needed."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@pytest.fixture
def dask_pair(tmp_path):
    """A `dask scheduler` and one `dask worker` on 127.0.0.1 free ports; stopped afterwards."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bindir = Path(sys.executable).parent
    logs = [open(tmp_path / "scheduler.log", "wb"), open(tmp_path / "worker.log", "wb")]  # noqa: SIM115
    procs = []
    try:
        procs.append(subprocess.Popen(
            [str(bindir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env=env, cwd=tmp_path, stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True,
        ))
        procs.append(subprocess.Popen(
            [str(bindir / "dask"), "worker", address, "--host", "127.0.0.1", "--nworkers", "1",
             "--nthreads", "1", "--no-dashboard"],
            env=env, cwd=tmp_path, stdout=logs[1], stderr=subprocess.STDOUT, start_new_session=True,
        ))
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s") as c:
                    c.wait_for_workers(1, timeout=60)
                break
            except OSError:
                assert all(p.poll() is None for p in procs), (tmp_path / "scheduler.log").read_text()
                assert time.monotonic() < deadline, "the Dask scheduler did not come up"
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            _stop(p)
        for f in logs:
            f.close()
    assert all(p.returncode is not None for p in procs)


@needs_dev
def test_dask_scheduler_and_worker_pair_output_is_byte_identical(dev_input, local_output, tmp_path,
                                                                 dask_pair):
    out = tmp_path / "dask.jsonl"
    assert run_cli(str(dev_input), "-o", str(out), "--engine", "dask", "--scheduler", dask_pair) == 1
    assert out.read_bytes() == local_output


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys, monkeypatch):
    import cleaner.batch.dask_engine

    monkeypatch.setattr(cleaner.batch.dask_engine, "CONNECT_TIMEOUT", "2s")
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": story(1)}])
    port = _free_port()  # nothing listens here
    code = run_cli(str(src), "-o", str(tmp_path / "o.jsonl"), "--engine", "dask",
                   "--scheduler", f"tcp://127.0.0.1:{port}")
    assert code == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_workers_with_other_rules_are_refused(tmp_path, monkeypatch, capsys):
    """A cluster that would clean with other rules must not write a single row."""
    from cleaner.engine import default_ruleset

    default_ruleset()  # this process keeps the built-in rules
    extra = tmp_path / "rules"
    extra.mkdir()
    (extra / "local.yaml").write_text(
        "version: 1\ndescription: a site's own rule\nrules:\n"
        "  - name: only_here\n    role: advert\n    pattern: '^Only here$'\n"
        "    reason: Test rule.\n    examples: ['Only here']\n    counter_examples: ['Not here']\n"
    )
    monkeypatch.setenv("CLEANER_RULES", str(extra))  # the LocalCluster's new processes load it
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": story(1)}])
    out = tmp_path / "o.jsonl"
    code = run_cli(str(src), "-o", str(out), "--engine", "dask", "--workers", "1")
    assert code == 2
    assert "load other rules" in capsys.readouterr().err
    assert not out.exists()  # refused before the output was opened


def test_dask_matches_local_on_synthetic_records_with_site_profiles(tmp_path):
    """Runs without ../shared: error rows, profiles (broadcast to the workers) and order agree."""
    from test_profiles import site_docs

    recs: list[str | dict] = [*site_docs(), "not json", {"id": "bad", "text": 3}]
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert run_cli(str(src), "-o", str(local), "--site-profiles", "--workers", "1") == 1
    assert run_cli(str(src), "-o", str(dask), "--site-profiles", "--engine", "dask", "--workers", "1",
                   "--chunk-size", "4") == 1
    assert dask.read_bytes() == local.read_bytes()
    assert b"site_profile.repeated_line" in local.read_bytes()
    assert local.read_bytes().count(b"\n") == len(recs)
