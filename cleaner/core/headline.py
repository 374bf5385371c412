"""Headlines: the title line and its site name, repeats of the headline, the standfirst.

Every test here reads a block's text (and the headline) only, never its neighbours, so the
article cleaner prints (title, standfirst, body) is read back the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import textre
from ..model import Block
from ..ruleset import Rule
from .features import WORD, norm_text

MAX_SITE_SEGMENTS = 3  # loop bound: site or section segments cut off the end of a title
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " • ")
DASHES = ("-", "–", "—")
SEGMENT_MARKS = " |-–—:«»·•"  # stripped off the ends of a title segment
# They part a leading site name from the headline.
PREFIX_SEPARATORS = (" | ", " » ", " :: ", " · ", " • ", " - ", " – ", " — ")
REST_SEPARATORS = (" : ", ", ")  # they part a site name from a headline that a later line repeats
HOST_LEAD_SEPARATORS = (": ",)  # they part a leading host name from the headline ("Engora Data Blog: ...")
MENU_GAP = "   "  # three spaces: the gap between the items of a flattened menu or trail
PATH_SEPARATORS = (" » ", " / ", " > ", " › ", "›", "»")  # a breadcrumb trail's
TRAIL_SEPARATORS = (" » ", " › ", " > ")  # a title parted so is a trail: its first segment names the site
# The last labels of a domain name ("SoundStageXperience.com" in a title names the site).
DOMAIN_ENDINGS = frozenset((
    "com", "org", "net", "edu", "gov", "info", "biz", "io", "co", "uk", "us", "ca", "au", "de",
    "fr", "nl", "in", "eu", "news", "blog"))
DOMAIN_MARKS = "|-–—:«»·•()[]!,™®"  # stripped off the ends of a word before it is read as a domain
# The last word of a segment that names a site by its kind ("Engora Data Blog", "Servo Magazine").
SITE_KINDS = ("Blog", "Magazine")
COPYRIGHT_MARKS = ("©", "copyright")  # a footer line that names the site ("© 2025 Urge Fitness")
ADDRESS_MARKS = ("/", "@")  # a word holding one is an address, a path or an e-mail
SUBTITLE_OPENERS = ("A", "An")  # a title's tail segment that opens so is a subtitle, not a site name
SUBTITLE_ARTICLES = ("a", "an")  # ...or that holds one in lower case ("From an ASE-Certified Mechanic")
PROSE_OPINIONS = ("good", "neargood")  # first opinions of prose (classify.PROSE)
MARKER_ROLES = ("byline", "dateline")  # the rule roles that mark the end of a story's head
# A byline's label on a line of its own, the author's name on the next ("By" / "Jane Doe").
BYLINE_LABELS = frozenset(
    ("by", "written by", "words by", "posted by", "author", "authors", "von", "par", "por"))
_SENTENCE_BREAK = textre.compile(r"[.!?]" + textre.S + "+[A-Z]")
_DATELINE_OPENING = textre.compile(r"^[A-Z][A-Z .,]+(?:\([^)]*\))?" + textre.S + "*[—–-]")
_ATTRIBUTION = textre.compile(f"(?:^|{textre.NW})(?:said|says|told)(?:$|{textre.NW})")  # \\b(...)\\b


def split_site_name(
    title: str, later: list[str], p: Mapping[str, Any], host: str | None = None,
    names: tuple[str, ...] = (),
) -> str:
    """The headline of a page title: a later line that starts it, else the title without the
    segment that names the site and without its trailing site-name segments. The site's name
    is told by the page's host, by the title itself (a domain-shaped segment, an initialism
    spelled by the segment beside it: see `title_keys`), and by `names`, the page's own lines
    that name the site (its copyright line: see `site_names`)."""
    keys = tuple(k for k in (host_key(host, p), *title_keys(title, p)) if k)
    line = title
    for _ in range(MAX_SITE_SEGMENTS):  # "SoundStage! Xperience | SoundStageXperience.com - ..."
        cut = _without_host(title, keys, names, p)
        if cut == title:
            break
        title = cut
    again = _logo_then_headline(title, later)
    if again is not None:
        return again
    tnorm = norm_text(title)
    line_chars = len(norm_text(line))
    head = title
    for k, text in enumerate(later):
        n = norm_text(text)
        if title != line and n == tnorm:
            return title  # a later line repeats the title without the host's name: the headline
        # A later line that is the whole first segment of the title ("Coffee" over "Coffee -
        # University of ...") repeats the headline however short it is.
        share = len(n) >= p["title_prefix_share"] * line_chars or _segment_rest(title, text)
        after = title[len(text.strip()) :].strip(SEGMENT_MARKS)
        alone = (  # a title line by itself, or a first segment right under it or before the host's name
            len(n.split()) > 1 or len(n) >= p["title_menu_chars"]
            or (_segment_rest(title, text) and (k == 0 or _names_site(after, keys, names, p)))
        )
        if n and share and alone and tnorm.startswith(n) and n != tnorm and _site_rest(title, text):
            if _trail(title, text):
                break  # the root of a trail to the page: the site's name
            return text.strip()  # the repeat shows where the headline ends
    for _ in range(MAX_SITE_SEGMENTS):
        cut, sep = max((head.rfind(sep), sep) for sep in TITLE_SEPARATORS)
        if cut <= 0:
            break
        tail = _undoubled(head[cut:].strip(" |-–—:«»·"))
        rest = head[:cut]
        short = len(rest.split()) < p["site_rest_min_words"] and len(rest) < p["site_rest_min_chars"]
        # A site name may open in lower case ("threadWEAR"); a section before it is in lower case
        # throughout ("tips and tricks").
        section = tail == tail.lower() != tail.upper() and "." not in tail
        # After a dash, a list goes on the headline ("X – Features, Pricing, And Comparison").
        listed = sep.strip() in DASHES and "," in tail
        # A subtitle opens with an indefinite article ("Zero Waste - A Beginner's Guide"); a site
        # name goes by a definite one if any ("The Motley Fool").
        subtitle = tail.split(" ", 1)[0] in SUBTITLE_OPENERS or any(
            w in SUBTITLE_ARTICLES for w in tail.split()[1:])
        if not _site_name_like(tail, p) or short or section or listed or subtitle:
            break
        head = head[:cut].rstrip()
    return _without_site_prefix(head, p, keys, names)


def title_keys(title: str, p: Mapping[str, Any]) -> list[str]:
    """The names the title itself gives its site, as `host_key` gives them: a domain-shaped
    word ("SoundStageXperience.com" in "SoundStage! Xperience | SoundStageXperience.com - ...")
    and an initialism that is a whole segment after the first, spelled by the capitals of the
    segment beside it ("LSC" in "I Need Legal Help | LSC - Legal Services Corporation: ...")."""
    keys = []
    for word in title.split():
        w = word.strip(DOMAIN_MARKS)
        labels = w.lower().split(".")
        domain = len(labels) > 1 and labels[-1] in DOMAIN_ENDINGS
        if domain and all(x.replace("-", "").isalnum() for x in labels):
            key = host_key(w, p)
            if key:
                keys.append(key)
    pieces = _segments(title)
    for k in range(1, len(pieces)):
        short = pieces[k]
        if not (short.isalpha() and short.isupper() and len(short) >= p["host_key_min_chars"]):
            continue
        for other in pieces[k - 1 : k] + pieces[k + 1 : k + 2]:
            capitals = [w[0] for w in other.split() if w[0].isupper()][: len(short)]
            if other[:1] == short[0] and "".join(capitals) == short:
                keys.append(short.lower())
    return keys


def _segments(title: str) -> list[str]:
    """The pieces of a title between its separators, in order."""
    pieces = [title]
    for sep in TITLE_SEPARATORS:
        pieces = [q for piece in pieces for q in piece.split(sep)]
    return [q.strip() for q in pieces if q.strip()]


def site_names(blocks: list[Block], start: int) -> tuple[str, ...]:
    """The lines from block `start` on that name the page's site, normalised: its copyright
    lines ("Copyright © 2025 URGE FITNESS. All Rights Reserved")."""
    mark, word = COPYRIGHT_MARKS
    return tuple(
        b.norm for b in blocks[start:] if mark in b.text or (word in b.norm and word in b.norm.split())
    )


def _named_in(segment: str, names: tuple[str, ...], p: Mapping[str, Any]) -> bool:
    """Whether a title segment's words stand, in order and whole, in a line naming the site."""
    n = norm_text(segment)
    if not names or len(n) < p["host_key_min_chars"] or not 0 < len(n.split()) <= p["site_name_max_words"]:
        return False
    key = f" {n} "
    return any(key in f" {line} " for line in names)


def _names_site(segment: str, keys: tuple[str, ...], names: tuple[str, ...], p: Mapping[str, Any]) -> bool:
    """Whether a title segment names the site: the host's or the title's own name for it
    (`names_host`), the page's copyright line (`_named_in`), or a short name that ends with a
    site's kind ("Engora Data Blog": `SITE_KINDS`)."""
    if any(names_host(segment, k, p) for k in keys) or _named_in(segment, names, p):
        return True
    words = segment.split()
    return 0 < len(words) <= p["site_prefix_max_words"] and words[-1] in SITE_KINDS


def _trail(title: str, heading: str) -> bool:
    """Whether `heading`, the title's first segment, is the root of a trail to the page: a trail
    separator follows it ("Literary Hub » The Ultimate Best Books of 2025 List")."""
    return title[len(heading.strip()) :].startswith(TRAIL_SEPARATORS)


def _logo_then_headline(title: str, later: list[str]) -> str | None:
    """The headline when both parts of a title stand as lines of their own below it, the
    site's name first (its logo), then the headline, the longer ("Engora Data Blog: Small
    adventures ..." over "Engora Data Blog", ..., "Small adventures ..."); else None. A line
    shorter than the title's lead is no headline ("..., Chris Pardo" is a byline)."""
    seps = (*PREFIX_SEPARATORS, *HOST_LEAD_SEPARATORS)
    cuts = [(title.find(sep), sep) for sep in seps if title.find(sep) > 0]
    if not cuts:
        return None
    at, sep = min(cuts)
    lead, rest = norm_text(title[:at]), norm_text(title[at + len(sep) :])
    if not lead or len(rest.split()) <= len(lead.split()):
        return None
    norms = [norm_text(text) for text in later]
    if lead not in norms or rest not in norms[norms.index(lead) + 1 :]:
        return None
    return later[norms.index(rest, norms.index(lead) + 1)].strip()


def host_key(host: str | None, p: Mapping[str, Any]) -> str | None:
    """The name a host goes by: its longest label but the top-level one ("engora" of
    blog.engora.com, "integralist" of integralist.co.uk), when it has `host_key_min_chars`."""
    labels = (host or "").lower().removeprefix("www.").split(".")[:-1]
    key = max(labels, key=len, default="")
    return key if len(key) >= p["host_key_min_chars"] else None


def _compact(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def names_host(segment: str, key: str | None, p: Mapping[str, Any]) -> bool:
    """Whether a title segment names the page's host: it starts or ends with the host's name
    ("Engora Data Blog", "The Motley Fool", "TheBestVPN.com") with at most
    `host_segment_extra_chars` more letters, or its capitals spell it ("University of
    Wisconsin-Stevens Point" on uwsp.edu), or it spells the host's name in order with every
    word's capital in it ("Literary Hub" on lithub.com)."""
    if not key or not 0 < len(segment.split()) <= p["site_name_max_words"]:
        return False
    c = _compact(segment)
    if (c.startswith(key) or c.endswith(key)) and len(c) - len(key) <= p["host_segment_extra_chars"]:
        return True
    initials = "".join(w[0] for w in segment.replace("-", " ").split() if w[0].isupper() or w[0].isdigit())
    if len(initials) > 1 and initials.lower() == key:
        return True
    # A host named by a short form of the site's name: "Literary Hub" on lithub.com.
    return bool(c) and c[0] == key[0] and _subsequence(key, c) and _subsequence(initials.lower(), key)


def _subsequence(short: str, long: str) -> bool:
    """Whether the characters of `short` appear in `long` in order."""
    it = iter(long)
    return all(ch in it for ch in short)


def _without_host(title: str, keys: tuple[str, ...], names: tuple[str, ...], p: Mapping[str, Any]) -> str:
    """The title without the segment that names the site (`_names_site`) and what stands on its
    far side: a leading one ("Engora Data Blog: Small adventures ...") or a later one ("I Need
    Legal Help | LSC - Legal Services Corporation ...")."""
    seps = (*PREFIX_SEPARATORS, *HOST_LEAD_SEPARATORS)
    leads = [(title.find(sep), sep) for sep in seps if title.find(sep) > 0]
    if leads:
        at, sep = min(leads)
        rest = title[at + len(sep) :].strip()
        # A copyright line is read for a later segment only: a page whose title opens with the
        # site's name is often the site's own ("Howerton+White | Integrated Advertising ...").
        if _names_site(title[:at], keys, (), p) and _enough(rest, p):
            return rest
    cuts = sorted((i, sep) for sep in TITLE_SEPARATORS for i in _find_all(title, sep))
    for k, (at, sep) in enumerate(cuts):
        seg_end = cuts[k + 1][0] if k + 1 < len(cuts) else len(title)
        if _names_site(title[at + len(sep) : seg_end].strip(), keys, names, p) and _enough(title[:at], p):
            return title[:at].rstrip()
    return title


def _undoubled(segment: str) -> str:
    """A segment written twice without a space ("Center for SolutionsCenter for Solutions": a
    site name glued to its own copy) once."""
    half = len(segment) // 2
    return segment[:half] if len(segment) % 2 == 0 and segment[:half] == segment[half:] else segment


def _find_all(text: str, sub: str) -> list[int]:
    out, at = [], text.find(sub)
    while at > 0:
        out.append(at)
        at = text.find(sub, at + 1)
    return out


def _enough(rest: str, p: Mapping[str, Any]) -> bool:
    """A headline left by cutting a site name: not too short to be one."""
    return len(rest.split()) >= p["site_rest_min_words"] or len(rest) >= p["site_rest_min_chars"]


def _segment_rest(title: str, heading: str) -> bool:
    """Whether `heading` is the title's first segment (in any case): a title separator follows it."""
    n = len(heading.strip())
    return title[:n].lower() == heading.strip().lower() and title[n:].startswith(TITLE_SEPARATORS)


def _labelled(text: str, hnorm: str, p: Mapping[str, Any]) -> bool:
    """Whether `text` is the headline with a short label (at most `site_prefix_max_words`
    words) before or after a separator ("Blog: <headline>", "<headline> / Dec 2025")."""
    for sep in (*PREFIX_SEPARATORS, *HOST_LEAD_SEPARATORS, *PATH_SEPARATORS):
        at, end = text.find(sep), text.rfind(sep)
        most = p["site_prefix_max_words"]
        if at > 0 and norm_text(text[at + len(sep) :]) == hnorm and len(text[:at].split()) <= most:
            return True
        if end > 0 and norm_text(text[:end]) == hnorm and len(text[end + len(sep) :].split()) <= most:
            return True
    return False


def stable_headline(headline: str, p: Mapping[str, Any], host: str | None = None) -> str:
    """The headline as the clean article's first line gives it back: what `split_site_name`
    leaves of it, again until nothing more comes off, so cleaning the clean article (title,
    then text) again finds the same title."""
    for _ in range(MAX_SITE_SEGMENTS):
        again = split_site_name(headline, [], p, host)
        if again == headline:
            break
        headline = again
    return unmangled(headline)


C1_CONTROLS = ("\x80", "\x9f")  # the first and last C1 control character: never in written text


def unmangled(text: str) -> str:
    """`text` with UTF-8 that was read as Latin-1 undone ("Investorâ\x80\x99s Guide" gives
    "Investor’s Guide"): only when it holds a C1 control character, which no written text
    does, and the whole of it reads back as UTF-8; else `text` as it is."""
    lo, hi = C1_CONTROLS
    if not any(lo <= c <= hi for c in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _without_site_prefix(
    head: str, p: Mapping[str, Any], keys: tuple[str, ...] = (), names: tuple[str, ...] = (),
) -> str:
    """The headline without a leading site or section name ("Literary Hub » The Ultimate Best
    Books of 2025 List"): a short site-name-like segment before a separator, with a headline at
    least `site_prefix_rest_share` times as long after it, not going on in lower case ("Brexit -
    what happens next" keeps its lead). When what follows is the host's own name, the lead is
    the headline ("Coffee - University of Wisconsin-Stevens Point" on uwsp.edu: "Coffee")."""
    cuts = [(head.find(sep), sep) for sep in PREFIX_SEPARATORS if head.find(sep) > 0]
    if not cuts:
        return head
    at, sep = min(cuts)
    lead, rest = head[:at], head[at + len(sep) :].strip()
    n_lead, n_rest = len(lead.split()), len(rest.split())
    if (
        _site_name_like(lead, p) and n_lead <= p["site_prefix_max_words"] and not rest[:1].islower()
        and n_rest >= p["site_prefix_rest_min_words"] and n_rest >= p["site_prefix_rest_share"] * n_lead
    ):
        return lead.strip() if _names_site(rest, keys, names, p) else rest
    return head


def _site_rest(title: str, heading: str) -> bool:
    """Whether what follows `heading` in `title` names the site: a separator, or a
    capitalised word ("Recipe | King Arthur", "101RealtyMogul"). A heading the
    title merely starts with ("Different Types of Cameras" in "Different Types of Cameras for
    Photography", "What is X?" in "What is X? The Complete Guide") is a section of the story."""
    words = [w.lower() for w in WORD.findall(heading)]
    found = [(m.group().lower(), m.end()) for m in WORD.finditer(title)]
    if not words or len(found) <= len(words) or [w for w, _ in found[: len(words)]] != words:
        return False
    after = title[found[len(words) - 1][1] :]
    rest = after.lstrip("?!.’'\"”")  # the heading's own end punctuation
    if rest.startswith(TITLE_SEPARATORS + REST_SEPARATORS):
        return True
    first = rest.lstrip()[:1]  # a word glued on or after a space, not after "?" ("What is X? The Guide")
    return rest == after and bool(first) and (first.isupper() or first.isdigit())


def _site_name_like(segment: str, p: Mapping[str, Any]) -> bool:
    """A trailing title segment that names the site or section: short, no sentence, no quotes."""
    quoted = any(
        c in "\"“”‘’«»?!" and not (c in "’'" and 0 < i < len(segment) - 1 and segment[i - 1].isalpha()
                                   and segment[i + 1].isalpha())  # an apostrophe ("It’s")
        for i, c in enumerate(segment)
    )
    # "— 70" closes a score line and names no site; a date ("| 12/20/2024") goes like a site name.
    named = any(c.isalpha() for c in segment) or _numeric_date(segment)
    words = len(segment.split())
    return 0 < words <= p["site_name_max_words"] and named and not quoted and not segment.endswith(".")


_DATE_FIELDS = ("day", "month", "year")


def _numeric_date(segment: str) -> bool:
    """A date in figures: digits in three parts ("12/20/2024", "2024-12-20", "20.12.2024")."""
    parts = segment.strip().replace("/", "-").replace(".", "-").split("-")
    return len(parts) == len(_DATE_FIELDS) and all(x.isdigit() for x in parts)


_SENTENCE_ENDS = (".", "?", "!", "\u2026")
_OTHER_ENDS = ("?", "!", ":", "\u2026")  # a question, a call, a line that leads into what follows
_ANY_END = (".", "?", "!", "\u2026", ":")  # _SENTENCE_ENDS and _OTHER_ENDS
# A first line that ends like a statement is no headline (see `statement_line`). A question
# or an exclamation may be one ("Is it really always the DNS?"),
# unless a clause comes before it ("So you want to learn to sew, but don't know where to start?").
_STATEMENT_ENDS = (".", "\u2026", ":", ";")
_CALL_ENDS = ("?", "!")
TITLE_ENDS = (*_STATEMENT_ENDS, *_CALL_ENDS)  # a heading taken as the title ends with none of them
CLAUSE_BREAK = ", "
CLOSING_MARKS = "\"'”’»)]"  # quotes and brackets that close after a sentence's end


def looks_like_title(b: Block, p: Mapping[str, Any], title_case: bool = False) -> bool:
    """A block that can be a headline: short, and not a sentence of running prose. With
    `title_case`, a line in Title Case may end with a full stop (an abbreviation: "The Hottest
    Real Estate Markets in the U.S."): so the page's title line and the headline under it are
    read; a text's first block becomes the title only without end punctuation. A line of two
    sentences ("Espresso for under $500? Yes, you can.") is a standfirst, never a headline, so
    a clean article's text cleaned again keeps its standfirst. A line of more labelled fields
    ("Label: value") than `title_max_labels` is a spec line, not a headline."""
    words, chars = b.words, b.chars
    short = words <= p["title_max_words"] and chars <= p["title_max_chars"]
    if not (short and b.has_letter):
        return False  # the cheap tests first: most blocks are paragraphs, too long for a headline
    if words < 2 and chars < p["title_menu_chars"]:
        return False  # "News", "Home": a menu item, not a headline
    text = b.text
    # "Tested by: J. Smith RRP: £24 More info: example.com": a row of labelled fields, not a headline.
    if text.count(": ") > p["title_max_labels"]:
        return False
    prose_sentence = (  # language-neutral
        ((words >= p["title_prose_min_words"] and text.endswith("."))
         or (words > p["title_question_max_words"] and text.endswith(_OTHER_ENDS))
         or (text.endswith(_ANY_END) and _sentence_breaks(text, 1) > 0))
        and not (title_case and _title_case(text, p))
    )
    # Title Case lets a headline end with an abbreviation's full stop, but a line of several
    # sentences ("Space Coast (0-1): Kairi Thomas-Brooks 18 points. Adrianna Knight 12 points. ...")
    # is a paragraph however many names it capitalises.
    return not prose_sentence and _sentence_breaks(text, p["title_max_sentences"]) < p["title_max_sentences"]


def _sentence_breaks(text: str, limit: int) -> int:
    """How many times a sentence ends inside the line with a capital after it, counted up to
    `limit` (one: whether the line holds two sentences, "Espresso for under $500? Yes, you can.")."""
    n = 0
    for end in _SENTENCE_ENDS:
        at = text.find(end + " ")
        while at >= 0 and n < limit:
            if text[at + len(end) + 1 : at + len(end) + 2].isupper():
                n += 1
            at = text.find(end + " ", at + 1)
    return n


def statement_line(b: Block, p: Mapping[str, Any]) -> bool:
    """A first line that ends like a statement ("I did like this bit:", "It is day 19, where
    I blog daily.") and is not in Title Case reads as the opening sentence (a standfirst), not a
    headline, even when the page repeats it: the clean article (title, then text) holds no
    repeat, so such a title would not read back. The clean article's text starts with its
    standfirst; cleaning it again must not promote that sentence to the title. A full stop that
    closes an initialism ("Top 10 Appliance Makers in the U.S.A.") ends no statement."""
    text = b.text.rstrip()
    if _title_case(text, p) or _initialism(text.rsplit(" ", 1)[-1]):
        return False
    return text.endswith(_STATEMENT_ENDS) or (text.endswith(_CALL_ENDS) and CLAUSE_BREAK in text)


def _initialism(word: str) -> bool:
    """Two or more capitals, each with its full stop ("U.S.", "U.S.A.")."""
    letters, stops = word[0::2], word[1::2]
    return (len(word) % 2 == 0 and len(letters) >= 2 and letters.isalpha() and letters.isupper()
            and set(stops) == {"."})


def heading_title(line: str, title: str | None) -> bool:
    """Whether `title`, found when a clean text is cleaned alone, is its first `line` as the
    contract lets it be: the whole line, a heading without end punctuation (a question, a call
    or a sentence there would be cut from the text it opens)."""
    return title is not None and title == line.strip() and not line.rstrip().endswith(TITLE_ENDS)


def ends_as_sentence(text: str) -> bool:
    """Whether a line ends as a sentence does, or inside a closing quote or bracket ('... saying,
    "we will restore the public's trust."')."""
    return text.rstrip().rstrip(CLOSING_MARKS).endswith(_SENTENCE_ENDS)


def _title_case(text: str, p: Mapping[str, Any]) -> bool:
    """Whether at least `title_case_share` of the words with a letter start with a capital."""
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    capital = sum(1 for w in words if next(c for c in w if c.isalpha()).isupper())
    return bool(words) and capital >= p["title_case_share"] * len(words)


def find_title(
    blocks: list[Block], rules: list[Rule | None], p: Mapping[str, Any], host: str | None = None,
) -> tuple[int | None, str | None, set[int]]:
    """The title block, the headline, its repeats.

    The title is the first block no rule recognised as furniture ("SUBSCRIBE", a share row),
    when it is headline-shaped: in a page dump, the page's title line. The clean article
    starts with it, so cleaning that again finds the same title. Passed over for the next such
    block: a first line that is only the host's name ("Integralist" on integralist.co.uk), and a
    first line too long or prose-like for a headline whose first segment the next line repeats
    ("10 Tips to ... – Journey To College – Realize your potential." over "10 Tips to ...")."""
    free = [b for b in blocks if rules[b.index] is None]
    if not free:
        return None, None, set()
    first = free[0]
    if len(free) > 1 and looks_like_title(free[1], p, title_case=True):
        key = host_key(host, p)
        only_host = key is not None and _compact(first.text) == key
        repeated = not looks_like_title(first, p, title_case=True) and _segment_rest(first.text, free[1].text)
        if only_host or repeated or _brand_line(first, free[1], blocks, p):
            first = free[1]
    if not looks_like_title(first, p, title_case=True) and not _one_word_title(first, free[1:2]):
        return None, None, set()
    if list_item_number(first.text, p):
        return None, None, set()  # "1. Understand search intent": a list's first item, not a headline
    i = first.index
    later = [b.text for b in blocks[i + 1 : i + 1 + p["title_look_ahead"]]]
    names = site_names(blocks, i + 1) if first.text.count(" ") > 1 else ()
    headline = stable_headline(split_site_name(first.text, later, p, host, names), p, host)
    keys = {norm_text(first.text), norm_text(headline)}
    dups = {b.index for b in blocks[i + 1 :] if b.norm in keys}
    return i, headline, dups


def _brand_line(first: Block, nxt: Block, blocks: list[Block], p: Mapping[str, Any]) -> bool:
    """Whether a one-word first line over a longer headline-shaped line is the site's name (its
    logo, "Integralist"): a capitalised word of `title_menu_chars` or more that the page names
    again in its copyright line ("© Integralist. All rights reserved.") or inside an address, a
    path or an e-mail ("/Users/integralist/...", "info@integralist.co.uk"); a word of its prose
    ("Introduction") is no such name."""
    text = first.text.strip()
    if first.words != 1 or nxt.words < p["site_rest_min_words"] or not text[:1].isupper():
        return False
    c = _compact(text)
    if len(c) < p["title_menu_chars"] or not c.isalpha():
        return False
    if any(c in line.split() for line in site_names(blocks, nxt.index + 1)):
        return True
    low = c.lower()
    return any(
        low in token.lower() for b in blocks[nxt.index + 1 :] if low in b.text.lower()
        for token in b.text.split() if any(m in token for m in ADDRESS_MARKS)
    )


def list_item_number(text: str, p: Mapping[str, Any]) -> bool:
    """Whether an item number ("1. ", "12) ") opens the line: a list's item, not a headline (the
    clean article's text that starts with a list keeps its first item when cleaned again)."""
    if not text or not text[0].isdigit():
        return False
    limit = p["numbered_max_digits"]
    head = text[: limit + 1]
    digits = len(head) - len(head.lstrip("0123456789"))
    return 0 < digits <= limit and text[digits : digits + 2] in (". ", ") ")


def _one_word_title(first: Block, after: list[Block]) -> bool:
    """A one-word first line ("Coffee") is a title, not a menu item, when a paragraph that ends
    like a sentence follows it (a menu item goes on with more items, or with a headline: "News"
    over the story's headline). Only the next block is read, so the clean article reads back."""
    if first.words != 1 or not first.has_letter or first.terminal or not after:
        return False
    nxt = after[0]
    return nxt.first_opinion in PROSE_OPINIONS and nxt.terminal


def headline_below(
    blocks: list[Block], rules: list[Rule | None], title_idx: int, headline: str, body_start: int,
    dups: set[int], stopwords: frozenset[str], p: Mapping[str, Any],
) -> int | None:
    """The on-page headline under the page's title line, or None.

    A page dump opens with the `<title>` line; the headline the reader sees (the `<h1>`) comes
    further down, before the story starts, and often says the same thing in other words ("Best
    Tax Preparation Software | Accounting.com" over "The Best Tax Prep Software of 2025"). It is
    the headline-shaped line of the head, between the title line and the story, that scores
    highest and at least `headline_below_min_score` (see `below_candidates`). In a clean
    article nothing stands between the title and the story, so cleaning it again keeps its
    title."""
    best, best_score = None, p["headline_below_min_score"]
    for j, f in below_candidates(blocks, rules, title_idx, headline, body_start, dups, stopwords, p):
        score = below_score(f, p)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = j, score
    return best


def below_score(f: Mapping[str, float], p: Mapping[str, Any]) -> float:
    """A candidate's score: the Dice overlap of its content words with the title's, plus
    bonuses and less penalties (the weights are fitted by scripts/fit_titles.py)."""
    return (
        f["overlap"] + p["headline_below_marker_bonus"] * f["marked"]
        + p["headline_below_segment_bonus"] * f["segment"]
        + p["headline_below_repeat_bonus"] * f["repeated"]
        - p["headline_below_after_prose_penalty"] * f["after_prose"]
        - p["headline_below_site_cut_penalty"] * f["site_cut"]
        + p["headline_below_longer_bonus"] * f["longer"]
        - p["headline_below_title_case_penalty"] * f["title_case"]
        - p["headline_below_listed_penalty"] * f["listed"]
        - p["headline_below_after_lead_penalty"] * f["after_lead"]
        + p["headline_below_same_tail_bonus"] * f["same_tail"]
    )


def below_candidates(
    blocks: list[Block], rules: list[Rule | None], title_idx: int, headline: str, body_start: int,
    dups: set[int], stopwords: frozenset[str], p: Mapping[str, Any],
) -> list[tuple[int, dict[str, float]]]:
    """The headline-shaped lines between the title line and the story, with what speaks for
    each as the on-page headline: `overlap`, the Dice overlap of its content words with the
    title's (it shares at least `headline_below_min_shared` of them, or is a segment of the
    title); `marked`, a byline or date follows within `headline_below_marker_reach` blocks;
    `segment`, it is a whole segment of the headline ("History of coffee" of "History of
    coffee | Origin, Spread, ..." from "... | Britannica"); `repeated`, the next block says it
    again (then it needs no word in common with the title); a line that holds the whole headline
    a repeat of the headline with a label before it is no candidate; `after_prose`,
    a paragraph stands before it (a blurb of the page's furniture, or the lead); `site_cut`, the
    title line had a site name cut off (then the title line is more often the headline itself);
    `longer`, it has more words than the headline (a line shorter than the title line is more
    often a short label of the story, "Hotel Travel Hacks" under "The Best Hotel Life Hacks and
    Travel Tips"); `title_case`, the headline is in Title Case (an edited headline: the title
    line is then more often the title itself); `listed`, `headline_below_listed_lines` short
    headline-shaped lines follow it with no byline or date among them (an entry of a table of
    contents or a menu); `after_lead`, a paragraph sharing `headline_below_lead_shared` content
    words with the headline stands before it (the story has begun: a section heading);
    `same_tail`, it ends with the title line's last segment ("... | Opinion" under "... |
    Opinion": the headline as the page's template writes it)."""
    title_words = topic_words(headline, stopwords, p)
    if not title_words or dups:  # a repeat of the title line shows it is the headline
        return []
    tnorm = norm_text(blocks[title_idx].text)
    hnorm = norm_text(headline)
    segments = title_segments(headline)  # not the site name cut off the title line
    site_cut = float(hnorm != tnorm)
    title_case = float(_title_case(headline, p))
    head_words = len(headline.split())
    end = min(body_start, len(blocks))
    out: list[tuple[int, dict[str, float]]] = []
    after_prose = after_lead = 0.0
    for j in range(title_idx + 1, end):
        b = blocks[j]
        shaped = looks_like_title(b, p, title_case=True)
        if b.first_opinion in PROSE_OPINIONS and rules[j] is None and not shaped:
            after_prose = 1.0
            if len(topic_words(b.text, stopwords, p) & title_words) >= p["headline_below_lead_shared"]:
                after_lead = 1.0  # a paragraph about the headline's subject: the story has begun
        if rules[j] is not None or not shaped or statement_line(b, p):
            # Furniture, not headline-shaped, or a sentence that reads as a title only where the
            # page repeats it (the clean article, title then text, does not).
            continue
        if _marker(blocks[j - 1], rules[j - 1], ("byline",)):
            continue  # the name after a byline label ("By" / "Jane Doe"), often said twice
        if _breadcrumb(b.text) or b.words > p["headline_below_max_words"]:
            continue  # a breadcrumb trail ("Home » Blog » ..."), or a deck too long for a headline
        segment = b.norm in segments and b.norm != hnorm
        if b.norm in tnorm and not segment:
            continue  # a part of the title ("Forming an LLC")
        if _labelled(b.text, hnorm, p):
            return []  # a repeat of the headline with a label ("Blog: <headline>") confirms it
        words = topic_words(b.text, stopwords, p)
        shared = len(words & title_words)
        repeated = j + 1 < end and blocks[j + 1].norm == b.norm
        if shared < p["headline_below_min_shared"] and not (segment or repeated):
            continue
        reach = range(j + 1, min(end, j + 1 + p["headline_below_marker_reach"]))
        marked = any(_marker(blocks[k], rules[k], MARKER_ROLES) for k in reach)
        out.append((j, {
            "overlap": 2 * shared / (len(words) + len(title_words)) if words else 0.0,
            "marked": float(marked), "segment": float(segment), "repeated": float(repeated),
            "after_prose": after_prose,
            "site_cut": site_cut, "longer": float(b.words > head_words), "title_case": title_case,
            "listed": float(_listed(blocks, rules, j + 1, end, p)), "after_lead": after_lead,
            "same_tail": float(below_headline(b.text, blocks[title_idx].text) != b.text),
        }))
    return out


def _listed(
    blocks: list[Block], rules: list[Rule | None], start: int, end: int, p: Mapping[str, Any],
) -> bool:
    """Whether `headline_below_listed_lines` short lines follow from `start` (before `end`):
    headline-shaped, no prose, no rule's furniture, no byline or date. A line that opens such
    a run is an entry of a table of contents or a menu, not the headline over a story."""
    stop = start + p["headline_below_listed_lines"]
    if stop > end:
        return False
    if any(_marker(blocks[k], rules[k], MARKER_ROLES) for k in range(start, min(end, stop + 1))):
        return False  # a byline or date under it: the head of the story
    return all(
        rules[k] is None and blocks[k].first_opinion not in PROSE_OPINIONS
        and looks_like_title(blocks[k], p, title_case=True) for k in range(start, stop)
    )


def _marker(b: Block, rule: Rule | None, roles: tuple[str, ...]) -> bool:
    """Whether `b`'s rule has one of `roles` (a byline, a date), or `b` is a byline's label
    alone on its line ("By", "Written by")."""
    return (rule is not None and rule.role in roles) or b.norm in BYLINE_LABELS


def _breadcrumb(text: str) -> bool:
    """A breadcrumb trail: two path separators or more ("Home » Blog » ..."), or one after a
    single word ("Home > Movers"); not a headline with one slash ("Best Movers / Moving ...")."""
    if text.count(MENU_GAP) > 1:
        return True  # items parted by wide gaps ("Home    Glossary    What is ...")
    found = [(text.find(sep), sep) for sep in PATH_SEPARATORS if sep in text]
    if not found:
        return False
    at, sep = min(found)
    return len(text[:at].split()) < 2 or any(s in text[at + len(sep) :] for s in PATH_SEPARATORS)


def title_segments(title: str) -> set[str]:
    """The normalised pieces of a title line between its separators."""
    pieces = [title]
    for sep in (*TITLE_SEPARATORS, *REST_SEPARATORS, *HOST_LEAD_SEPARATORS):
        pieces = [q for piece in pieces for q in piece.split(sep)]
    return {norm_text(q) for q in pieces if q.strip()}


def below_headline(text: str, title: str) -> str:
    """The on-page headline without a site or section tail it shares with the title line
    ("... brains and improves physical health | Opinion" under "... | Opinion")."""
    for sep in TITLE_SEPARATORS:
        at, t_at = text.rfind(sep), title.rfind(sep)
        if at > 0 and t_at > 0 and norm_text(text[at:]) == norm_text(title[t_at:]):
            return text[:at].rstrip()
    return text


def is_standfirst(headline: str | None, text: str, p: Mapping[str, Any]) -> bool:
    """Whether a prose block reads as the headline's standfirst (dek): one short declarative
    sentence about the headline's subject, with no numbers, quotes, dateline or attribution.

    The test uses the headline and the block alone, so an article that cleaner printed (title,
    standfirst, body) is read back the same way: cleaning is idempotent."""
    if not headline:
        return False
    words = text.split()
    if not p["standfirst_min_words"] <= len(words) <= p["standfirst_max_words"] or not text.endswith("."):
        return False
    if _SENTENCE_BREAK.search(text[:-1]) or _DATELINE_OPENING.match(text) or _ATTRIBUTION.search(text):
        return False
    if any(c.isdigit() or c in "\"“”‘’'«»" for c in text):
        return False
    topic = {w for w in norm_text(headline).split() if len(w) >= p["topic_min_chars"] and not w.isdigit()}
    shared = topic & set(norm_text(text).split())
    return len(shared) >= p["topic_min_words"] and len(shared) >= p["topic_share"] * len(topic)


def topic_words(title: str | None, stopwords: frozenset[str], p: Mapping[str, Any]) -> set[str]:
    """Content words of the headline: what the story is about."""
    if not title:
        return set()
    n = p["title_word_min_chars"]
    return {w for w in norm_text(title).split() if len(w) >= n and w not in stopwords and not w.isdigit()}
