"""An author's bio paragraph after the story (issue 9, full page: prose-shaped furniture after
the story kept when no header marks its end), on small hand-built documents:

- on a page (a final rule found furniture: a share row, a legal line), a paragraph shaped like a
  bio ("<Name> is a writer ...", then he or she) goes (`tails.author_bio_paragraph`);
- in a clean article (no furniture), the same paragraph is the article's own and stays
  (`pipeline._clean_bio`: first do no harm);
- a paragraph about a product ("X is an advanced password manager that ...") is no bio.
"""

from __future__ import annotations

from core_helpers import P1, P2, P3, TITLE, builtin_ruleset, doc_from_lines, role_of

BIO = (
    "Jane Morrow is a freelance writer and editor based in Leeds who covers transport and local "
    "government. She has written for several regional papers over the last twelve years, and before "
    "that she worked as a press officer for a charity that helps older people stay in their homes."
)
PRODUCT = (
    "NordPass is an advanced password manager that helps businesses protect and control access to "
    "their systems, and its team says it will add new features."
)


def lines(*blocks: str) -> tuple[str, ...]:
    return tuple(line for b in blocks for line in (b, ""))[:-1]


def test_rule_matches_bio_not_product() -> None:
    rs = builtin_ruleset()
    bio = [r.id for r in rs.match(BIO, None, len(BIO.split()))]
    product = [r.id for r in rs.match(PRODUCT, None, len(PRODUCT.split()))]
    assert "tails.author_bio_paragraph" in bio
    assert "tails.author_bio_paragraph" not in product


def test_bio_after_story_on_a_page_goes() -> None:
    doc = doc_from_lines(*lines(TITLE, "Share on Facebook", P1, P2, P3, BIO, "Privacy Policy"), upto="story")
    assert role_of(doc, BIO) == ("other", "tails.author_bio_paragraph")
    assert role_of(doc, P3)[0] == "body"


def test_bio_in_a_clean_article_stays() -> None:
    doc = doc_from_lines(*lines(TITLE, P1, P2, P3, BIO), upto="story")
    assert role_of(doc, BIO)[0] == "body"
    assert role_of(doc, P1)[0] == "body"
