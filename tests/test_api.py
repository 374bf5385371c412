"""The Flask app in-process (test client): success shapes, every error as problem+json, OpenAPI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from _service import PROBLEM_BASE, SEED, SEED_EXPECTED, metric_samples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import clean, load_ruleset
from cleaner.api import create_app
from cleaner.api.routes import openapi_text

STORY = "A headline\n\n" + "\n\n".join(
    f"Paragraph {i} of the story says what happened and why it matters to the readers here." for i in range(5)
)
MAX_BYTES = 4096


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(
        {
            "TESTING": True,
            "MAX_BYTES": MAX_BYTES,
            "TIMEOUT_S": 10,
            "RULES_DIRS": [],
            "BATCH_MAX_DOCUMENTS": 3,
            "METRICS_DIR": str(tmp_path_factory.mktemp("metrics")),
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


def problem_of(resp, status, slug=None):
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json(force=True)
    assert {"type", "title", "status", "detail", "request_id"} <= set(body)
    assert body["status"] == status
    assert body["request_id"] == resp.headers["X-Request-ID"]
    if slug:
        assert body["type"] == PROBLEM_BASE + slug
    assert "Traceback" not in resp.get_data(as_text=True)
    return body


# --- success -------------------------------------------------------------------------------


def test_text_plain_gives_the_engine_result(client):
    resp = client.post("/v1/clean", data=STORY.encode(), content_type="text/plain")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.get_json() == json.loads(json.dumps(clean(STORY.encode()).to_dict()))
    assert resp.get_json()["encoding"] == "utf-8"


def test_json_seed_matches_expected_fields(client, app):
    app.config["MAX_BYTES"] = 10**6
    try:
        big = create_app({"TESTING": True, "RULES_DIRS": [], "METRICS_DIR": app.config["METRICS_DIR"]})
        resp = big.test_client().post("/v1/clean", json={"text": SEED.read_text(encoding="utf-8")})
    finally:
        app.config["MAX_BYTES"] = MAX_BYTES
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    got = resp.get_json()
    for key in ("title", "standfirst", "byline", "source", "body", "captions", "related"):
        assert got[key] == expected[key], key


@pytest.mark.parametrize("charset", ["utf-8", "latin-1", "utf-16", "cp1252"])
def test_declared_charset_is_honoured(client, charset):
    text = (
        "Café news\n\n"
        + "Le café a rouvert ses portes mardi après des mois de travaux, disent les voisins. " * 3
    )
    resp = client.post(
        "/v1/clean?format=text", data=text.encode(charset), content_type=f"text/plain; charset={charset}"
    )
    assert resp.status_code == 200
    assert "Le café a rouvert" in resp.get_data(as_text=True)


def test_formats_and_explain(client):
    text = client.post("/v1/clean?format=text", data=STORY, content_type="text/plain")
    assert text.mimetype == "text/plain" and text.get_data(as_text=True) == clean(STORY).text + "\n"
    md = client.post("/v1/clean?format=markdown", data=STORY, content_type="text/plain")
    assert md.mimetype == "text/markdown" and md.get_data(as_text=True) == clean(STORY).to_markdown()
    short = client.post("/v1/clean?explain=false", json={"text": STORY}).get_json()
    assert "blocks" not in short and "removed" not in short and short["text"]
    full = client.post("/v1/clean", json={"text": STORY}).get_json()
    assert "blocks" in full and "removed" in full


def test_html_is_a_result_or_the_documented_problem(client):
    page = (
        "<html><head><title>A headline</title></head><body>"
        + "".join(
            f"<p>Paragraph {i} of the story says what happened and why it matters to readers.</p>"
            for i in range(4)
        )
        + "</body></html>"
    )
    for resp in (
        client.post("/v1/clean", data=page, content_type="text/html"),
        client.post("/v1/clean", json={"html": page}),
    ):
        if resp.status_code == 200:
            assert resp.get_json()["input"] == "html" and "Paragraph 2" in resp.get_json()["text"]
        else:  # before HTML input lands the engine refuses it with an InputError
            problem_of(resp, 400, "invalid-input")


def test_url_and_language_reach_the_engine(client):
    resp = client.post(
        "/v1/clean?language=de&url=https://example.com/x", data=STORY, content_type="text/plain"
    )
    assert resp.get_json()["language"] == clean(STORY, language="de").language


def test_batch_rows_in_order_and_one_bad_document_fails_alone(client):
    resp = client.post(
        "/v1/clean/batch?explain=false",
        json={
            "documents": [
                {"id": "a", "text": STORY},
                {"id": 2, "text": 5},
                "not an object",
            ]
        },
    )
    assert resp.status_code == 200
    rows = resp.get_json()["results"]
    assert [r["id"] for r in rows] == ["a", 2, None]
    assert rows[0]["ok"] is True and rows[0]["text"] == clean(STORY).text and "blocks" not in rows[0]
    for row in rows[1:]:
        assert row["ok"] is False and row["error"]["status"] == 400
        assert row["error"]["type"] == PROBLEM_BASE + "invalid-input"


def test_batch_limit_and_shape(client):
    problem_of(
        client.post("/v1/clean/batch", json={"documents": [{"text": "x"}] * 4}), 400, "too-many-documents"
    )
    problem_of(client.post("/v1/clean/batch", json={"docs": []}), 400, "invalid-input")
    problem_of(client.post("/v1/clean/batch", json=[{"text": "x"}]), 400, "invalid-input")
    problem_of(client.post("/v1/clean/batch", data="x", content_type="text/plain"), 415)
    assert client.post("/v1/clean/batch", json={"documents": []}).get_json() == {"results": []}


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        (b"{not json", "malformed-json"),
        (b"", "malformed-json"),
        (b"\xff\xfe\x00", "malformed-json"),
        (b"[" * 2000 + b"]" * 2000, "json-too-deep"),
        (b'{"text": 5}', "invalid-input"),
        (b'{"text": null}', "invalid-input"),
        (b'{"text": "a", "html": "b"}', "invalid-input"),
        (b"{}", "invalid-input"),
        (b'{"url": "https://example.com"}', "invalid-input"),
        (b'{"text": "a", "url": 5}', "invalid-input"),
        (b'{"text": "a", "language": ["en"]}', "invalid-input"),
        (b'{"text": "a", "extra": 1}', "invalid-input"),
        (b'["text"]', "invalid-input"),
        (b'"just a string"', "invalid-input"),
    ],
)
def test_bad_json_is_400(client, body, slug):
    problem_of(client.post("/v1/clean", data=body, content_type="application/json"), 400, slug)


def test_lone_surrogate_is_undecodable(client):
    problem_of(
        client.post("/v1/clean", data=b'{"text": "bad \\udc80 text"}', content_type="application/json"),
        422,
        "undecodable",
    )


@pytest.mark.parametrize("query", ["format=pdf", "explain=maybe"])
def test_bad_query_is_400(client, query):
    problem_of(client.post(f"/v1/clean?{query}", data=STORY, content_type="text/plain"), 400, "invalid-input")


def test_not_found_and_method_not_allowed(client):
    problem_of(client.get("/nope"), 404, "not-found")
    resp = client.get("/v1/clean")
    problem_of(resp, 405, "method-not-allowed")
    assert resp.headers["Allow"] == "POST"
    resp = client.delete("/healthz")
    problem_of(resp, 405)
    assert "GET" in resp.headers["Allow"]


def test_too_large_with_content_length(client):
    problem_of(
        client.post("/v1/clean", data=b"a" * (MAX_BYTES + 1), content_type="text/plain"), 413, "too-large"
    )
    assert (
        client.post("/v1/clean", data=b"a " * (MAX_BYTES // 2), content_type="text/plain").status_code == 200
    )


def test_too_large_without_content_length(app):
    """A body with no Content-Length (chunked) is read up to the cap plus one byte, never truncated."""
    import io

    for size, status in ((MAX_BYTES + 1, 413), (MAX_BYTES, 200)):
        environ = {
            "wsgi.input": io.BytesIO(b"a " * (size // 2) + b"a" * (size % 2)),
            "wsgi.input_terminated": True,
            "CONTENT_TYPE": "text/plain",
        }
        resp = app.test_client().open("/v1/clean", method="POST", environ_overrides=environ)
        assert resp.status_code == status, resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("ctype", "status"),
    [
        (None, 415),
        ("application/xml", 415),
        ("multipart/form-data; boundary=x", 415),
        ("application/x-www-form-urlencoded", 415),
    ],
)
def test_unsupported_media_type(client, ctype, status):
    headers = {"Content-Type": ctype} if ctype else {}
    problem_of(client.post("/v1/clean", data=b"abc", headers=headers), status, "unsupported-media-type")


@pytest.mark.parametrize(
    ("ctype", "body", "slug"),
    [
        ("text/plain", bytes(range(32)) * 10, "undecodable"),
        ("text/plain; charset=ascii", "café".encode(), "undecodable"),
        ("text/plain; charset=klingon-8", b"abc", "unknown-charset"),
        ("text/plain; charset=base64", b"abc", "unknown-charset"),
        ("text/html; charset=no-such-charset", b"<p>x</p>", "unknown-charset"),
    ],
)
def test_undecodable_is_422(client, ctype, body, slug):
    problem_of(client.post("/v1/clean", data=body, content_type=ctype), 422, slug)


def test_deadline_exceeded_is_422(tmp_path):
    slow = create_app({"TESTING": True, "TIMEOUT_S": 0.0, "RULES_DIRS": [], "METRICS_DIR": str(tmp_path)})
    body = problem_of(slow.test_client().post("/v1/clean", json={"text": STORY}), 422, "deadline-exceeded")
    assert "budget" in body["detail"]


def test_unexpected_fault_is_a_500_problem_with_the_request_id(app, monkeypatch):
    import cleaner.api.routes as routes

    def boom(**kwargs):
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(routes, "clean", boom)
    resp = app.test_client().post("/v1/clean", json={"text": STORY}, headers={"X-Request-ID": "req-42"})
    body = problem_of(resp, 500, "internal")
    assert "req-42" in body["detail"] and "secret internals" not in resp.get_data(as_text=True)


def test_request_id_is_kept_when_sane_and_replaced_when_not(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    rid = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)


def test_bad_rules_stop_start_up(tmp_path):
    from cleaner import RuleError

    (tmp_path / "bad.yaml").write_text("version: 1\nrules:\n  - name: Bad Name\n")
    with pytest.raises(RuleError):
        create_app({"TESTING": True, "RULES_DIRS": [str(tmp_path)], "METRICS_DIR": str(tmp_path / "m")})


# --- other routes --------------------------------------------------------------------------


def test_rules_health_ready(client):
    rules = client.get("/v1/rules").get_json()
    rs = load_ruleset([])
    assert rules["rule_count"] == len(rs.rules)
    assert {f["file"] for f in rules["files"]} == {f.name for f in rs.files}
    assert all("version" in f for f in rules["files"])
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["rules"] == len(rs.rules)


def test_metrics_render_sums_every_process_file(tmp_path):
    """Two real processes count into one folder (prometheus_client's multiprocess mode); a
    third renders the sums with the same metric names as before."""
    script = (
        "import sys; from pathlib import Path; from cleaner.api.metrics import Metrics\n"
        "m = Metrics(Path(sys.argv[1]))\n"
        "for line in sys.argv[2:]: eval(line)\n"
    )
    env = {k: v for k, v in os.environ.items()
           if k not in ("PROMETHEUS_MULTIPROC_DIR", "CLEANER_METRICS_DIR")}
    for calls in (
        ["m.observe_documents(ok=2)", "m.observe_request('/v1/clean', 'POST', 200, 0.02, 100)"],
        ["m.observe_documents(ok=1, error=1)", "m.observe_request('/v1/clean', 'POST', 200, 3.0, 50)",
         "m.observe_request('/v1/clean', 'POST', 400, 0.001, 7)"],
    ):
        subprocess.run([sys.executable, "-c", script, str(tmp_path), *calls], env=env, check=True, timeout=60)
    render = (
        "import sys; from pathlib import Path; from cleaner.api.metrics import Metrics\n"
        "print(Metrics(Path(sys.argv[1])).render())"
    )
    text = subprocess.run([sys.executable, "-c", render, str(tmp_path)], env=env, check=True,
                          capture_output=True, text=True, timeout=60).stdout
    got = metric_samples(text)
    want = metric_samples("""
cleaner_http_requests_total{route="/v1/clean",method="POST",status="200"} 2
cleaner_http_requests_total{route="/v1/clean",method="POST",status="400"} 1
cleaner_documents_total{outcome="ok"} 3
cleaner_documents_total{outcome="error"} 1
cleaner_request_bytes_total 157
cleaner_http_request_duration_seconds_bucket{route="/v1/clean",le="0.005"} 1
cleaner_http_request_duration_seconds_bucket{route="/v1/clean",le="0.025"} 2
cleaner_http_request_duration_seconds_bucket{route="/v1/clean",le="2.5"} 2
cleaner_http_request_duration_seconds_bucket{route="/v1/clean",le="5"} 3
cleaner_http_request_duration_seconds_count{route="/v1/clean"} 3
""")
    assert {k: got.get(k) for k in want} == want
    # One set of files per process: the two that counted, and the renderer (its zeros).
    assert len({f.rsplit("_", 1)[1] for f in os.listdir(tmp_path) if f.endswith(".db")}) == 3


# --- the OpenAPI file ------------------------------------------------------------------------


def _spec():
    return json.loads(openapi_text())


def test_openapi_is_served_and_is_the_packaged_file_with_this_servers_batch_limit(client):
    resp = client.get("/openapi.json")
    served = resp.get_json()
    assert resp.status_code == 200
    assert served["components"]["schemas"]["BatchRequest"]["properties"]["documents"]["maxItems"] == 3
    served["components"]["schemas"]["BatchRequest"]["properties"]["documents"]["maxItems"] = 100
    assert served == _spec()
    assert _spec()["openapi"].startswith("3.1")


def test_openapi_paths_match_the_routes(app):
    spec_ops = {(path, method.upper()) for path, item in _spec()["paths"].items() for method in item}
    app_ops = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert spec_ops == app_ops


def test_openapi_refs_resolve_and_limits_are_stated():
    spec = _spec()
    text = json.dumps(spec)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = spec
        for part in ref.split("/"):
            node = node[part]
    docs = spec["components"]["schemas"]["BatchRequest"]["properties"]["documents"]
    assert docs["maxItems"] == 100
    for op in ("/v1/clean", "/v1/clean/batch"):
        assert {"400", "413", "415"} <= set(spec["paths"][op]["post"]["responses"])
    assert "422" in spec["paths"]["/v1/clean"]["post"]["responses"]


def test_openapi_validates_against_the_oas_3_1_meta_schema():
    definitions = pytest.importorskip("schemathesis.specs.openapi.definitions")
    validator = definitions.OPENAPI_31_VALIDATOR
    errors = [str(e) for e in validator.iter_errors(_spec())]
    assert errors == []
    broken = _spec()
    broken["paths"]["/healthz"]["get"]["responses"] = {"200": {"content": 5}}
    assert not validator.is_valid(broken)


def _validator(name):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    spec = _spec()
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    )


def test_real_responses_match_their_schemas(client):
    seed = SEED.read_text(encoding="utf-8")[:3000]
    result = client.post("/v1/clean", json={"text": seed}).get_json()
    assert list(_validator("CleanResult").iter_errors(result)) == []
    batch = client.post(
        "/v1/clean/batch", json={"documents": [{"id": 1, "text": STORY}, {"id": "x"}]}
    ).get_json()
    assert list(_validator("BatchResponse").iter_errors(batch)) == []
    problem = client.post("/v1/clean", data=b"{", content_type="application/json").get_json(force=True)
    assert list(_validator("Problem").iter_errors(problem)) == []
    rules = client.get("/v1/rules").get_json()
    assert list(_validator("Rules").iter_errors(rules)) == []
    assert not _validator("CleanResult").is_valid({**result, "confidence": "high"})


def test_a_utf8_byte_order_mark_is_dropped(client):
    resp = client.post("/v1/clean", data=b"\xef\xbb\xbf" + STORY.encode(), content_type="text/plain")
    want = json.loads(json.dumps(clean(STORY).to_dict()))
    assert resp.get_json() == {**want, "encoding": "utf-8-sig"}


CTYPES = [
    "text/plain",
    "text/plain; charset=utf-8",
    "text/plain; charset=latin-1",
    "text/plain; charset=utf-16",
    "text/plain; charset=shift_jis",
    "text/plain; charset=bogus",
    "text/html",
    "text/html; charset=utf-8",
    "application/json",
    "application/json; charset=utf-8",
    "image/png",
    "",
]


@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=30),
            lambda kids: (
                st.lists(kids, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["text", "html", "url", "language", "id", "documents", "x"]),
                    kids,
                    max_size=4,
                )
            ),
            max_leaves=8,
        ).map(lambda v: json.dumps(v).encode()),
    ),
    ctype=st.sampled_from(CTYPES),
    path=st.sampled_from(
        [
            "/v1/clean",
            "/v1/clean?format=text",
            "/v1/clean?format=markdown&explain=0",
            "/v1/clean/batch",
            "/v1/clean/batch?explain=no",
        ]
    ),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_input_gives_a_500_or_a_non_problem_error(client, body, ctype, path):
    headers = {"Content-Type": ctype} if ctype else {}
    resp = client.post(path, data=body, headers=headers)
    if resp.status_code == 200:
        return
    assert resp.status_code in (400, 413, 415, 422), resp.get_data(as_text=True)[:300]
    problem_of(resp, resp.status_code)


# --- JSON by orjson, with the standard library where orjson refuses ------------------------


def test_json_answer_is_the_results_dict(client):
    """The answer (orjson's bytes) reads back as exactly what `to_dict()` gives, non-ASCII
    text as UTF-8 (not \\u-escaped)."""
    text = STORY + "\n\nÜberall sagt man «ça va» — 東京 too."
    resp = client.post("/v1/clean", data=text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    assert resp.status_code == 200
    raw = resp.get_data()
    assert "東京".encode() in raw
    rs = client.application.extensions["cleaner"]["ruleset"]
    expected = clean(text.encode("utf-8"), ruleset=rs, charset="utf-8").to_dict()
    got = json.loads(raw)
    assert got == json.loads(json.dumps(expected))
    assert list(got) == list(expected)  # the members in the same order


def test_json_body_falls_back_to_the_standard_library():
    from cleaner.api.routes import json_body

    assert json.loads(json_body({"a": "é", "n": [1, 2.5, None]})) == {"a": "é", "n": [1, 2.5, None]}
    assert json_body({"s": "x\ud800y"}) == b'{"s":"x\\ud800y"}'  # orjson refuses surrogates
    assert json_body({"n": 2**70}) == b'{"n":1180591620717411303424}'  # past 64 bits


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-8-sig"])
def test_json_request_in_other_unicode_encodings_still_reads(client, codec):
    """orjson reads UTF-8 only; the standard library reads what it refused, as before."""
    body = json.dumps({"text": STORY}).encode(codec)
    resp = client.post("/v1/clean?explain=false", data=body, content_type="application/json")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.get_json()["body"]
