"""The real service: gunicorn started with the image's exact command, over HTTP on loopback.

One server (2 workers) serves the whole module; the SIGTERM test and the `--bind` test start
their own. Budget: well under a minute on 2 cores.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from _service import (
    BIN,
    ROOT,
    SEED,
    SEED_EXPECTED,
    assert_problem,
    chunked,
    dev_html,
    dev_rows,
    dockerfile_cmd,
    dockerfile_healthcheck,
    free_port,
    metric_samples,
    needs_dev_html,
    needs_dev_set,
    raw_exchange,
    request,
    start_server,
)
from conftest import reader_text

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

MAX_BYTES = 3_000_000
STORY = "A headline\n\n" + "\n\n".join(
    f"Paragraph {i} of the story says what happened and why it matters to the readers here." for i in range(5)
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gunicorn")
    srv = start_server(
        tmp,
        env={
            "CLEANER_METRICS_DIR": str(tmp / "metrics"),
            "CLEANER_MAX_BYTES": str(MAX_BYTES),
            "CLEANER_BATCH_MAX_DOCUMENTS": "100",
        },
    )
    yield srv
    assert srv.stop() == 0, srv.log()
    assert "Traceback" not in srv.log(), srv.log()


def test_the_image_entry_command_is_the_readme_command():
    assert dockerfile_cmd() == ["gunicorn", "-c", "gunicorn.conf.py"]
    readme = (ROOT / "README.md").read_text()
    assert "gunicorn -c gunicorn.conf.py" in readme


def test_healthcheck_command_of_the_image_passes(server):
    # `python` as the image has it: here, the venv's.
    env = {**os.environ, "PORT": str(server.port), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(dockerfile_healthcheck(), env=env, capture_output=True, timeout=20)
    assert done.returncode == 0, done.stderr
    env["PORT"] = str(free_port())  # nothing listens there: the check must fail
    assert subprocess.run(dockerfile_healthcheck(), env=env, capture_output=True, timeout=20).returncode != 0


def test_health_ready_rules(server):
    assert server.request("GET", "/healthz").json() == {"status": "ok"}
    ready = server.request("GET", "/readyz").json()
    assert ready["status"] == "ready" and ready["rules"] > 0
    rules = server.request("GET", "/v1/rules").json()
    assert rules["rule_count"] == ready["rules"]
    assert all({"file", "version", "rules"} <= set(f) for f in rules["files"])


def _expected_fields():
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    return {
        k: expected[k] for k in ("title", "standfirst", "byline", "source", "body", "captions", "related")
    }


def test_seed_as_text_plain(server):
    resp = server.request(
        "POST", "/v1/clean", SEED.read_bytes(), {"Content-Type": "text/plain; charset=utf-8"}
    )
    assert resp.status == 200 and resp.content_type == "application/json"
    got = resp.json()
    assert {k: got[k] for k in _expected_fields()} == _expected_fields()
    assert got["input"] == "text" and got["blocks"] and "removed" in got


def test_seed_as_json(server):
    body = json.dumps({"text": SEED.read_text(encoding="utf-8"), "language": "en"})
    resp = server.request("POST", "/v1/clean?explain=false", body, {"Content-Type": "application/json"})
    got = resp.json()
    assert {k: got[k] for k in _expected_fields()} == _expected_fields()
    assert "blocks" not in got and "removed" not in got


def test_seed_as_markdown_and_text(server):
    md = server.request(
        "POST", "/v1/clean?format=markdown", SEED.read_bytes(), {"Content-Type": "text/plain"}
    )
    assert md.content_type.startswith("text/markdown")
    title = _expected_fields()["title"]
    text = md.body.decode()
    assert text.startswith(f"---\ntitle: {title}\n") and f"\n---\n\n# {title}\n" in text
    assert "Source: " + _expected_fields()["source"] in md.body.decode()
    txt = server.request("POST", "/v1/clean?format=text", SEED.read_bytes(), {"Content-Type": "text/plain"})
    assert txt.body.decode() == reader_text(_expected_fields()) + "\n"


@needs_dev_html
def test_dev_page_html(server):
    page = dev_html(1)[0]["html"]
    resp = server.request(
        "POST", "/v1/clean", page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}
    )
    if resp.status == 200:
        got = resp.json()
        assert got["input"] == "html" and len(got["text"]) > 200 and got["title"]
    else:  # the documented answer before HTML input lands
        assert_problem(resp, 400, "invalid-input")


@needs_dev_set
def test_batch_of_dev_documents_in_order(server):
    rows = dev_rows(12)
    docs = [{"id": r["id"], "text": r["raw_region"]} for r in rows] + [{"id": "bad", "html": 5}]
    resp = server.request(
        "POST",
        "/v1/clean/batch?explain=false",
        json.dumps({"documents": docs}),
        {"Content-Type": "application/json"},
    )
    results = resp.json()["results"]
    assert [r["id"] for r in results] == [d["id"] for d in docs]
    assert all(r["ok"] and r["text"] for r in results[:-1])
    assert results[-1]["ok"] is False and results[-1]["error"]["status"] == 400


JSON = {"Content-Type": "application/json"}
TEXT = {"Content-Type": "text/plain"}

ERRORS = [
    ("malformed-json", "POST", "/v1/clean", b"{oops", JSON, 400, "malformed-json"),
    ("missing-field", "POST", "/v1/clean", b'{"url": "https://x.org"}', JSON, 400, "invalid-input"),
    ("wrong-type", "POST", "/v1/clean", b'{"text": ["a"]}', JSON, 400, "invalid-input"),
    ("both", "POST", "/v1/clean", b'{"text": "a", "html": "<p>a</p>"}', JSON, 400, "invalid-input"),
    ("neither", "POST", "/v1/clean", b"{}", JSON, 400, "invalid-input"),
    (
        "too-deep",
        "POST",
        "/v1/clean",
        b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        JSON,
        400,
        "json-too-deep",
    ),
    ("bad-format", "POST", "/v1/clean?format=pdf", b"abc", TEXT, 400, "invalid-input"),
    ("batch-shape", "POST", "/v1/clean/batch", b'{"documents": {}}', JSON, 400, "invalid-input"),
    (
        "batch-limit",
        "POST",
        "/v1/clean/batch",
        json.dumps({"documents": [{"text": "a"}] * 101}).encode(),
        JSON,
        400,
        "too-many-documents",
    ),
    ("not-found", "GET", "/v2/clean", None, {}, 404, "not-found"),
    ("not-found-post", "POST", "/v2/clean", b"x", TEXT, 404, "not-found"),
    ("post-to-the-playground", "POST", "/", b"x", TEXT, 405, "method-not-allowed"),
    ("no-content-type", "POST", "/v1/clean", b"abc", {}, 415, "unsupported-media-type"),
    ("xml", "POST", "/v1/clean", b"<a/>", {"Content-Type": "application/xml"}, 415, "unsupported-media-type"),
    (
        "undecodable",
        "POST",
        "/v1/clean",
        b"broken \xff\xfe\xfa \xc3",  # (not at the start: \xff\xfe there is a UTF-16 BOM, which wins)
        {"Content-Type": "text/plain; charset=utf-8"},
        422,
        "undecodable",
    ),
    (
        "unknown-charset",
        "POST",
        "/v1/clean",
        b"abc",
        {"Content-Type": "text/plain; charset=x-nope"},
        422,
        "unknown-charset",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "slug"),
    [e[1:] for e in ERRORS],
    ids=[e[0] for e in ERRORS],
)
def test_error_statuses_are_problems(server, method, path, body, headers, status, slug):
    assert_problem(server.request(method, path, body, headers), status, slug)


def test_405_names_the_allowed_methods(server):
    resp = server.request("DELETE", "/v1/clean")
    assert_problem(resp, 405, "method-not-allowed")
    assert resp.headers["allow"] == "POST"
    resp = server.request("PUT", "/metrics", b"x", TEXT)
    assert_problem(resp, 405)
    assert "GET" in resp.headers["allow"]


def test_413_with_content_length(server):
    """Over the cap by Content-Length: answered from the headers, before the body is read."""
    head = (
        f"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {MAX_BYTES + 1}\r\nConnection: close\r\n\r\n"
    ).encode()
    assert_problem(raw_exchange(server.port, head), 413, "too-large")


def test_413_with_a_chunked_body_is_detected_not_truncated(server):
    over = b"word " * (MAX_BYTES // 5) + b"x"
    head = (
        b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n"
    )
    body = assert_problem(raw_exchange(server.port, head + chunked(over)), 413, "too-large")
    assert "chunked" in body["detail"]
    # Under the cap, a chunked body is read whole.
    ok = raw_exchange(server.port, head + chunked(STORY.encode(), size=7))
    assert ok.status == 200, ok.body[:300]
    # http.client may hand back the body chunked as well
    assert b"Paragraph 4 of the story" in ok.body


def test_422_over_the_time_budget(tmp_path):
    """Its own server with a 0.05 s budget per document (the module's server keeps the default)."""
    srv = start_server(tmp_path, env={"CLEANER_TIMEOUT_S": "0.05"}, workers=1)
    try:
        assert srv.request("POST", "/v1/clean", STORY, TEXT).status == 200
        # The engine checks its budget between stages: 100,000 one-word blocks make the first
        # stages (segment, rules) alone take far longer than 0.05 s.
        rows = "".join(f"w{i}\n\n" for i in range(100_000))
        body = assert_problem(srv.request("POST", "/v1/clean", rows, TEXT), 422, "deadline-exceeded")
        assert "budget" in body["detail"]
    finally:
        assert srv.stop() == 0


def test_request_id_in_header_and_access_log(server):
    resp = server.request("POST", "/v1/clean?explain=false", STORY, {**TEXT, "X-Request-ID": "trace-7f3a"})
    assert resp.headers["x-request-id"] == "trace-7f3a"
    generated = server.request("GET", "/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in server.log().splitlines() if line.startswith('{"time"')]
        access = [x for x in lines if x.get("request_id") == "trace-7f3a"]
        if access:
            break
        time.sleep(0.1)
    assert access, "the access log has a JSON line with the request id"
    assert access[0]["status"] == 200 and access[0]["path"] == "/v1/clean" and access[0]["method"] == "POST"


def _metrics(server) -> dict[str, float]:
    return metric_samples(server.request("GET", "/metrics").body.decode())


def test_metrics_count_what_was_sent_across_workers(server):
    before = _metrics(server)
    ok_body = STORY.encode()
    sends = (
        [("POST", "/v1/clean", ok_body, TEXT)] * 8
        + [("POST", "/v1/clean", b"abc", {})] * 3
        + [
            (
                "POST",
                "/v1/clean/batch",
                json.dumps({"documents": [{"text": STORY}, {"text": 1}, {"text": STORY}]}).encode(),
                JSON,
            )
        ]
    )
    statuses = []

    def send(item):
        statuses.append(server.request(*item).status)

    threads = [threading.Thread(target=send, args=(item,)) for item in sends]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 9 + [415] * 3
    after = _metrics(server)

    def delta(key):
        key = next(iter(metric_samples(key + " 0")))  # labels in the order samples are keyed by
        return after.get(key, 0) - before.get(key, 0)

    assert delta('cleaner_http_requests_total{route="/v1/clean",method="POST",status="200"}') == 8
    assert delta('cleaner_http_requests_total{route="/v1/clean",method="POST",status="415"}') == 3
    assert delta('cleaner_http_requests_total{route="/v1/clean/batch",method="POST",status="200"}') == 1
    assert delta('cleaner_http_request_duration_seconds_count{route="/v1/clean"}') == 11
    assert delta('cleaner_http_request_duration_seconds_bucket{route="/v1/clean",le="+Inf"}') == 11
    assert delta('cleaner_documents_total{outcome="ok"}') == 8 + 2
    assert delta('cleaner_documents_total{outcome="error"}') == 1
    assert delta("cleaner_request_bytes_total") == 8 * len(ok_body) + len(sends[-1][2])
    # Both workers wrote their own files in the shared folder (prometheus_client's multiprocess
    # mode: counter_<pid>.db...), and /metrics summed them.
    files = [f for f in os.listdir(server.env["CLEANER_METRICS_DIR"]) if f.endswith(".db")]
    assert len({f.rsplit("_", 1)[1] for f in files}) == 2, files


def test_bind_on_the_command_line_overrides_the_config(tmp_path):
    port, config_port = free_port(), free_port()
    srv = start_server(
        tmp_path,
        argv=["gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        env={"PORT": str(config_port)},  # what the config file alone would bind
        workers=1,
        port=port,
        wait_path="/healthz",
    )
    try:
        assert srv.env["PORT"] == str(config_port)
        assert request(port, "GET", "/healthz").status == 200
        with pytest.raises(OSError):
            request(config_port, "GET", "/healthz", timeout=2)
        assert f"Listening at: http://127.0.0.1:{port}" in srv.log()
    finally:
        assert srv.stop() == 0


def test_sigterm_lets_accepted_requests_finish(tmp_path):
    """Large documents in flight when SIGTERM comes: each accepted request completes with 200."""
    srv = start_server(tmp_path, env={"CLEANER_TIMEOUT_S": "60"}, workers=2)
    big = "\n\n".join(
        f"Paragraph {i}: the council met on Tuesday to discuss the budget for road {i % 89} and voted."
        for i in range(25_000)
    ).encode()
    results: list = []

    finished: list[float] = []

    def send():
        try:
            results.append(srv.request("POST", "/v1/clean?explain=false", big, TEXT, timeout=60))
        except OSError as exc:
            results.append(exc)
        finished.append(time.monotonic())

    threads = [threading.Thread(target=send) for _ in range(2)]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(0.3)  # both bodies sent and accepted by the two idle workers
    srv.proc.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    for t in threads:
        t.join(60)
    code = srv.proc.wait(40)
    elapsed = time.monotonic() - started
    assert len(results) == 2
    for resp in results:
        assert not isinstance(resp, Exception), resp
        assert resp.status == 200
        assert resp.json()["text"].startswith("Paragraph") and "voted" in resp.json()["text"]
    assert code == 0, srv.log()
    assert "Handling signal: term" in srv.log()
    assert elapsed > 0.3
    # Both were still being cleaned when the signal came (else make the documents bigger).
    assert min(finished) > signalled
    with pytest.raises(OSError):
        request(srv.port, "GET", "/healthz", timeout=2)


def test_schemathesis_finds_no_5xx_and_no_schema_breaking_response(server, tmp_path):
    """Every check but positive_data_acceptance: a schema-valid body may still be junk the engine
    refuses with a documented 422 (e.g. HTML that is mostly control characters)."""
    argv = [
        str(BIN / "st"),
        "run",
        f"{server.base}/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--max-examples",
        "25",
        "--workers",
        "1",
        "--seed",
        "20261125",
        "--max-failures",
        "5",
    ]
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=170)
    tail = "\n".join(done.stdout.splitlines()[-40:])
    assert done.returncode == 0, tail
    assert "No issues found" in done.stdout, tail


def _readme_curls() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The HTTP service") :]
    section = section[: section.index("\n## ", 1)] if "\n## " in section[1:] else section
    return [line.strip() for line in section.splitlines() if line.strip().startswith("curl ")]


@pytest.mark.skipif(not shutil.which("curl"), reason="needs curl")
def test_readme_curl_examples_work_as_written(server):
    curls = _readme_curls()
    assert len(curls) >= 5 and any("@seeds/000_11e950c0d58bd2da.txt" in c for c in curls)
    title = _expected_fields()["title"]
    for cmd in curls:
        assert "localhost:8000" in cmd, cmd
        # Only the address changes; -f makes curl fail on any HTTP error status.
        cmd = cmd.replace("localhost:8000", f"127.0.0.1:{server.port}").replace("curl -s", "curl -sf", 1)
        done = subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, (cmd, done.stderr)
        assert done.stdout.strip(), cmd
        if "@seeds/" in cmd and "format=markdown" in cmd:
            assert done.stdout.startswith(f"---\ntitle: {title}\n")
        elif "@seeds/" in cmd:
            assert json.loads(done.stdout)["title"] == title
        elif "/v1/clean" in cmd:
            assert json.loads(done.stdout)


def test_gunicorn_level_errors_are_problems_too(server):
    """Refused before the app runs (limits in gunicorn.conf.py): still problem+json, never HTML."""
    long_line = b"GET /healthz?" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert_problem(raw_exchange(server.port, long_line), 414)
    many = (
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(120)) + b"\r\n"
    )
    assert_problem(raw_exchange(server.port, many), 431)
    big_field = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 9000 + b"\r\n\r\n"
    resp = raw_exchange(server.port, big_field)
    assert_problem(resp, resp.status)
    assert resp.status in (400, 431)
    garbage = b"NOT HTTP AT ALL\r\n\r\n"
    resp = raw_exchange(server.port, garbage)
    assert_problem(resp, 400)


def _load_config(monkeypatch, **env):
    import runpy

    for key in ("WEB_CONCURRENCY", "PORT", "HOST", "CLEANER_TIMEOUT_S"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_config_values(monkeypatch):
    conf = _load_config(monkeypatch)
    assert conf["wsgi_app"] == "cleaner.wsgi:app"
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["worker_class"] == "cleaner.api.worker.CleanerWorker" and conf["preload_app"] is False
    assert conf["threads"] >= 51  # 50 slow clients on one worker still leave a thread
    assert conf["workers"] == conf["cpus_available"]() >= 1
    assert conf["workers"] <= len(os.sched_getaffinity(0))
    assert conf["timeout"] >= 60 and conf["graceful_timeout"] > 0
    assert conf["limit_request_line"] and conf["limit_request_fields"] and conf["limit_request_field_size"]
    assert conf["accesslog"] == "-" and conf["logger_class"].endswith("JsonLogger")
    conf = _load_config(monkeypatch, WEB_CONCURRENCY="3", PORT="9001", HOST="0.0.0.0", CLEANER_TIMEOUT_S="40")
    assert conf["workers"] == 3 and conf["bind"] == ["0.0.0.0:9001"]
    assert conf["timeout"] > 3 * 40  # the last resort comes after a whole batch's budget


def test_a_malformed_chunked_body_is_a_400_problem(server):
    head = b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
    head += b"Transfer-Encoding: chunked\r\n\r\n"
    assert_problem(raw_exchange(server.port, head + b"zz\r\nabc\r\n0\r\n\r\n"), 400, "bad-request")
    assert_problem(raw_exchange(server.port, head + b"3\r\nabcXX0\r\n\r\n"), 400, "bad-request")


def test_rules_were_loaded_once_per_worker(server):
    """After every request above, each of the 2 workers loaded the rules exactly once."""
    loads = [json.loads(line) for line in server.log().splitlines() if '"rules loaded:' in line]
    assert len(loads) == 2 and len({x["pid"] for x in loads}) == 2


def test_a_body_shorter_than_its_content_length_is_a_400_problem(server):
    head = b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + b"Title\n\nonly part of the body")
        sock.shutdown(socket.SHUT_WR)  # the client stops sending: 4970 bytes never come
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    assert raw.startswith(b"HTTP/1.1 400"), raw[:200]
    assert b"application/problem+json" in raw and b"bad-request" in raw


def test_no_cors_by_default(server):
    """Started without CLEANER_CORS_ORIGINS: no origin may call it from a browser."""
    origin = "https://newsroom.example"
    resp = server.request("POST", "/v1/clean", STORY, {"Content-Type": "text/plain", "Origin": origin})
    assert resp.status == 200
    assert not any(h.startswith("access-control-") for h in resp.headers), resp.headers
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    pre = server.request("OPTIONS", "/v1/clean", headers=preflight)
    assert_problem(pre, 403, "origin-not-allowed")
    assert not any(h.startswith("access-control-") for h in pre.headers), pre.headers


def test_the_playground_page_is_served_under_a_strict_policy(server):
    page = server.request("GET", "/")
    assert page.status == 200 and page.content_type.startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    for name, kind in (("playground.js", "javascript"), ("playground.css", "text/css")):
        assert f'"/static/{name}"' in page.body.decode()
        asset = server.request("GET", f"/static/{name}")
        assert asset.status == 200 and kind in asset.content_type, (name, asset.content_type)


def test_every_log_line_is_json_with_an_iso_time(server):
    """gunicorn's error and access lines and the app's share one format (JSON lines)."""
    server.request("GET", "/healthz")
    lines = [line for line in server.log().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # raises on any line that is not JSON
    loggers = {p["logger"] for p in parsed}
    assert {"gunicorn.error", "gunicorn.access", "cleaner.api"} <= loggers, loggers
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$")
    assert all(iso.match(p["time"]) and {"level", "pid", "message"} <= set(p) for p in parsed)
