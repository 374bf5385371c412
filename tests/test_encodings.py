"""Any encoding in: the fixtures of tests/fixtures/encodings/ through `clean()`, the CLI, batch
(folder files) and `text/plain` on the API, each reporting the encoding used; gzip bodies."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import FIXTURES, load_script

from cleaner import UndecodableInput, clean
from cleaner.api import create_app
from cleaner.cli import main
from cleaner.decoding import decode_bytes

ENC = FIXTURES / "encodings"
EXPECTED = json.loads((ENC / "expected.json").read_text(encoding="utf-8"))
# Every fixture the detector gets right (measured: scripts/measure_decoding.py); a two-line
# Shift-JIS text is too short for charset-normalizer (it reads it as cp949), so it needs a charset.
DETECTED = [name for name in EXPECTED if name != "shift_jis-short.txt"]
# Encodings of the same text: windows-1252 for Latin-1 is right (a superset for text).
SAME = {"latin-1": {"cp1252"}, "utf-8-sig": {"utf-8-sig"}, "utf-16-le": {"utf-16"},
        "utf-16-be": {"utf-16"}, "utf-32-le": {"utf-32"}, "shift_jis": {"shift_jis", "cp932"}}


def _ok_encoding(written_as: str, used: str) -> bool:
    return used == written_as or used in SAME.get(written_as, set())


def test_fixtures_are_what_the_script_writes(tmp_path, monkeypatch):
    mod = load_script("make_encoding_fixtures")
    monkeypatch.setattr(mod, "OUT", tmp_path)
    mod.main()
    for path in ENC.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("name", DETECTED)
def test_decode_bytes_gives_the_exact_text(name):
    exp = EXPECTED[name]
    text, used = decode_bytes((ENC / name).read_bytes())
    assert text.lstrip("\ufeff") == exp["text"]
    assert _ok_encoding(exp["written_as"], used), used


def test_short_shift_jis_with_its_charset_and_a_bom_beats_a_charset():
    exp = EXPECTED["shift_jis-short.txt"]
    assert decode_bytes((ENC / "shift_jis-short.txt").read_bytes(), "shift_jis") == (exp["text"], "shift_jis")
    data = (ENC / "utf16le-bom.txt").read_bytes()
    assert decode_bytes(data, "latin-1")[1] == "utf-16"


def test_a_wrong_declared_charset_is_an_error_not_a_guess():
    with pytest.raises(UndecodableInput, match="not valid ascii"):
        decode_bytes("café".encode(), "ascii")


def test_measure_script_reports_both_detectors(capsys):
    load_script("measure_decoding").main()
    out = capsys.readouterr().out
    assert "UnicodeDammit" in out and "charset-normalizer" in out
    last = next(line for line in out.splitlines() if line.startswith("exact texts")).split()
    assert last[-1] == f"{len(DETECTED)}/{len(EXPECTED)}"  # cleaner's decode_bytes


@pytest.mark.parametrize("name", ["latin1.txt", "cp1252.txt", "utf16le-bom.txt", "utf32le-bom.txt",
                                  "shift_jis.txt", "utf8.txt"])
def test_clean_bytes_reports_the_encoding_and_equals_the_str(name):
    exp = EXPECTED[name]
    res = clean((ENC / name).read_bytes())
    assert _ok_encoding(exp["written_as"], res.encoding)
    same = clean(exp["text"])
    assert same.encoding is None
    assert (res.title, res.text) == (same.title, same.text)


@pytest.mark.parametrize("name", ["latin1.txt", "cp1252.txt", "utf16be-bom.txt", "shift_jis.txt"])
def test_cli_clean_reads_any_encoding(capsys, name):
    assert main(["clean", str(ENC / name)]) == 0
    out, err = capsys.readouterr()
    row = json.loads(out)
    assert _ok_encoding(EXPECTED[name]["written_as"], row["encoding"])
    assert f"decoded as {row['encoding']}" in err
    assert row["text"] == clean(EXPECTED[name]["text"]).text


def test_cli_clean_gz_input_and_charset_option(capsys, tmp_path):
    gz = tmp_path / "story.txt.gz"
    gz.write_bytes(gzip.compress((ENC / "shift_jis-short.txt").read_bytes()))
    assert main(["clean", str(gz), "--charset", "shift_jis", "--format", "text"]) == 0
    out, _ = capsys.readouterr()
    assert out == clean(EXPECTED["shift_jis-short.txt"]["text"]).text + ("\n" if out.strip() else "")


def test_batch_folder_of_files_in_many_encodings(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in DETECTED:
        (folder / name).write_bytes((ENC / name).read_bytes())
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert sorted(rows) == sorted(DETECTED)
    for name, row in rows.items():
        assert _ok_encoding(EXPECTED[name]["written_as"], row["encoding"]), (name, row["encoding"])
        assert row["text"] == clean(EXPECTED[name]["text"]).text, name


def test_batch_jsonl_is_utf8_and_says_so(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(json.dumps({"id": 1, "text": "Café"}).encode("utf-8") + b"\n"
                    + b'{"id": 2, "text": "caf\xe9"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(src), "-o", str(out), "--workers", "1"]) == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["ok"] and rows[0]["encoding"] is None  # a JSON string, not bytes
    assert not rows[1]["ok"] and "not valid UTF-8" in rows[1]["error"]["detail"]


# --- the API ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app({"TESTING": True, "MAX_BYTES": 4096, "RULES_DIRS": [],
                      "METRICS_DIR": str(tmp_path_factory.mktemp("metrics"))})
    return app.test_client()


@pytest.mark.parametrize("name", ["latin1.txt", "cp1252.txt", "utf16le-bom.txt", "utf32le-bom.txt",
                                  "shift_jis.txt"])
def test_text_plain_without_charset_is_detected(client, name):
    resp = client.post("/v1/clean", data=(ENC / name).read_bytes(), content_type="text/plain")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert _ok_encoding(EXPECTED[name]["written_as"], body["encoding"])
    assert body["text"] == clean(EXPECTED[name]["text"]).text


def test_text_plain_charset_is_used(client):
    data = (ENC / "shift_jis-short.txt").read_bytes()
    resp = client.post("/v1/clean", data=data, content_type="text/plain; charset=shift_jis")
    assert resp.status_code == 200 and resp.get_json()["encoding"] == "shift_jis"


def test_gzip_body_is_accepted(client):
    data = (ENC / "latin1.txt").read_bytes()
    resp = client.post("/v1/clean", data=gzip.compress(data), content_type="text/plain",
                       headers={"Content-Encoding": "gzip"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["text"] == clean(data).text
    doc = json.dumps({"documents": [{"id": 1, "text": EXPECTED["utf8.txt"]["text"]}]}).encode()
    resp = client.post("/v1/clean/batch", data=gzip.compress(doc), content_type="application/json",
                       headers={"Content-Encoding": "gzip"})
    assert resp.status_code == 200 and resp.get_json()["results"][0]["ok"]


def test_gunzip_is_bounded():
    from cleaner.api.routes import gunzip
    from cleaner.errors import InputTooLarge

    bomb = gzip.compress(b"a" * 50_000_000)  # 50 MB of output from ~50 KB
    with pytest.raises(InputTooLarge, match="inflates to over the 4096-byte cap"):
        gunzip(bomb, 4096)
    ok = gzip.compress(b"x" * 4096)
    assert gunzip(ok + gzip.compress(b"y"), 4097) == b"x" * 4096 + b"y"  # two members
    with pytest.raises(InputTooLarge):
        gunzip(ok + gzip.compress(b"y"), 4096)


def test_gzip_bomb_under_the_raw_cap_is_a_413_problem(tmp_path):
    bomb = gzip.compress(b"\n" * 10_000_000, compresslevel=9)  # ~10 KB in, 10 MB out
    assert len(bomb) < 20_000
    app = create_app({"TESTING": True, "MAX_BYTES": 20_000, "RULES_DIRS": [], "METRICS_DIR": str(tmp_path)})
    resp = app.test_client().post("/v1/clean", data=bomb, content_type="text/plain",
                                  headers={"Content-Encoding": "gzip"})
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"
    assert "inflates to over the 20000-byte cap" in resp.get_json()["detail"]


def test_bad_gzip_and_unknown_coding(client):
    resp = client.post("/v1/clean", data=b"not gzip", content_type="text/plain",
                       headers={"Content-Encoding": "gzip"})
    assert resp.status_code == 400 and "not valid gzip" in resp.get_json()["detail"]
    resp = client.post("/v1/clean", data=b"x", content_type="text/plain", headers={"Content-Encoding": "br"})
    assert resp.status_code == 415 and "'br' is not supported" in resp.get_json()["detail"]
