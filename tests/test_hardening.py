"""Hardening against the real gunicorn (the image's command): slow clients, restarts, early
refusals, killed requests, API keys. Issue 10, items 2, 3, 4 and 8. About 40 s on 2 cores."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
from _service import assert_problem, raw_exchange, request, start_server

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

READ_TIMEOUT = 2.0
STORY = "A headline\n\n" + "\n\n".join(
    f"Paragraph {i} of the story says what happened and why it matters to the readers here."
    for i in range(5))
TEXT = {"Content-Type": "text/plain"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("harden")
    srv = start_server(tmp, env={"CLEANER_READ_TIMEOUT_S": str(READ_TIMEOUT)})
    yield srv
    srv.stop(signal.SIGINT)
    assert "Traceback" not in srv.log(), srv.log()[-3000:]


def worker_pids(master: int) -> set[int]:
    pids = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.add(int(name))
    return pids


def _trickle(port: int, body_phase: bool, stop: threading.Event, out: list) -> None:
    """Send a request a byte every 0.2 s until the server cuts us: what did it answer, when."""
    t0 = time.monotonic()
    head = b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n"
    payload = head + b"\r\n" + b"a" * 5000 if body_phase else head
    sent = len(head) + 2 if body_phase else 0
    got = b""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if body_phase:
            sock.sendall(payload[:sent])
        sock.settimeout(0.2)
        for i in range(sent, len(payload)):
            if stop.is_set():
                break
            sock.sendall(payload[i:i + 1])
            try:
                data = sock.recv(65536)
                if not data:
                    break
                got += data
            except TimeoutError:
                continue
        sock.close()
    except OSError:
        pass
    out.append((time.monotonic() - t0, got))


def test_fifty_slow_clients_do_not_delay_a_normal_request(server):
    stop = threading.Event()
    done: list = []
    threads = [threading.Thread(target=_trickle, args=(server.port, i % 2 == 1, stop, done))
               for i in range(50)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        slowest = 0.0
        for i in range(8):
            t0 = time.monotonic()
            resp = (server.request("GET", "/healthz", timeout=5) if i % 2 else
                    server.request("POST", "/v1/clean?explain=false", STORY, TEXT, timeout=5))
            slowest = max(slowest, time.monotonic() - t0)
            assert resp.status == 200
        assert slowest < 1.0, f"a normal request took {slowest:.2f} s beside 50 slow clients"
        for t in threads:
            t.join(READ_TIMEOUT + 4)
    finally:
        stop.set()
    assert len(done) == 50, "every slow connection was cut by the read timeout"
    for seconds, answer in done:
        assert seconds < READ_TIMEOUT + 2.5, seconds
        assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        assert b"read-timeout" in answer


def test_a_chunk_announced_and_never_sent_is_cut(server):
    head = (b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n1000\r\nonly a little")
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as sock:
        sock.sendall(head)
        t_normal = time.monotonic()
        assert server.request("GET", "/healthz", timeout=5).status == 200
        assert time.monotonic() - t_normal < 1.0
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    assert time.monotonic() - t0 < READ_TIMEOUT + 2.5
    assert raw.startswith(b"HTTP/1.1 408"), raw[:200]


def test_urllib_reads_the_413_of_a_body_it_sends_whole(server):
    """Python's urllib sends the whole body before it reads: the 413 must still reach it."""
    big = b"a" * (11 << 20)  # the default cap is 10 MiB
    req = urllib.request.Request(f"{server.base}/v1/clean", data=big, headers=TEXT)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 413
    body = json.loads(err.value.read())
    assert body["type"].endswith("/too-large") and body["status"] == 413
    # An early 415 too.
    req = urllib.request.Request(f"{server.base}/v1/clean", data=b"x" * (2 << 20),
                                 headers={"Content-Type": "application/pdf"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 415


def test_error_details_name_at_most_twenty_unknown_members(server):
    doc = {"text": STORY, **{f"field{i:06d}": 1 for i in range(100_000)}}
    resp = server.request("POST", "/v1/clean", json.dumps(doc), {"Content-Type": "application/json"})
    body = assert_problem(resp, 400, "invalid-input")
    assert len(resp.body) < 4000, len(resp.body)
    assert "'field000019'" in body["detail"] and "'field000020'" not in body["detail"]
    assert "and 99980 more (100000 in all)" in body["detail"]


def test_a_sigkilled_worker_is_replaced_and_the_service_keeps_answering(server):
    before = worker_pids(server.proc.pid)
    assert len(before) == 2
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    statuses = []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        statuses.append(server.request("GET", "/healthz", timeout=5).status)
        now = worker_pids(server.proc.pid)
        if len(now) == 2 and victim not in now and server.request("GET", "/readyz").status == 200:
            break
        time.sleep(0.1)
    assert victim not in worker_pids(server.proc.pid) and len(worker_pids(server.proc.pid)) == 2
    assert statuses and set(statuses) == {200}


def _loader(port: int, stop: threading.Event, out: dict, keepalive: bool) -> None:
    import http.client

    conn = None
    while not stop.is_set():
        try:
            if conn is None or not keepalive:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("POST", "/v1/clean?explain=false", STORY.encode(), TEXT)
            resp = conn.getresponse()
            resp.read()
            out["ok" if resp.status == 200 else f"status {resp.status}"] += 1
            if resp.getheader("Connection", "").lower() == "close" or not keepalive:
                conn.close()
                conn = None
        except ConnectionRefusedError:
            out["refused"] += 1  # after the drain: fine
            conn = None
            time.sleep(0.05)
        except (OSError, http.client.HTTPException) as exc:
            out[f"broken: {type(exc).__name__}"] += 1
            conn = None


def test_sigterm_drains_then_stops_without_resetting_anyone(tmp_path):
    from collections import Counter

    drain = 2.0
    srv = start_server(tmp_path, env={"CLEANER_DRAIN_S": str(drain)})
    stop = threading.Event()
    counts: Counter = Counter()
    loaders = [threading.Thread(target=_loader, args=(srv.port, stop, counts, i % 2 == 0)) for i in range(8)]
    for t in loaders:
        t.start()
    time.sleep(1.0)
    srv.proc.send_signal(signal.SIGTERM)
    t_term = time.monotonic()
    ready_503 = healthy = 0
    while time.monotonic() - t_term < drain - 0.5:
        with contextlib.suppress(OSError):
            r = request(srv.port, "GET", "/readyz", timeout=5)
            ready_503 += r.status == 503 and b"draining" in r.body
            healthy += request(srv.port, "GET", "/healthz", timeout=5).status == 200
        time.sleep(0.1)
    code = srv.proc.wait(40)
    stopped_after = time.monotonic() - t_term
    stop.set()
    for t in loaders:
        t.join(20)
    assert code == 0, srv.log()[-3000:]
    assert ready_503 >= 3 and healthy >= 3, (ready_503, healthy)
    broken = {k: v for k, v in counts.items() if k.startswith(("broken", "status"))}
    assert not broken, (broken, counts)
    assert counts["ok"] > 20, counts
    assert drain <= stopped_after < drain + 10, stopped_after
    assert "draining for 2 s" in srv.log()


def test_a_request_past_the_hard_limit_is_logged_with_path_and_request_id(tmp_path):
    # A 2 s limit, not 1: the worker's main thread tells the master it is alive about once a
    # second, and a thread cleaning a long document holds the GIL for up to ~0.5 s at a time
    # (the compiled core's loops do not pass through the interpreter), so with a 1 s timeout the
    # master could kill the worker before the worker answers the 500 itself. The document
    # (17 MB, about 7 s to clean with the compiled core on an idle core, more without it) runs
    # well past the limit; at 6 MB (2.5 s) a fast machine finished it before the check fired.
    srv = start_server(tmp_path, argv=["gunicorn", "-c", "gunicorn.conf.py", "--timeout", "2"],
                       env={"CLEANER_TIMEOUT_S": "120", "CLEANER_MAX_BYTES": str(64 * 1024 * 1024)},
                       workers=1)
    try:
        big = "\n\n".join(f"Paragraph {i}: the council met on Tuesday about road {i % 89} and voted."
                          for i in range(250_000))
        resp = srv.request("POST", "/v1/clean", big, {**TEXT, "X-Request-ID": "slow-one-42"}, timeout=60)
        assert_problem(resp, 500, "internal")
        assert resp.json()["request_id"] == "slow-one-42"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the worker exits and the master starts another
            with contextlib.suppress(OSError):
                if request(srv.port, "GET", "/healthz", timeout=2).status == 200:
                    break
            time.sleep(0.2)
        lines = [json.loads(x) for x in srv.log().splitlines() if x.startswith('{"time"')]
        killed = [x for x in lines if x.get("killed")]
        assert killed and killed[0]["path"] == "/v1/clean" and killed[0]["request_id"] == "slow-one-42"
        assert killed[0]["status"] == 500 and killed[0]["duration_ms"] > 2000
    finally:
        srv.stop(signal.SIGINT)


def test_api_keys_over_the_wire_and_never_logged(tmp_path):
    keyfile = tmp_path / "keys"
    keyfile.write_text("# team keys\nfile-key-7Hq2\n\n")
    srv = start_server(tmp_path, env={"CLEANER_API_KEYS": "env-key-Xk91, other-key",
                                      "CLEANER_API_KEYS_FILE": str(keyfile)}, workers=1)
    try:
        resp = srv.request("POST", "/v1/clean", STORY, TEXT)
        assert_problem(resp, 401, "unauthorized")
        assert resp.headers["www-authenticate"].startswith("Bearer")
        assert_problem(srv.request("POST", "/v1/clean", STORY, {**TEXT, "Authorization": "Bearer nope"}), 401)
        assert_problem(srv.request("GET", "/v1/rules", headers={"Authorization": "Basic abc"}), 401)
        for key in ("env-key-Xk91", "other-key", "file-key-7Hq2"):
            ok = srv.request("POST", "/v1/clean", STORY, {**TEXT, "Authorization": f"Bearer {key}"})
            assert ok.status == 200
        for path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
            assert srv.request("GET", path).status == 200, path
        time.sleep(0.5)
        log = srv.log()
        assert "env-key-Xk91" not in log and "file-key-7Hq2" not in log and "nope" not in log
    finally:
        srv.stop(signal.SIGINT)


def test_gunicorn_level_refusals_still_problems(server):
    assert_problem(raw_exchange(server.port, b"GET /healthz?" + b"a" * 5000 + b" HTTP/1.1\r\n\r\n"), 414)
