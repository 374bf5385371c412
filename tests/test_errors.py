"""Typed errors of `clean()`: wrong input, too large, over time; empty input is not an error."""

from __future__ import annotations

import pytest

from cleaner import (
    CleanerError,
    DeadlineExceeded,
    InputError,
    InputTooLarge,
    RuleError,
    Settings,
    UndecodableInput,
    clean,
)

STORY = "A headline\n\n" + "\n\n".join(
    f"Paragraph {i} of the story says what happened and why it matters to the readers here." for i in range(5)
)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((), {}),
        ((None,), {"html": None}),
        (("text",), {"html": "<p>html</p>"}),
        (("text",), {"html": b"<p>html</p>"}),
    ],
    ids=["neither", "both-none", "both-str", "both-bytes"],
)
def test_exactly_one_of_text_or_html(args, kwargs):
    with pytest.raises(InputError, match="exactly one"):
        clean(*args, **kwargs)


@pytest.mark.parametrize("bad", [12, 1.5, ["a list"], {"a": "dict"}, object()])
def test_text_must_be_str(bad):
    with pytest.raises(InputError, match="must be str or bytes") as info:
        clean(bad)
    assert type(info.value) is InputError
    assert info.value.status == 400


@pytest.mark.parametrize("bad", [12, ["<p>x</p>"], object()])
def test_html_must_be_str_or_bytes(bad):
    with pytest.raises(InputError):
        clean(html=bad)


@pytest.mark.parametrize("key", ["url", "language"])
def test_url_and_language_must_be_str(key):
    with pytest.raises(InputError, match=key):
        clean(STORY, **{key: 42})


def test_lone_surrogates_are_undecodable():
    with pytest.raises(UndecodableInput) as info:
        clean("Title\n\nText with a lone \udc80 surrogate.")
    assert info.value.status == 422
    assert isinstance(info.value, InputError)


def test_size_cap_counts_utf8_bytes():
    text = "é" * 50  # 100 bytes in UTF-8, 50 characters
    clean(text, settings=Settings(max_bytes=100))
    with pytest.raises(InputTooLarge, match="101 bytes") as info:
        clean(text + "x", settings=Settings(max_bytes=100))
    assert info.value.status == 413
    assert isinstance(info.value, InputError)


def test_size_cap_applies_to_html():
    with pytest.raises(InputTooLarge):
        clean(html=b"<p>" + b"x" * 200 + b"</p>", settings=Settings(max_bytes=100))
    with pytest.raises(InputTooLarge):
        clean(html="<p>" + "x" * 200 + "</p>", settings=Settings(max_bytes=100))


def test_size_cap_from_env(monkeypatch):
    monkeypatch.setenv("CLEANER_MAX_BYTES", "64")
    with pytest.raises(InputTooLarge):
        clean("x" * 65)


def test_default_cap_is_10_mib():
    assert Settings().max_bytes == 10 * 1024 * 1024


def test_tiny_timeout_raises_deadline_exceeded():
    big = STORY * 200
    with pytest.raises(DeadlineExceeded, match="budget") as info:
        clean(big, settings=Settings(timeout_s=1e-9))
    assert info.value.status == 422
    assert not isinstance(info.value, InputError)


def test_timeout_from_env(monkeypatch):
    monkeypatch.setenv("CLEANER_TIMEOUT_S", "1e-9")
    with pytest.raises(DeadlineExceeded):
        clean(STORY * 50)


@pytest.mark.parametrize("text", ["", " ", "\n", "\r\n\r\n", " \t \n\n\u3000\n\xa0", "\r"])
def test_empty_and_blank_input_is_an_empty_result(text):
    res = clean(text)
    d = res.to_dict()
    assert d["body"] == [] and d["text"] == ""
    assert d["confidence"] == 0
    assert d["blocks"] == [] and d["removed"] == []
    assert d["title"] is None


def test_all_boilerplate_is_not_an_error():
    res = clean("Home\nNews\nSport\n\nShare on Facebook\n\nSubscribe to our newsletter")
    assert res.body == [] and res.confidence == 0
    assert [r["text"] for r in res.removed] == ["Home", "News", "Sport", "Share on Facebook",
                                                "Subscribe to our newsletter"]


@pytest.mark.parametrize(
    ("cls", "status", "slug"),
    [
        (InputError, 400, "invalid-input"),
        (InputTooLarge, 413, "too-large"),
        (UndecodableInput, 422, "undecodable"),
        (DeadlineExceeded, 422, "deadline-exceeded"),
    ],
)
def test_error_classes_carry_status_and_problem(cls, status, slug):
    exc = cls("what went wrong")
    assert isinstance(exc, CleanerError)
    assert exc.status == status
    problem = exc.to_problem()
    assert problem == {
        "type": "https://cleaner.dev/problems/" + slug,
        "title": cls.title,
        "status": status,
        "detail": "what went wrong",
    }


def test_rule_error_lists_problems():
    exc = RuleError(["a.yaml: version: required", "b.yaml: rules[0].role: bad"])
    assert exc.problems == ["a.yaml: version: required", "b.yaml: rules[0].role: bad"]
    assert "a.yaml: version: required" in str(exc) and "b.yaml" in str(exc)
    assert isinstance(exc, CleanerError)


def test_settings_from_mapping():
    s = Settings.from_mapping({"max_bytes": "2048", "timeout_s": "0.5", "other": 1, "max_bytes_x": None})
    assert s == Settings(max_bytes=2048, timeout_s=0.5)
    assert Settings.from_env({}) == Settings()
