"""HTML input: real pages, one small page per markup cue, charsets, and hostile markup."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import (
    CleanerError,
    DeadlineExceeded,
    InputError,
    InputTooLarge,
    Settings,
    UndecodableInput,
    clean,
)
from cleaner.html.input import decode_html
from cleaner.html.segment import Segmenter, events_from_tokens

HTML_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
REAL = sorted(p.name.removesuffix(".expect.json") for p in HTML_FIXTURES.glob("*.expect.json"))


def page(body: str, title: str = "Council approves the new budget", head: str = "") -> str:
    """A small hand-written page around `body`."""
    return f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


STORY = "".join(
    f"<p>{s} The council met on Tuesday evening and the members of the public who came to the "
    f"meeting were able to ask their questions about the plan, which was debated for weeks.</p>"
    for s in ("The council approved the budget.", "Taxes will rise by two percent.",
              "The mayor said the vote was close.", "Opponents said they would appeal.")
)


def roles_of(res, needle: str) -> list[str]:
    """The roles of the blocks whose text holds `needle`."""
    texts = {b["locator"]: b for b in res.blocks}
    out = [r["role"] for r in res.removed if needle in r["text"]]
    out += ["body" for b in res.body if needle in b["text"]]
    out += ["caption" for c in res.captions if needle in c["text"] + " " + (c["credit"] or "")]
    out += ["related" for r in res.related if needle in (r["title"] or "") + " " + (r["summary"] or "")]
    assert texts, "blocks carry locators"
    return out


# -- real pages --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", REAL)
def test_real_page(name: str) -> None:
    exp = json.loads((HTML_FIXTURES / f"{name}.expect.json").read_text(encoding="utf-8"))
    html = (HTML_FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    res = clean(html=html, url=exp["url"])
    text = " ".join(res.text.split())
    for snippet in exp["must_keep"]:
        assert " ".join(snippet.split()) in text, f"lost from the body: {snippet!r}"
    for snippet in exp["must_drop"]:
        assert " ".join(snippet.split()) not in text, f"left in the body: {snippet!r}"
    captions = [" ".join((c["text"] + " " + (c["credit"] or "")).split()) for c in res.captions]
    for snippet in exp["captions"]:
        words = snippet.split()[:6]
        assert any(" ".join(words) in c for c in captions), f"caption not in captions: {snippet!r}"
    assert res.input_kind == "html"
    assert res.confidence > 0.2  # the engine scales confidence with body length; jpost is one paragraph
    assert all(b["lines"] is None and b["locator"] for b in res.blocks)


def test_real_page_bytes_detected_charset() -> None:
    """A Korean page as EUC-KR bytes without a declared charset: detected, same body."""
    exp = json.loads((HTML_FIXTURES / "entermedia_ko.expect.json").read_text(encoding="utf-8"))
    html = (HTML_FIXTURES / "entermedia_ko.html").read_text(encoding="utf-8")
    data = html.encode("cp949", errors="ignore")
    res = clean(html=data, url=exp["url"])
    assert exp["must_keep"][0][:40] in res.text


# -- markup cues --------------------------------------------------------------------------------
def test_figcaption_is_a_caption_with_locator() -> None:
    html = page(
        "<article><h1>Council approves the new budget</h1>" + STORY[:600]
        + "<figure><img src='a.jpg'><figcaption>The mayor speaks to the council on Tuesday."
        " (Jane Doe/AP)</figcaption></figure>" + STORY[600:] + "</article>"
    )
    res = clean(html=html)
    assert "The mayor speaks" not in res.text
    cap = [c for c in res.captions if c["text"].startswith("The mayor speaks")]
    assert cap and cap[0]["lines"] is None and "figcaption" in cap[0]["locator"]
    assert cap[0]["credit"] == "Jane Doe/AP"


def test_credit_marked_in_the_markup() -> None:
    fig1 = ("<figure><img src='a.jpg'><figcaption>Crowds gather outside the town hall "
            "<span class='image__credit'>Credit: Jane Doe</span></figcaption></figure>")
    fig2 = ("<figure><img src='b.jpg'><figcaption>The mayor after the vote</figcaption>"
            "<div class='photo-credit'>John Roe</div></figure>")
    res = clean(html=page("<article>" + STORY[:600] + fig1 + fig2 + STORY[600:] + "</article>"))
    caps = {c["text"]: c["credit"] for c in res.captions}
    assert caps.get("Crowds gather outside the town hall") == "Jane Doe"
    assert caps.get("The mayor after the vote") == "John Roe"


@pytest.mark.parametrize(
    ("markup", "needle", "role"),
    [
        ("<nav><ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li></ul></nav>",
         "News", "navigation"),
        ("<aside><h3>More stories</h3><a href='/x'>A fire broke out downtown on Sunday</a></aside>",
         "A fire broke out", "related"),
        ("<div class='share-bar'><a href='#'>Share on Facebook</a></div>", "Share on Facebook", "share"),
        ("<div class='related-posts'><a href='/y'>Schools close early for the winter holiday</a></div>",
         "Schools close early", "related"),
        ("<div class='newsletter-signup'>Get the best stories every morning in one email.</div>",
         "Get the best stories", "newsletter"),
        ("<section id='comments'><p>Great article, thanks for writing it up so well!</p></section>",
         "Great article", "comment"),
        ("<div class='ad-slot'>Buy the best mattress of the year at half price now</div>",
         "Buy the best mattress", "advert"),
        ("<footer><p>All content belongs to the Daily Example and its partners.</p></footer>",
         "All content belongs", "navigation"),
    ],
)
def test_markup_roles(markup: str, needle: str, role: str) -> None:
    res = clean(html=page("<article>" + STORY + "</article>" + markup))
    assert needle not in res.text
    assert role in roles_of(res, needle)
    assert "Taxes will rise" in res.text


def test_a_paragraph_that_is_one_link_is_not_story() -> None:
    body = (STORY[:600] + "<p><a href='/other'>SEE MORE: Schools close early for the holiday</a></p>"
            + "<p>The mayor <a href='/m'>said</a> the vote was close and the council would meet again"
            " next month to look at the spending plan once more.</p>" + STORY[600:])
    res = clean(html=page(f"<article>{body}</article>"))
    assert "SEE MORE" not in res.text
    assert "related" in roles_of(res, "SEE MORE")
    assert "would meet again next month" in res.text


def test_class_cue_on_the_story_wrapper_is_ignored() -> None:
    """A class token on the element that holds the story (`has-comments`) does not remove it."""
    res = clean(html=page(f"<article class='post has-comments share-enabled'>{STORY}</article>"))
    assert "Opponents said they would appeal." in res.text


def test_heading_list_and_quote_kinds() -> None:
    body = (
        STORY[:800] + "<h2>What happens next</h2>"
        + "<blockquote><p>We will keep our promises to the people of this city, every one of them, "
        "and we will do it within the budget that was approved tonight.</p></blockquote>"
        + STORY[800:]
    )
    res = clean(html=page(f"<article>{body}</article>"))
    kinds = {b["text"][:20]: b["kind"] for b in res.body}
    assert kinds.get("What happens next") == "heading"
    assert kinds.get("We will keep our pro") == "quote"


def test_hidden_and_script_text_is_not_read() -> None:
    res = clean(html=page(
        f"<article>{STORY}</article><script>var x = 'secret script text';</script>"
        "<div hidden>hidden words here</div><div style='display:none'>invisible words</div>"
    ))
    every = " ".join(b.get("text", "") for b in res.removed) + res.text
    assert "secret script" not in every and "hidden words" not in every and "invisible" not in every


def test_every_text_run_is_in_exactly_one_block() -> None:
    html = page(
        "<header><a href='/'>Daily Example</a></header><main><h1>Council approves the new budget</h1>"
        f"{STORY}<div>Loose text<p>inner paragraph text</p>tail text</div></main>"
    )
    res = clean(html=html)
    locators = [b["locator"] for b in res.blocks]
    assert len(locators) == len(set(locators)), "each block has its own locator"
    texts = [b["text"] for b in res.body] + [r["text"] for r in res.removed]
    texts += [c["text"] for c in res.captions]
    for needle in ("Loose text", "inner paragraph text", "tail text", "Daily Example"):
        assert sum(needle in t for t in texts) <= 1
    assert all(loc.startswith("html > ") for loc in locators), locators
    assert any(loc.endswith("::text(1)") for loc in locators)
    assert any(loc.endswith("::text(2)") for loc in locators)


def test_metadata_title_from_open_graph() -> None:
    head = '<meta property="og:title" content="Council approves the new budget">'
    title = "Council approves the new budget | Daily Example"
    res = clean(html=page(f"<article>{STORY}</article>", title=title, head=head))
    assert res.title == "Council approves the new budget"


def test_metadata_from_json_ld() -> None:
    ld = ('{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", '
          '"headline": "Council approves the new budget", '
          '"author": [{"@type": "Person", "name": "Jane Doe"}], "datePublished": "2019-11-19"}]}')
    kind = 'type="application/ld+json"'
    head = f"<script {kind}>{ld}</script><script {kind}>{{bad</script>"
    res = clean(html=page(f"<article>{STORY}</article>", title="Budget | Daily Example", head=head))
    assert res.title == "Council approves the new budget"
    assert res.byline == "Jane Doe"


# -- no article, errors, charsets ---------------------------------------------------------------
def test_list_of_links_is_empty_not_an_error() -> None:
    links = "".join(f"<li><a href='/s/{i}'>Section number {i}</a></li>" for i in range(60))
    res = clean(html=page(f"<ul>{links}</ul>", title="Sitemap"))
    assert res.body == []
    assert res.confidence < 0.3


def test_undecodable_bytes() -> None:
    with pytest.raises(UndecodableInput) as info:
        clean(html=bytes(range(256)) * 64)
    assert info.value.status == 422
    assert isinstance(info.value, InputError)


def test_declared_charset_is_honoured_and_checked() -> None:
    data = page("<p>Café, crème brûlée and déjà vu.</p>").encode("cp1252")
    assert "Café" in decode_html(data, "cp1252")
    assert "Café" in decode_html(data)  # not UTF-8: detected
    meta = b'<meta charset="iso-8859-1">' + "<p>Café</p>".encode("latin-1")
    assert "Café" in decode_html(meta)
    with pytest.raises(UndecodableInput):
        clean(html="ü".encode() * 10 + b"\xff\xfe", charset="utf-8")
    with pytest.raises(UndecodableInput):
        clean(html=b"<p>x</p>", charset="no-such-charset")


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><body><![if foo]><!x y z<p>Hello there</p><![CDATA[ x</body>",
        "<!<!<![a<p>hi</p>",
        "<html><body><p>" + "<b>" * 300 + "unclosed",
        "",
        "   ",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>After an XML declaration.</p></body></html>",
    ],
)
def test_broken_markup_gives_a_result_or_a_typed_error(html: str) -> None:
    try:
        res = clean(html=html)
    except CleanerError:
        return
    assert res.input_kind == "html"


def test_tokenizer_keeps_text_past_a_deep_tree() -> None:
    seg = Segmenter()
    events_from_tokens("<p>before</p>" + "<div>" * 3000 + "deep" + "</div>" * 3000 + "<p>after</p>", seg)
    texts = [b.text for b in seg.close()]
    assert texts == ["before", "deep", "after"]
    seg = Segmenter()
    events_from_tokens("<p>a</p><ul hidden><li>x<li>y</ul><p>after</p><div style='display:none'>"
                       "<div>q</div></div><p>end", seg)
    assert [b.text for b in seg.close()] == ["a", "after", "end"]


# -- budget -------------------------------------------------------------------------------------
BUDGET = 10.0
MARGIN = 5.0  # a loaded 2-core CI box; the point is no hang


def _within_budget(html: str, **caps: int) -> None:
    settings = Settings(timeout_s=BUDGET, **caps)
    t0 = time.monotonic()
    try:
        res = clean(html=html, settings=settings)
    except DeadlineExceeded:
        res = None
    elapsed = time.monotonic() - t0
    assert elapsed < BUDGET + MARGIN, f"took {elapsed:.1f} s for a {BUDGET} s budget"
    if res is not None:
        assert res.input_kind == "html"


def test_8_mib_page_ends_within_budget() -> None:
    para = ("<div class='c'><p>The council voted on Tuesday to approve the budget after weeks of debate "
            "<a href='/x'>more</a></p><span>1</span></div>\n")
    html = page("<main>" + para * (8 * 1024 * 1024 // len(para)) + "</main>")
    assert 7.5 * 1024 * 1024 < len(html) < Settings().max_bytes
    _within_budget(html)


def test_8_mib_of_table_cells_ends_within_budget() -> None:
    """400,000 tiny blocks: stopped early with DeadlineExceeded rather than after the budget."""
    row = "<tr><td>cell</td><td><a href='#'>link</a></td></tr>"
    html = page("<table>" + row * (8 * 1024 * 1024 // len(row) - 100) + "</table>")
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_ELEMENTS"):  # 650,000 elements
        clean(html=html, settings=Settings(timeout_s=BUDGET))
    _within_budget(html, max_elements=1_000_000)  # under a cap raised this far: stopped in time


def test_10000_deep_nesting_ends_within_budget() -> None:
    deep = "<div>x " * 10_000 + "deep" + "</div>" * 10_000
    html = page("<p>before the deep part</p>" + deep + "<p>after</p>")
    _within_budget(html)
    res = clean(html=html, settings=Settings(timeout_s=BUDGET))
    every = " ".join(b["text"] for b in res.body) + " ".join(r["text"] for r in res.removed)
    assert "after" in every, "text after lxml's depth limit is still read"


def test_thousands_of_attributes() -> None:
    """Over the attribute cap (1,000, CLEANER_MAX_ATTRIBUTES) the page is refused before parsing."""
    attrs = " ".join(f'data-a{i}="{i}"' for i in range(5000))
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_ATTRIBUTES"):
        clean(html=page(f"<article><p {attrs}>Text with many attributes.</p>{STORY}</article>"))
    attrs = " ".join(f'data-a{i}="{i}"' for i in range(1000))
    _within_budget(page(f"<article><p {attrs}>Text with many attributes.</p>{STORY}</article>"))


# -- arbitrary markup ---------------------------------------------------------------------------
_PIECES = [
    "<p>", "</p>", "<div class='share related'>", "</div>", "<figure><img src=x>", "<figcaption>",
    "</figcaption>", "</figure>", "<nav>", "</nav>", "<!--", "-->", "<![CDATA[", "]]>", "<!x", "<?pi?>",
    "<script>", "</script>", "<br>", "<a href='#'>", "</a>", "<table><tr><td>", "</td></tr></table>",
    "<title>", "</title>", "&amp;", "&#0;", "&#xD800;", "<", ">", "\x00", "\ufffd", " words of text. ",
]


@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=30)), max_size=60))
def test_arbitrary_markup_gives_a_result_or_a_typed_error(parts: list[str]) -> None:
    html = "".join(parts)
    for doc in (html, html.encode("utf-8", "surrogatepass")):
        try:
            res = clean(html=doc)
        except CleanerError:
            continue
        assert res.input_kind == "html"
        assert all(b["lines"] is None and b["locator"] for b in res.blocks)


def _resolve(tree, locator: str):
    """The element a locator names, walking `tag:nth-of-type(n)` steps from <html>."""
    steps = locator.split("::", 1)[0].split(" > ")
    assert steps[0] == "html"
    el = tree
    for step in steps[1:]:
        tag, _, rest = step.partition(":nth-of-type(")
        n = int(rest.rstrip(")")) if rest else 1
        same = [c for c in el if isinstance(c.tag, str) and c.tag == tag]
        el = same[n - 1]
    return el


@pytest.mark.parametrize("name", REAL[:2])
def test_locators_name_their_elements(name: str) -> None:
    from lxml import html as lxml_html

    text = (HTML_FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    tree = lxml_html.document_fromstring(text)
    res = clean(html=text)
    texts = {**{b["locator"]: b["text"] for b in res.body}, **{r["locator"]: r["text"] for r in res.removed}}
    assert len(texts) > 20
    for loc, block_text in texts.items():
        if loc.startswith("html > head"):
            continue
        el = _resolve(tree, loc)
        assert " ".join(block_text.split())[:30] in " ".join(el.text_content().split()), loc


def test_furniture_without_prose_is_one_block() -> None:
    """A `nav` (or footer, aside, role=navigation...) with no paragraph in it is read as one block
    of all its text, its subtree unvisited: the same role, its text still in the audit."""
    menu = ("<nav class='menu'><ul>" + "".join(f"<li><a href='/{k}'>Section {k}</a></li>" for k in range(12))
            + "</ul></nav>")
    foot = "<div role='contentinfo'><ul><li><a href='/a'>About us</a></li><li>Contact</li></ul></div>"
    res = clean(html=page(menu + "<article>" + STORY + "</article>" + foot))
    navs = [b for b in res.blocks if "Section 3" in b["text"]]
    assert len(navs) == 1 and navs[0]["text"].startswith("Section 0 Section 1")
    assert navs[0]["role"] == "navigation" and navs[0]["locator"].endswith("nav:nth-of-type(1)")
    assert [b["text"] for b in res.blocks if "About us" in b["text"]] == ["About us Contact"]
    assert "Section" not in res.text and "About us" not in res.text
    assert "Opponents said they would appeal." in res.text


def test_furniture_with_prose_is_walked() -> None:
    """An unclosed `<nav>` that swallows the story (broken markup) is walked element by element:
    its paragraphs stay blocks of their own and the story is kept."""
    res = clean(html=page("<nav><a href='/'>Home</a> <a href='/n'>News</a><div>" + STORY + "</div></nav>"))
    assert "Opponents said they would appeal." in res.text
    assert not any("Home" in b["text"] and "Taxes" in b["text"] for b in res.blocks)
