"""CORS against the real gunicorn: origins from CLEANER_CORS_ORIGINS, preflights, Vary: Origin.

The default (no origins: no CORS header at all) is checked on test_service.py's server,
which starts without the variable.
"""

from __future__ import annotations

import json

import pytest
from _service import SEED, assert_problem, start_server

from cleaner.api.cors import ALLOW_HEADERS, MAX_AGE_S, parse_origins

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

ALLOWED = "https://newsroom.example"
OTHER = "https://elsewhere.example"
JSON = {"Content-Type": "application/json"}


def preflight(origin: str, method: str = "POST", headers: str = "content-type") -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cors")
    srv = start_server(tmp, workers=1, env={
        "CLEANER_CORS_ORIGINS": f"{ALLOWED}, http://localhost:3000",
        "CLEANER_METRICS_DIR": str(tmp / "metrics"),
        "CLEANER_MAX_BYTES": "20000",
    })
    yield srv
    assert srv.stop() == 0, srv.log()
    assert "Traceback" not in srv.log(), srv.log()


def _vary(resp) -> set[str]:
    return {v.strip().lower() for v in resp.headers.get("vary", "").split(",") if v.strip()}


@pytest.mark.parametrize(("path", "method", "allowed"), [
    ("/v1/clean", "POST", "POST"),
    ("/v1/clean/batch", "POST", "POST"),
    ("/v1/rules", "GET", "GET, HEAD"),
])
def test_preflight_from_an_allowed_origin_is_a_204(server, path, method, allowed):
    resp = server.request("OPTIONS", path, headers=preflight(ALLOWED, method))
    assert resp.status == 204, resp.body
    assert resp.body == b""
    assert resp.headers["access-control-allow-origin"] == ALLOWED
    assert resp.headers["access-control-allow-methods"] == allowed
    assert resp.headers["access-control-allow-headers"] == ALLOW_HEADERS
    assert "content-type" in ALLOW_HEADERS.lower()
    assert resp.headers["access-control-max-age"] == str(MAX_AGE_S)
    assert "origin" in _vary(resp)
    assert "access-control-allow-credentials" not in resp.headers


def test_the_second_allowed_origin_too(server):
    resp = server.request("OPTIONS", "/v1/clean", headers=preflight("http://localhost:3000"))
    assert resp.status == 204
    assert resp.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_a_cross_origin_clean_carries_the_header_and_exposes_the_request_id(server):
    resp = server.request("POST", "/v1/clean", SEED.read_bytes(),
                          {"Content-Type": "text/plain", "Origin": ALLOWED})
    assert resp.status == 200
    assert resp.json()["title"] == "Canadian soldiers clash with ISIL in Iraq"
    assert resp.headers["access-control-allow-origin"] == ALLOWED
    assert resp.headers["access-control-expose-headers"] == "X-Request-ID"
    assert "origin" in _vary(resp)


def test_a_problem_to_an_allowed_origin_is_readable_by_its_page(server):
    big = json.dumps({"text": "word " * 5000})
    resp = server.request("POST", "/v1/clean", big, {**JSON, "Origin": ALLOWED})
    body = assert_problem(resp, 413, "too-large")
    assert "20000" in body["detail"]
    assert resp.headers["access-control-allow-origin"] == ALLOWED


def test_another_origin_gets_no_header_and_its_preflight_is_refused(server):
    resp = server.request("OPTIONS", "/v1/clean", headers=preflight(OTHER))
    body = assert_problem(resp, 403, "origin-not-allowed")
    assert OTHER in body["detail"]
    assert "access-control-allow-origin" not in resp.headers
    assert "origin" in _vary(resp)
    resp = server.request("POST", "/v1/clean", SEED.read_bytes(),
                          {"Content-Type": "text/plain", "Origin": OTHER})
    assert resp.status == 200  # not a browser's business here: the browser withholds it
    assert "access-control-allow-origin" not in resp.headers
    assert "origin" in _vary(resp)


def test_a_preflight_for_a_method_the_route_lacks_is_its_405(server):
    resp = server.request("OPTIONS", "/v1/clean", headers=preflight(ALLOWED, "DELETE"))
    assert_problem(resp, 405, "method-not-allowed")
    assert resp.headers["allow"] == "POST"
    assert_problem(server.request("OPTIONS", "/v1/nowhere", headers=preflight(ALLOWED)), 404, "not-found")


def test_options_without_a_preflight_is_still_a_405(server):
    resp = server.request("OPTIONS", "/v1/clean", headers={"Origin": ALLOWED})
    assert_problem(resp, 405, "method-not-allowed")
    assert resp.headers["access-control-allow-origin"] == ALLOWED


def test_a_malformed_origin_list_stops_the_start(tmp_path):
    with pytest.raises(AssertionError) as err:
        start_server(tmp_path, workers=1, env={"CLEANER_CORS_ORIGINS": "https://ok.example/path",
                                               "CLEANER_METRICS_DIR": str(tmp_path / "m")})
    assert "CLEANER_CORS_ORIGINS" in str(err.value) and "https://ok.example/path" in str(err.value)


@pytest.mark.parametrize(("value", "expected"), [
    (None, ()),
    ("", ()),
    ("  ", ()),
    ("https://A.example", ("https://a.example",)),
    ("https://a.example,http://localhost:3000 https://a.example", ("https://a.example", "http://localhost:3000")),
    ("*", ("*",)),
])
def test_parse_origins(value, expected):
    assert parse_origins(value) == expected


@pytest.mark.parametrize("value", ["a.example", "ftp://a.example", "https://a.example/", "https://a.example/x",
                                   "https://a.example:99999x", "null"])
def test_parse_origins_refuses_what_is_not_an_origin(value):
    with pytest.raises(ValueError, match="CLEANER_CORS_ORIGINS"):
        parse_origins(value)
