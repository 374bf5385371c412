"""The fast HTML mode (`precise=False`): the story container from the markup, without trafilatura.

Real pages (the fixtures the precise mode is tested on), one small page per rule of
`cleaner.html.main`, that trafilatura never runs, the audit trail's invariants, the parameter
through clean(), the API and the CLI, and a linear cost on a wide page."""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

import pytest

import cleaner.html.input as hi
from cleaner import InputError, clean, default_ruleset
from cleaner.api import create_app
from cleaner.cli import main as cli_main
from cleaner.html.input import parse_and_segment
from cleaner.html.main import main_flags_from_markup

HTML_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
REAL = sorted(p.name.removesuffix(".expect.json") for p in HTML_FIXTURES.glob("*.expect.json"))

PARA = ("The council met on Tuesday evening, and the members of the public who came to the meeting "
        "were able to ask their questions about the plan, which was debated for weeks.")


def page(body: str, title: str = "Council approves the new budget") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"


def flags(html: str) -> dict[str, bool]:
    seg, _ = parse_and_segment(html)
    out = main_flags_from_markup(seg.blocks, default_ruleset().params)
    assert out is not None
    return {rb.text[:12]: f for rb, f in zip(seg.blocks, out, strict=True)}


@pytest.fixture
def no_trafilatura(monkeypatch):
    """Fails the test if trafilatura's view is asked for."""
    def refuse(*args, **kwargs):
        raise AssertionError("the fast mode ran trafilatura")

    monkeypatch.setattr(hi, "trafilatura_view", refuse)


@pytest.mark.parametrize("name", REAL)
def test_real_page_fast(name: str, no_trafilatura) -> None:
    exp = json.loads((HTML_FIXTURES / f"{name}.expect.json").read_text(encoding="utf-8"))
    html = (HTML_FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    res = clean(html=html, url=exp["url"], precise=False)
    text = " ".join(res.text.split())
    for snippet in exp["must_keep"]:
        assert " ".join(snippet.split()) in text, f"lost from the body: {snippet!r}"
    for snippet in exp["must_drop"]:
        assert " ".join(snippet.split()) not in text, f"left in the body: {snippet!r}"
    # The audit trail: every block once, with a role, a rule and a reason.
    assert res.blocks and all(b["role"] and b["rule"] and b["reason"] and b["locator"] for b in res.blocks)
    assert any(b["role"] == "body" for b in res.blocks)


@pytest.mark.parametrize("name", REAL)
def test_fast_mode_is_deterministic_and_reclean_stable(name: str) -> None:
    html = (HTML_FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    a = clean(html=html, precise=False).to_dict()
    b = clean(html=html, precise=False).to_dict()
    assert a == b
    article = clean(html=html, precise=False)
    again = clean(article.text)
    assert again.text == clean(again.text).text  # the clean text is a fixed point of text cleaning


def test_story_container_wins_over_sidebar_and_comments() -> None:
    body = (
        '<div class="layout has-sidebar"><main><article class="post">'
        + "".join(f"<p>Story {i}. {PARA}</p>" for i in range(6))
        + '<aside><p>Aside box. ' + PARA + "</p></aside>"
        + "</article>"
        + '<div class="sidebar"><p>Sidebar one. ' + PARA + "</p></div>"
        + '<div id="comments"><p>Comment one. ' + PARA + "</p></div>"
        + "</main></div>"
        + "<footer><p>Footer text. " + PARA + "</p></footer>"
    )
    f = flags(page(body))
    assert all(f[f"Story {i}. The"[:12]] for i in range(6))
    assert not f["Aside box. T"]  # furniture inside the container stays out
    assert not f["Sidebar one."] and not f["Comment one."] and not f["Footer text."]


def test_layout_class_on_the_story_wrapper_is_no_cue() -> None:
    """`overflow-hidden` / `has-sidebar` on the element that holds the story: still the story."""
    body = '<div class="overflow-hidden">' + "".join(f"<p>Story {i}. {PARA}</p>" for i in range(5)) + "</div>"
    f = flags(page(body + "<nav><p>Menu line. " + PARA + "</p></nav>"))
    assert all(f[f"Story {i}. The"[:12]] for i in range(5))
    assert not f["Menu line. T"]


def test_story_split_in_sibling_boxes_is_kept_whole() -> None:
    """A list article: intro and items in sibling boxes; the walk stops where the prose splits."""
    items = "".join(f'<div class="item"><h2>Item {i}</h2><p>Item {i} text. {PARA}</p></div>'
                    for i in range(5))
    body = f'<div class="wrap"><div class="intro"><p>Intro text. {PARA}</p></div>{items}</div>'
    f = flags(page(body))
    assert f["Intro text. "] and all(f[f"Item {i} text."] for i in range(5))


def test_main_landmark_holds_a_story_told_in_sibling_sections() -> None:
    """The page's `<main>`: the descent starts there and keeps its sibling sections together
    (without it the walk would step into the first, largest, section), and a `<footer>` whose
    disclaimer holds much of a thin page's prose is not the story."""
    first = "".join(f"<p>Part one {i}. {PARA}</p>" for i in range(4))
    body = (
        f'<main><section><div>{first}</div></section>'
        f'<section><div><p>Part two. {PARA}</p></div></section></main>'
        f'<footer><div><p>Disclaimer one. {PARA} {PARA}</p><p>Disclaimer two. {PARA} {PARA}</p>'
        f'<p>Disclaimer three. {PARA}</p></div></footer>'
    )
    f = flags(page(body))
    assert all(f[f"Part one {i}. "[:12]] for i in range(4)) and f["Part two. Th"]
    assert not f["Disclaimer o"] and not f["Disclaimer t"]
    # role="main" is the same landmark
    f = flags(page(body.replace("<main>", '<div role="main">').replace("</main>", "</div>")))
    assert f["Part two. Th"] and not f["Disclaimer o"]
    # without the landmark, the footer's prose splits the page: no box narrower than the body
    f = flags(page(body.replace("<main>", "<div>").replace("</main>", "</div>")))
    assert f["Part two. Th"] and f["Disclaimer o"]


def test_one_article_is_the_landmark_where_there_is_no_main() -> None:
    first = "".join(f"<p>Part one {i}. {PARA}</p>" for i in range(4))
    story = f"<section>{first}</section><section><p>Part two. {PARA}</p></section>"
    f = flags(page(f"<div><article>{story}</article></div><div><p>Other box. {PARA}</p></div>"))
    assert f["Part one 0. "] and f["Part two. Th"] and not f["Other box. T"]
    # two articles (a list of teasers): neither is the landmark
    f = flags(page(f"<div><article>{story}</article><article><p>Teaser. {PARA}</p></article></div>"))
    assert not f["Part two. Th"]


def test_page_without_prose_has_no_view() -> None:
    seg, _ = parse_and_segment(page("<ul><li>Home</li><li>News</li></ul>"))
    assert main_flags_from_markup(seg.blocks, default_ruleset().params) is None


def test_wide_page_costs_linear_time() -> None:
    """Thousands of prose blocks side by side in one element: time grows linearly."""
    def seconds(n: int) -> float:
        """Best of three, with the cyclic collector held as `engine._clean_html` holds it: a
        collection of the parsed tree's objects inside one timed run (CI measured 23x for 8x
        blocks once) says nothing of this function's cost."""
        html = page("<div>" + "".join(f"<p>Row {i}. {PARA}</p>" for i in range(n)) + "</div>")
        seg, _ = parse_and_segment(html)
        p = default_ruleset().params
        best = float("inf")
        gc.collect()
        gc.disable()
        try:
            for _ in range(3):
                t0 = time.process_time()
                main_flags_from_markup(seg.blocks, p)
                best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
        return best

    small, big = seconds(2000), seconds(16000)
    assert big < 8 * small * 2.5 + 0.02, (small, big)  # quadratic would be 64x


def test_precise_parameter_checked() -> None:
    with pytest.raises(InputError, match="precise"):
        clean(html=page("<p>x</p>"), precise="yes")  # type: ignore[arg-type]
    text = "A headline\n\n" + PARA
    assert clean(text, precise=False).to_dict() == clean(text, precise=True).to_dict()  # text: ignored


def test_api_precise_query(no_trafilatura) -> None:
    client = create_app({"TESTING": True}).test_client()
    html = page("<article>" + "".join(f"<p>Story {i}. {PARA}</p>" for i in range(4)) + "</article>")
    resp = client.post("/v1/clean?precise=false", data=html.encode(), content_type="text/html")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["body"] and resp.get_json()["input"] == "html"
    batch = {"documents": [{"id": 1, "html": html}]}
    resp = client.post("/v1/clean/batch?precise=false", json=batch)
    assert resp.status_code == 200 and resp.get_json()["results"][0]["ok"]
    bad = client.post("/v1/clean?precise=maybe", data=html.encode(), content_type="text/html")
    assert bad.status_code == 400


def test_cli_no_precise(tmp_path, capsys, no_trafilatura) -> None:
    src = tmp_path / "page.html"
    src.write_text(page("<article>" + "".join(f"<p>Story {i}. {PARA}</p>" for i in range(4)) + "</article>"),
                   encoding="utf-8")
    assert cli_main(["clean", str(src), "--no-precise", "--format", "text"]) == 0
    assert "Story 0." in capsys.readouterr().out


def test_fast_mode_is_the_default_everywhere(tmp_path, capsys, no_trafilatura) -> None:
    """clean(), the API, the CLI and clean_record clean HTML without trafilatura unless asked."""
    from cleaner.api.routes import openapi_text
    from cleaner.records import clean_record

    html = page("<article>" + "".join(f"<p>Story {i}. {PARA}</p>" for i in range(4)) + "</article>")
    assert clean(html=html).to_dict() == clean(html=html, precise=False).to_dict()
    assert clean_record({"id": 1, "html": html})["ok"]
    client = create_app({"TESTING": True}).test_client()
    resp = client.post("/v1/clean", data=html.encode(), content_type="text/html")
    assert resp.status_code == 200 and resp.get_json()["body"]
    src = tmp_path / "page.html"
    src.write_text(html, encoding="utf-8")
    assert cli_main(["clean", str(src), "--format", "text"]) == 0
    assert "Story 0." in capsys.readouterr().out
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("name") == "precise":
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(openapi_text()))
    assert len(found) == 2 and all(p["schema"]["default"] is False for p in found)
