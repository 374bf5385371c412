# ruff: noqa: E501  (a table of raw requests: one case a line reads best)
"""The hostile matrix: raw-socket requests an attacker would send, against the real gunicorn.

Each case must get a complete HTTP answer below 500 (a problem+json body when it is an error),
no worker may restart, and the summary line "N cases, 0 5xx, 0 worker restarts, slowest X ms"
is printed. Issue 10, item 6. About 15 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import time

import pytest
from _service import chunked, start_server
from test_hardening import worker_pids

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

CAP = 200_000
READ_TIMEOUT = 2.0
STORY = ("A headline\n\nThe council voted on Tuesday to repair the old bridge before winter comes. "
         "Work starts in March and the road stays open.\n\nA second paragraph of the story.")


def req(method: str = "POST", path: str = "/v1/clean", headers: list[tuple[str, str]] | None = None,
        body: bytes = b"", *, length: bool = True, version: str = "HTTP/1.1") -> bytes:
    lines = [f"{method} {path} {version}", "Host: x", "Connection: close"]
    for name, value in headers or []:
        lines.append(f"{name}: {value}")
    if length and body is not None and not any(n.lower() in ("content-length", "transfer-encoding")
                                                for n, _ in headers or []):
        lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body


def text(body: bytes | str, ctype: str = "text/plain", path: str = "/v1/clean") -> bytes:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return req("POST", path, [("Content-Type", ctype)], raw)


def js(obj, path: str = "/v1/clean") -> bytes:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return req("POST", path, [("Content-Type", "application/json")], raw)


def te(body: bytes, ctype: str = "text/plain", extra: list[tuple[str, str]] | None = None) -> bytes:
    return req("POST", "/v1/clean", [("Content-Type", ctype), ("Transfer-Encoding", "chunked"), *(extra or [])],
               body, length=False)


CASES: list[tuple[str, bytes, dict]] = [
    # encodings
    ("utf16-bom", text("\ufeffTitle\n\nA line of text here.".encode("utf-16"), "text/plain; charset=utf-16"), {}),
    ("utf16-odd-bytes", text(b"\xff\xfeT\x00i\x00t", "text/plain; charset=utf-16"), {}),
    ("latin1", text("Caf\xe9 news\n\nThe caf\xe9 opened.".encode("latin-1"), "text/plain; charset=latin-1"), {}),
    ("shift-jis", text("日本のニュース\n\n本文です。".encode("shift_jis"), "text/plain; charset=shift_jis"), {}),
    ("invalid-utf8", text(b"\xc3\x28 broken \xa0\xa1", "text/plain; charset=utf-8"), {}),
    ("overlong-utf8", text(b"\xc0\xaf\xe0\x80\xaf", "text/plain"), {}),
    ("nul-bytes", text(b"Title\x00\n\n\x00\x00 body \x00" * 50), {}),
    ("control-chars", text(bytes(range(32)) * 100), {}),
    ("charset-empty", text(b"abc", "text/plain; charset="), {}),
    ("charset-not-text", text(b"abc", "text/plain; charset=base64"), {}),
    ("charset-bogus", text(b"abc", "text/plain; charset=\"x-\x7f\""), {}),
    ("json-surrogate", js(b'{"text": "a\\ud800b"}'), {}),
    ("json-latin1-bytes", js(b'{"text": "caf\xe9"}'), {}),
    ("html-meta-bogus-charset", text(b'<meta charset="no-such"><p>Hello there world.</p>', "text/html"), {}),
    ("html-utf7", text(b'<meta charset="utf-7"><p>+ADw-script+AD4-</p>', "text/html"), {}),
    ("cr-only-lines", text("Title\r\rBody line one.\rBody line two." * 200), {}),
    # sizes
    ("empty-text", text(b""), {}),
    ("empty-json", js(b""), {}),
    ("one-byte", text(b"a"), {}),
    ("at-cap", text(b"word " * (CAP // 5)), {}),
    ("over-cap-length", text(b"a" * (CAP + 1)), {"status": 413}),
    ("over-cap-chunked", te(chunked(b"a" * (CAP + 10))), {"status": 413}),
    ("huge-content-length", req("POST", "/v1/clean", [("Content-Type", "text/plain"),
                                                      ("Content-Length", "99999999999999999999")]), {}),
    ("negative-content-length", req("POST", "/v1/clean", [("Content-Type", "text/plain"),
                                                          ("Content-Length", "-5")], b"abc"), {}),
    ("alpha-content-length", req("POST", "/v1/clean", [("Content-Type", "text/plain"),
                                                       ("Content-Length", "abc")], b"abc"), {}),
    ("one-long-line", text("x" * (CAP - 10)), {}),
    ("many-blank-lines", text("\n" * (CAP - 10)), {}),
    ("many-short-lines", text("a\n" * (CAP // 2 - 10)), {}),
    # nesting, entities
    ("html-deep-nesting", text("<div>" * 30000 + "text" + "</div>" * 30000, "text/html"), {}),
    ("html-unclosed-tags", text("<b><i><u>" * 10000, "text/html"), {}),
    ("json-deep-nesting", js(b'{"text": ' + b"[" * 40000 + b"]" * 40000 + b"}"), {}),
    ("json-deep-object", js(b'{"a":' * 20000 + b"1" + b"}" * 20000), {}),
    ("html-entity-bomb", text('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                              + "<p>" + "&b;" * 10000 + "</p>", "text/html"), {}),
    ("html-many-entities", text("<p>" + "&amp;&lt;&#x41;&#65;&nbsp;" * 8000 + "</p>", "text/html"), {}),
    ("html-numeric-overflow", text("<p>&#99999999999999; &#x110000; &#0; &#xD800;</p>", "text/html"), {}),
    ("html-comment-bomb", text("<!--" * 20000 + "<p>x</p>", "text/html"), {}),
    ("html-script-only", text("<script>" + "var a=1;" * 20000 + "</script>", "text/html"), {}),
    ("html-cdata", text("<![CDATA[" * 5000 + "<p>a</p>", "text/html"), {}),
    ("html-many-attrs", text("<p " + " ".join(f'a{i}="v"' for i in range(15000)) + ">A sentence.</p>",
                             "text/html"), {}),
    # wrong types
    ("json-text-number", js({"text": 5}), {"status": 400}),
    ("json-text-null", js({"text": None}), {"status": 400}),
    ("json-text-bool", js({"text": True}), {"status": 400}),
    ("json-text-object", js({"text": {"a": 1}}), {"status": 400}),
    ("json-html-array", js({"html": ["<p>"]}), {"status": 400}),
    ("json-url-number", js({"text": "a", "url": 5}), {"status": 400}),
    ("json-language-object", js({"text": "a", "language": {}}), {"status": 400}),
    ("json-top-array", js([{"text": "a"}]), {"status": 400}),
    ("json-top-string", js("text"), {"status": 400}),
    ("json-top-number", js(b"1e999999"), {"status": 400}),
    ("json-nan", js(b'{"text": NaN}'), {"status": 400}),
    ("json-duplicate-keys", js(b'{"text": "a", "text": 5}'), {"status": 400}),
    ("json-trailing-garbage", js(b'{"text": "a"} xyz'), {"status": 400}),
    ("json-unknown-many", js({"text": "a", **{f"k{i}": 1 for i in range(5000)}}), {"status": 400}),
    # content types
    ("ctype-missing", req("POST", "/v1/clean", [], b"abc"), {"status": 415}),
    ("ctype-multipart", text(b"--x\r\n\r\nabc\r\n--x--", "multipart/form-data; boundary=x"), {"status": 415}),
    ("ctype-form", text(b"text=abc", "application/x-www-form-urlencoded"), {"status": 415}),
    ("ctype-garbage", text(b"abc", ";;;==;"), {"status": 415}),
    ("ctype-many-params", text(b"abc", "text/plain; " + "; ".join(f"p{i}=v" for i in range(500))), {}),
    ("json-as-text", text(b'{"text": "a"}', "text/plain"), {}),
    ("json-charset-latin1", js(b'{"text": "a"}').replace(b"application/json", b"application/json; charset=latin-1"),
     {}),
    # short, never-sent and chunked abuse
    ("short-body-eof", b"SHUTWR" + req("POST", "/v1/clean", [("Content-Type", "text/plain"),
                                                             ("Content-Length", "5000")], b"only ten.."), {}),
    ("headers-never-finished", b"NOSHUT" + b"POST /v1/clean HTTP/1.1\r\nHost: x\r\n", {"status": 408}),
    ("chunk-never-sent", b"NOSHUT" + te(b"1000\r\nabc"), {"status": 408}),
    ("chunk-bad-hex", te(b"zz\r\nabc\r\n0\r\n\r\n"), {"status": 400}),
    ("chunk-negative", te(b"-5\r\nabc\r\n0\r\n\r\n"), {"status": 400}),
    ("chunk-huge-size", te(b"ffffffffffffffffff\r\nabc\r\n0\r\n\r\n"), {}),
    ("chunk-missing-crlf", te(b"3\r\nabcXX0\r\n\r\n"), {"status": 400}),
    ("chunk-extension", te(b"3;name=value\r\nabc\r\n0\r\n\r\n"), {}),
    ("chunk-long-extension", te(b"3;" + b"x" * 20000 + b"\r\nabc\r\n0\r\n\r\n"), {}),
    ("chunk-trailer", te(b"3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n"), {}),
    ("chunk-eof-early", b"SHUTWR" + te(b"10\r\nabc"), {}),
    # smuggling
    ("cl-and-te", req("POST", "/v1/clean", [("Content-Type", "text/plain"), ("Content-Length", "4"),
                                             ("Transfer-Encoding", "chunked")], b"0\r\n\r\nGET /x HTTP/1.1\r\n\r\n",
                      length=False), {}),
    ("two-content-lengths", req("POST", "/v1/clean", [("Content-Type", "text/plain"), ("Content-Length", "3"),
                                                      ("Content-Length", "5")], b"abcde", length=False), {}),
    ("te-xchunked", req("POST", "/v1/clean", [("Content-Type", "text/plain"), ("Transfer-Encoding", "xchunked")],
                        b"3\r\nabc\r\n0\r\n\r\n", length=False), {"status": 400}),
    ("te-chunked-identity", req("POST", "/v1/clean", [("Content-Type", "text/plain"),
                                                      ("Transfer-Encoding", "chunked, identity")],
                                b"3\r\nabc\r\n0\r\n\r\n", length=False), {}),
    ("te-double", req("POST", "/v1/clean", [("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked"),
                                             ("Transfer-Encoding", "chunked")], b"3\r\nabc\r\n0\r\n\r\n",
                      length=False), {}),
    ("te-space-before-colon", b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n"
                              b"Content-Type: text/plain\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n", {}),
    ("obs-fold-header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\nConnection: close\r\n\r\n", {}),
    ("header-without-colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", {"status": 400}),
    ("header-nul", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\nConnection: close\r\n\r\n", {}),
    ("bare-lf-lines", b"GET /healthz HTTP/1.1\nHost: x\nConnection: close\n\n", {}),
    ("pipelined-second-smuggled", req("GET", "/healthz").replace(b"Connection: close", b"X-A: 1")
     + b"GET /v1/rules HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {}),
    # request line and headers
    ("request-line-too-long", b"GET /healthz?" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", {"status": 414}),
    ("too-many-headers", b"GET /healthz HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(150)) + b"\r\n",
     {"status": 431}),
    ("header-too-big", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 9000 + b"\r\n\r\n", {}),
    ("garbage-line", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello\r\n\r\n", {}),
    ("http09", b"GET /\r\n\r\n", {}),
    ("http2-line", req("GET", "/healthz", version="HTTP/2.0"), {}),
    ("http10", req("GET", "/healthz", version="HTTP/1.0"), {"status": 200}),
    ("absolute-uri", req("GET", "http://evil.example/healthz"), {}),
    ("path-traversal", req("GET", "/../../etc/passwd"), {"status": 404}),
    ("path-nul-escape", req("GET", "/v1/rules%00.json"), {"status": 404}),
    ("bad-percent-query", req("POST", "/v1/clean?explain=%zz&format=%", [("Content-Type", "text/plain")],
                              STORY.encode()), {}),
    ("query-explain-maybe", req("POST", "/v1/clean?explain=maybe", [("Content-Type", "text/plain")],
                                STORY.encode()), {"status": 400}),
    ("bad-request-id", req("POST", "/v1/clean", [("Content-Type", "text/plain"), ("X-Request-ID", "a b\x7f" * 40)],
                           STORY.encode()), {"status": 400}),
    # methods
    ("get-clean", req("GET", "/v1/clean", length=False), {"status": 405}),
    ("put-clean", text(b"abc").replace(b"POST", b"PUT", 1), {"status": 405}),
    ("delete-batch", req("DELETE", "/v1/clean/batch", length=False), {"status": 405}),
    ("patch-rules", req("PATCH", "/v1/rules", body=b"x"), {"status": 405}),
    ("options", req("OPTIONS", "/v1/clean", length=False), {"status": 405}),
    ("head-healthz", req("HEAD", "/healthz", length=False), {"status": 200}),
    ("trace", req("TRACE", "/healthz", length=False), {}),
    ("connect", b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", {}),
    ("custom-method", req("FOO", "/healthz", length=False), {}),
    ("lowercase-method", req("get", "/healthz", length=False), {}),
    # batch abuse
    ("batch-not-object", js([1, 2], "/v1/clean/batch"), {"status": 400}),
    ("batch-documents-string", js({"documents": "x"}, "/v1/clean/batch"), {"status": 400}),
    ("batch-rows-not-objects", js({"documents": [1, "a", None, []]}, "/v1/clean/batch"), {"status": 200}),
    ("batch-id-bool", js({"documents": [{"id": True, "text": "a"}]}, "/v1/clean/batch"), {"status": 200}),
    ("batch-id-float", js({"documents": [{"id": 1.5, "text": "a"}]}, "/v1/clean/batch"), {"status": 200}),
    ("batch-too-many", js({"documents": [{"text": "a"}] * 101}, "/v1/clean/batch"), {"status": 400}),
    ("batch-extra-member", js({"documents": [], **{f"x{i}": 1 for i in range(300)}}, "/v1/clean/batch"),
     {"status": 400}),
    ("batch-text-plain", text(b'{"documents": []}', "text/plain", "/v1/clean/batch"), {"status": 415}),
    ("batch-hostile-rows", js({"documents": [{"html": "<div>" * 5000}, {"text": "\x00" * 5000},
                                             {"text": "a\n" * 20000}, {"html": "&amp;" * 5000}]},
                              "/v1/clean/batch"), {"status": 200}),
]


def _exchange(port: int, raw: bytes, timeout: float = 20) -> tuple[int | None, bytes, bytes]:
    mode, raw = (raw[:6], raw[6:]) if raw[:6] in (b"SHUTWR", b"NOSHUT") else (b"", raw)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(raw)
            if mode == b"SHUTWR":
                sock.shutdown(socket.SHUT_WR)
        data = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = None
    return status, head, body


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    srv = start_server(tmp, env={"CLEANER_MAX_BYTES": str(CAP), "CLEANER_READ_TIMEOUT_S": str(READ_TIMEOUT),
                                 "CLEANER_TIMEOUT_S": "5"})
    yield srv
    srv.stop(signal.SIGINT)


def test_the_hostile_matrix(server, request):
    assert len(CASES) >= 60
    assert len({name for name, _, _ in CASES}) == len(CASES)
    pids = worker_pids(server.proc.pid)
    boots = server.log().count("Booting worker")
    failures, slowest, n5xx = [], (0.0, ""), 0
    for name, raw, want in CASES:
        t0 = time.monotonic()
        status, head, body = _exchange(server.port, raw)
        ms = (time.monotonic() - t0) * 1000
        if ms > slowest[0] and name not in ("headers-never-finished", "chunk-never-sent"):
            slowest = (ms, name)
        if status is None:
            failures.append(f"{name}: no HTTP answer ({head[:80]!r})")
            continue
        n5xx += status >= 500
        if status >= 500 or ("status" in want and status != want["status"]):
            failures.append(f"{name}: {status} (wanted {want.get('status', '< 500')}) {body[:200]!r}")
        elif status >= 400 and b"application/problem+json" not in head.lower():
            failures.append(f"{name}: {status} without a problem+json body: {head[:300]!r}")
    time.sleep(1.5)  # a worker that died would be replaced by now
    restarts = server.log().count("Booting worker") - boots
    restarts += len(pids - worker_pids(server.proc.pid))
    line = f"{len(CASES)} cases, {n5xx} 5xx, {restarts} worker restarts, slowest {slowest[0]:.0f} ms ({slowest[1]})"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("\nhostile matrix: " + line)
    print(line)
    assert not failures, "\n".join(failures)
    assert n5xx == 0 and restarts == 0, line
    assert "Traceback" not in server.log(), server.log()[-3000:]
    assert os.path.exists(f"/proc/{server.proc.pid}")
