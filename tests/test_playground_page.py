"""The playground's files, read as text: nothing inline that a CSP would have to allow, and no
script path that turns a string into markup. The browser tests (test_playground.py) run it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner.api import create_app
from cleaner.api.playground import CSP

STATIC = Path(__file__).resolve().parents[1] / "cleaner" / "api" / "static"
HTML = (STATIC / "index.html").read_text(encoding="utf-8")
JS = (STATIC / "playground.js").read_text(encoding="utf-8")


def test_the_page_has_no_inline_script_style_or_handler():
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", HTML, flags=re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in HTML
    assert not re.search(r"\sstyle=", HTML)
    assert not re.search(r"\son[a-z]+=", HTML, flags=re.I)
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", HTML), "no external assets"


SINKS = ["innerHTML", "outerHTML =", "insertAdjacentHTML", "document.write", "eval(", "new Function",
         "DOMParser", "createContextualFragment", ".style."]


@pytest.mark.parametrize("sink", SINKS)
def test_the_script_never_parses_a_string_as_markup(sink):
    assert sink not in JS


def test_the_policy_allows_nothing_inline_and_nothing_foreign():
    parts = dict(p.strip().split(" ", 1) for p in CSP.split(";"))
    assert parts["default-src"] == "'self'"
    assert parts["script-src"] == "'self'" and parts["style-src"] == "'self'"
    assert parts["object-src"] == "'none'" and parts["base-uri"] == "'none'"
    assert parts["frame-ancestors"] == "'none'"
    assert "unsafe" not in CSP and "*" not in CSP and "data:" not in CSP


def test_every_response_carries_the_policy(tmp_path):
    client = create_app({"TESTING": True, "METRICS_DIR": str(tmp_path)}).test_client()
    for path in ("/", "/static/playground.js", "/healthz", "/nowhere"):
        resp = client.get(path)
        assert resp.headers["Content-Security-Policy"] == CSP, path
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/").mimetype == "text/html"
