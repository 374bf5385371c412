"""The Python API as a user meets it: typed results mypy checks, docstrings, languages checked,
versions and warnings in every result; the same checks on the HTTP API."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, SEEDS

import cleaner
from cleaner import InputError, clean, default_ruleset
from cleaner.api import create_app
from cleaner.languages import ISO_639_1

SEED = SEEDS / "000_11e950c0d58bd2da.txt"
MYPY = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]


def test_clean_docstring_has_args_returns_raises():
    doc = clean.__doc__ or ""
    for section in ("Args:", "Returns:", "Raises:"):
        assert section in doc
    for arg in ("text:", "html:", "url:", "language:", "ruleset:", "settings:", "charset:"):
        assert arg in doc.split("Returns:")[0], arg
    for error in ("InputError", "InputTooLarge", "UndecodableInput", "DeadlineExceeded"):
        assert error in doc.split("Raises:")[1]


def test_package_is_typed():
    assert (ROOT / "cleaner" / "py.typed").is_file()


def test_mypy_passes_the_example_and_catches_a_misuse(tmp_path):
    ok = subprocess.run([*MYPY, "examples/typed_usage.py", "cleaner/model.py"], cwd=ROOT,
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from cleaner import clean\n"
        "res = clean('x')\n"
        "a: int = res.body[0]['text']\n"  # a str
        "b = res.captions[0]['txt']\n"  # no such key
        "c: str = res.related[0]['summary']\n"  # may be None
    )
    out = subprocess.run([*MYPY, str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=300).stdout
    assert 'Incompatible types in assignment (expression has type "str", variable has type "int")' in out
    assert '"Caption" has no key "txt"' in out
    assert 'expression has type "str | None", variable has type "str"' in out


@pytest.mark.parametrize("lang", ["en", "EN", "en-GB", "pt_BR", "de"])
def test_iso_639_1_languages_are_accepted(lang):
    assert clean(SEED.read_text(encoding="utf-8"), language=lang).language == lang[:2].lower()


@pytest.mark.parametrize("lang", ["zz", "english", "e", "", "en-", "123", "xx-YY"])
def test_other_languages_are_an_input_error_listing_the_allowed(lang):
    with pytest.raises(InputError) as info:
        clean("Title\n\nSome text.", language=lang)
    assert "ISO 639-1" in str(info.value) and "allowed: aa, ab," in str(info.value)
    assert info.value.status == 400
    assert len(ISO_639_1) == 184


def test_every_result_carries_versions_and_warnings():
    res = clean(SEED.read_text(encoding="utf-8"))
    assert res.cleaner_version == cleaner.__version__
    assert res.rules_version == default_ruleset().digest and res.rules_version.startswith("sha256:")
    assert res.warnings == []
    d = res.to_dict(explain=False)
    for key in ("input", "page", "encoding", "warnings", "cleaner_version", "rules_version", "url"):
        assert key in d


def test_rules_version_changes_with_the_rules(tmp_path):
    from cleaner import load_ruleset

    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "version: 1\ndescription: one more rule\nrules:\n"
        "  - name: promo\n    role: advert\n    pattern: '^Buy now$'\n    reason: An advert.\n"
        "    max_words: 3\n    examples: ['Buy now']\n",
        encoding="utf-8",
    )
    assert load_ruleset([]).digest == load_ruleset([]).digest
    assert load_ruleset([tmp_path]).digest != load_ruleset([]).digest


def test_an_empty_body_says_why():
    res = clean("Title\n\nShort line")
    if res.body:  # the engine may keep such a sentence; then there is nothing to explain
        assert res.warnings == []
    else:
        assert res.warnings and res.warnings[0].startswith("the body is empty: none of the 2 blocks")
    assert clean("   \n\n").warnings == ["the body is empty: the input holds no text"]


# --- the HTTP API ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app({"TESTING": True, "RULES_DIRS": [], "METRICS_DIR": str(tmp_path_factory.mktemp("m"))})
    return app.test_client()


def test_api_bad_language_is_400_listing_the_allowed(client):
    for resp in (
        client.post("/v1/clean?language=zz", data=b"Title\n\nText.", content_type="text/plain"),
        client.post("/v1/clean", json={"text": "Title\n\nText.", "language": "english"}),
    ):
        assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
        assert "allowed: aa, ab," in resp.get_json()["detail"]
    rows = client.post("/v1/clean/batch", json={"documents": [{"id": 1, "text": "x", "language": "zz"}]})
    row = rows.get_json()["results"][0]
    assert row["ok"] is False and row["error"]["status"] == 400 and "ISO 639-1" in row["error"]["detail"]


def test_api_unknown_query_parameter_is_400_listing_the_allowed(client):
    resp = client.post("/v1/clean?fromat=markdown", data=b"Title\n\nText.", content_type="text/plain")
    assert resp.status_code == 400
    assert resp.get_json()["detail"] == (
        "unknown query parameter(s) 'fromat'; allowed: format, explain, url, language, precise"
    )
    resp = client.post("/v1/clean/batch?format=text", json={"documents": []})
    assert resp.status_code == 400 and "allowed: explain" in resp.get_json()["detail"]


def test_api_rows_and_results_carry_versions(client):
    one = client.post("/v1/clean", json={"text": SEED.read_text(encoding="utf-8")}).get_json()
    assert one["cleaner_version"] == cleaner.__version__ and one["rules_version"].startswith("sha256:")
    rows = client.post("/v1/clean/batch", json={"documents": [{"id": 1, "text": "A\n\nB."}, {"id": 2}]})
    for row in rows.get_json()["results"]:
        assert row["cleaner_version"] == cleaner.__version__ and row["rules_version"] == one["rules_version"]


def test_api_rules_name_the_rules_version(client):
    one = client.post("/v1/clean", json={"text": "A\n\nB."}).get_json()
    assert client.get("/v1/rules").get_json()["rules_version"] == one["rules_version"]
