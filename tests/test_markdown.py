"""Markdown output: rendered by a real CommonMark renderer (markdown-it-py), the front matter
parsed by PyYAML; nothing from the input becomes markup, lists are lists, captions stay put."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml
from conftest import SEEDS
from markdown_it import MarkdownIt

from cleaner import CleanResult, clean
from cleaner.markdown import escape

SEED = SEEDS / "000_11e950c0d58bd2da.txt"
# Tags the renderer may make from our own Markdown; any other tag came from the input.
OUR_TAGS = {"h1", "h2", "p", "em", "ul", "ol", "li", "blockquote"}
HOSTILE = [
    "<b>bold</b> and <script>alert(1)</script> and <img src=x onerror=alert(1)>",
    "*star* _under_ **strong** `code` ~~strike~~ [link](javascript:alert(1)) ![img](x.png)",
    "# not a heading", "> not a quote", "- not a bullet", "+ not a bullet", "1. not a list",
    "2) not a list", "---", "===", "a | table | row", "&amp; &#60;b&#62; &copy;",
    "<https://example.com> <!-- comment --> <?php echo 1; ?>", "\\* backslash", "line one\nline two",
    "ends with a hash #",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")

    def handle_pi(self, data: str) -> None:
        self.tags.append("?")


def render(markdown: str) -> _Tags:
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    parser = _Tags()
    parser.feed(html)
    return parser


def split_front_matter(md: str) -> tuple[dict, str]:
    assert md.startswith("---\n")
    head, rest = md[4:].split("\n---\n", 1)
    return yaml.safe_load(head), rest


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_itself(text):
    """Each hostile line renders as one paragraph of exactly its text: no tag, no entity."""
    out = render(escape(text))
    assert out.tags == ["p"], (text, out.tags)
    assert "".join(out.text).strip() == text.strip()


def test_hostile_document_has_no_raw_html():
    res = CleanResult(
        title="<script>alert('t')</script> *Title*", standfirst="<i>sf</i> _x_",
        body=[{"kind": k, "text": t, "lines": None} for t in HOSTILE
              for k in ("paragraph", "heading", "list_item", "quote")],
        captions=[{"text": "<b>cap</b>", "credit": "<a href=x>me</a>", "lines": None, "after": 3}],
        source="<em>src</em>", byline="<u>by</u>",
        related=[{"kind": "promo", "title": "<b>rel</b>: 'x' \"y\"", "summary": "- a\n# b", "lines": None}],
    )
    md = res.to_markdown()
    meta, body = split_front_matter(md)
    assert meta["title"] == res.title and meta["related"][0]["title"] == "<b>rel</b>: 'x' \"y\""
    out = render(body)
    assert set(out.tags) <= OUR_TAGS, set(out.tags) - OUR_TAGS
    shown = "".join(out.text)
    for raw in ("<script>alert('t')</script>", "<b>bold</b>", "<a href=x>me</a>", "<em>src</em>"):
        assert raw in shown


def test_clean_hostile_text_end_to_end():
    text = ("Council <b>votes</b> on the *bridge*\n\n"
            + "The council voted on Tuesday to repair the old bridge <script>alert(1)</script> before "
              "winter comes, after engineers found cracks in two of its arches last month.\n\n"
            + "The mayor said the work would cost <i>two million</i> and take six weeks to finish.\n")
    out = render(split_front_matter(clean(text).to_markdown())[1])
    assert set(out.tags) <= OUR_TAGS
    assert "<script>alert(1)</script>" in "".join(out.text)


def _list_html(items: list[str]) -> str:
    res = CleanResult(body=[{"kind": "paragraph", "text": "Steps to follow.", "lines": None}]
                      + [{"kind": "list_item", "text": t, "lines": None} for t in items]
                      + [{"kind": "paragraph", "text": "After the list.", "lines": None}])
    return MarkdownIt("commonmark").render(res.to_markdown())


def test_numbered_items_are_an_ordered_tight_list():
    md = CleanResult(body=[{"kind": "list_item", "text": t, "lines": None}
                           for t in ("1. Turn it off", "2. Wait", "3) Turn it on")]).to_markdown()
    assert "- 1." not in md and "1. Turn it off\n2. Wait\n3. Turn it on\n" in md
    html = _list_html(["1. Turn it off", "2. Wait", "3) Turn it on"])
    assert "<ol>\n<li>Turn it off</li>\n<li>Wait</li>\n<li>Turn it on</li>\n</ol>" in html
    assert html.endswith("<p>After the list.</p>\n")


def test_bulleted_items_lose_their_own_bullet_and_are_tight():
    html = _list_html(["• Apples", "- Pears", "Plums"])
    assert "<ul>\n<li>Apples</li>\n<li>Pears</li>\n<li>Plums</li>\n</ul>" in html


def test_ordered_then_bulleted_are_two_lists():
    html = _list_html(["1. One", "2. Two", "• Other"])
    assert html.count("<ol>") == 1 and html.count("<ul>") == 1


def test_captions_stand_where_they_stood():
    md = clean(SEED.read_text(encoding="utf-8")).to_markdown()
    body = split_front_matter(md)[1]
    paras = body.split("\n\n")
    cap = next(i for i, p in enumerate(paras) if p.startswith("*Caption: Canada's military deployment"))
    # In the seed the photo caption stands between the standfirst and the first paragraph.
    assert paras[cap - 1].startswith("*Canadian forces exchange gunfire")
    assert paras[cap + 1].startswith("Canadian special forces have clashed")
    assert "(Reuters)*" in paras[cap]


def test_front_matter_carries_the_metadata():
    res = clean(SEED.read_text(encoding="utf-8"), url="https://example.com/a?b=1#c")
    meta, _ = split_front_matter(res.to_markdown())
    assert meta["title"] == res.title and meta["source"] == "Agencies"
    assert meta["language"] == "en" and meta["url"] == "https://example.com/a?b=1#c"
    assert [r["title"] for r in meta["related"]] == [r["title"] for r in res.related]
    assert len(meta["related"]) == 3 and "date" not in meta


def test_front_matter_date_and_byline_from_html():
    page = ("<html><head><title>Bridge vote</title>"
            '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
            '<meta name="author" content="Ann O\'Neil: reporter"></head><body><article>'
            "<h1>Bridge vote</h1><p>" + "The council voted on Tuesday to repair the old bridge. " * 6
            + "</p></article></body></html>")
    res = clean(html=page.encode("utf-8"))
    meta, _ = split_front_matter(res.to_markdown())
    assert str(meta["date"]).startswith("2024-03-05")
    assert meta["byline"] == res.byline and res.byline


def test_markdown_of_empty_result_is_empty():
    assert CleanResult().to_markdown() == ""
