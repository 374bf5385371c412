"""Input caps checked before any stage or the HTML parser sees a document (linear scans, plain
string code).

Over a cap the document is refused whole with `InputTooLarge` (413 `too-large` on the API, an
error row in batch): never truncated, so the audit trail of what is cleaned stays complete.
The defaults (in `Settings`, each an environment variable) sit far above real pages: on the 520
dev pages (dev and dev2) the longest text line is 4,271 characters, and as this scan counts, the
most attributes on one tag 64, on one page 7,120, the deepest nesting 246 and the most elements
3,958.

| cap | default | variable |
|---|---|---|
| characters in one line of text | 1,000,000 | `CLEANER_MAX_LINE_CHARS` |
| attributes on one HTML tag | 1,000 | `CLEANER_MAX_ATTRIBUTES` |
| attributes on all the tags of a page | 250,000 | `CLEANER_MAX_TOTAL_ATTRIBUTES` |
| HTML nesting depth (open tags not closed; void, self-closed ones skipped) | 20,000 | `CLEANER_MAX_DEPTH` |
| HTML elements (start tags) | 250,000 | `CLEANER_MAX_ELEMENTS` |

Every pattern is RE2, so a long line or a deep page costs linear time in the stages (and the
watchdog ends them at the budget); the caps bound memory and the parser's uninterruptible
share. lxml's time grows with the number of attributes times the attributes on their tag (it
compares each new attribute's name with those before it: 90,000 on one tag took 16-44 s) and
with the elements. With 1,000 attributes on every tag of a 10 MiB page (within the old caps)
it took 2.4-6 s; within these caps the slowest page benchmarks/bench_parse_caps.py builds
(1,000 quoted attributes on each of 250 tags, the rest of 10 MiB in elements) parses in 0.7 s
on a busy 2-core box, well inside 2x a 1 s budget. And lxml runs only when its expected time
from what this scan counted (`Markup`, `html_parse_seconds_per_*` in rules/html.yaml) fits the
time left, so a page whose scan used most of the budget stops there (DeadlineExceeded). The
scan itself costs about 1-3 us a tag on that box and checks the deadline every 1,024 tags.

The scan reads tags as an HTML5 tokenizer does (libxml2 2.14's, which lxml uses): a tag ends at
the first `>` outside a quoted attribute value, and a quote opens a value only right after the
`=` of an attribute (`<p a="x>y" b>` is one tag with two attributes; in `<p a"b c>` the quote is
part of a name); comments, `<!...>` and `<?...>` are skipped to their end, and the text of
script, style, title, textarea and the other raw-text elements to their end tag. Attributes are
counted from above (`a = b` counts 3 on a tag without quotes), never from below. The scan is
plain string code (`bytes.find`, `split`, `translate`), each stretch of the page searched once:
linear in the page, no regex.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Protocol

from .config import Settings
from .errors import InputTooLarge


class Deadline(Protocol):
    """What the scan needs of `cleaner.core.pipeline.Deadline` (the base imports no stage)."""

    def check(self, stage: str = "") -> None: ...


VOID = frozenset({b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
                  b"param", b"source", b"track", b"wbr", b"keygen", b"command", b"basefont", b"frame"})
# Elements whose content is text up to their end tag (libxml2 2.14; not noscript).
RAW_TEXT = frozenset({b"script", b"style", b"xmp", b"iframe", b"noembed", b"noframes",
                      b"title", b"textarea"})
# `_names`: HTML whitespace, "/" and ">" read as " " (where a tag name ends), letters lowercased.
# `_words`: HTML whitespace read as " ", and "\v" (a name character to HTML) as "v", so that
# `bytes.split()` splits on HTML whitespace only. Both keep every offset.
_NAMES = bytes.maketrans(b"\t\n\x0c\r/>\x0bABCDEFGHIJKLMNOPQRSTUVWXYZ",
                         b"      vabcdefghijklmnopqrstuvwxyz")
_WORDS = bytes.maketrans(b"\t\n\x0c\r\x0b", b"    v")
_LETTER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
GT, SLASH, BANG, QMARK, SPACE = b">/!? "
# States of the HTML5 tokenizer inside a tag: before an attribute name, in a name, after a
# name, before a value, in an unquoted value.
BEFORE_NAME, NAME, AFTER_NAME, BEFORE_VALUE, VALUE = range(5)
_TEXT_TO_END = RAW_TEXT | {b"plaintext"}  # where `<x/>` and `<x>` differ


def check_text(text: str, settings: Settings) -> None:
    """Refuse text with a line over `max_line_chars` (lines end at \\r\\n, \\r or \\n, as in segment)."""
    cap = settings.max_line_chars
    if len(text) <= cap:
        return
    longest = max(map(len, text.replace("\r", "\n").split("\n")))
    if longest > cap:
        raise InputTooLarge(f"a line of the text is {longest} characters long, over the {cap}-character "
                            "cap (CLEANER_MAX_LINE_CHARS)")


class Markup(NamedTuple):
    """What the scan counted: start tags, attributes, and the sum over tags of the square of
    their attributes (lxml's time grows with each, the last most)."""

    elements: int
    attributes: int
    attribute_pairs: int


def check_html(html: str | bytes, settings: Settings, deadline: Deadline | None = None) -> Markup:
    """Refuse markup over the attribute, depth or element caps, before it is parsed; what was
    counted (for the parser's expected time)."""
    return HtmlCaps(html, settings).scan(deadline)


class HtmlCaps:
    """One scan of a page's tags, counting elements, depth and attributes against the caps."""

    def __init__(self, html: str | bytes, settings: Settings):
        if isinstance(html, str):  # scanned as UTF-8 bytes (lone surrogates kept)
            html = html.encode("utf-8", "surrogatepass")
        assert isinstance(html, bytes)
        self.s = html
        self.names = html.translate(_NAMES)
        self.words = html.translate(_WORDS)
        self.max_attrs = settings.max_attributes
        self.max_total = settings.max_total_attributes
        self.max_depth = settings.max_depth
        self.max_elements = settings.max_elements
        self._found: dict[bytes, tuple[int, int]] = {}

    def scan(self, deadline: Deadline | None = None) -> Markup:
        """Read the page's tags in order; raise `InputTooLarge` at the first cap crossed (and
        `DeadlineExceeded` from `deadline`, checked every thousand tags). Returns what it
        counted."""
        return _scan(self, self.s, self.names, self.max_attrs, self.max_total, self.max_depth,
                     self.max_elements, deadline)

    def _comment_end(self, p: int) -> int:
        """Where the comment whose text begins at `p` ends (HTML5: `-->`, `--!>`, or at once
        `<!-->` and `<!--->`), or -1 when the page ends in it."""
        s = self.s
        if s.startswith(b">", p):
            return p + 1
        if s.startswith(b"->", p):
            return p + 2
        a = s.find(b"-->", p)
        b = s.find(b"--!>", p, a + 3 if a >= 0 else len(s))
        if b >= 0:
            return b + 4
        return a + 3 if a >= 0 else -1

    def _tag_at(self, key: bytes, p: int, end: bool) -> int:
        """The first `<key` (`</key` if `end`) at or after `p` that a tokenizer reads as that tag
        (followed by whitespace, "/" or ">"; any case), or -1."""
        names, s = self.names, self.s
        want = (b"< " if end else b"<") + key
        while True:
            k = names.find(want, p)
            if k < 0:
                return -1
            after = k + len(want)
            if (s[k + 1] == SLASH) == end and (after >= len(s) or names[after] == SPACE):
                return k
            p = k + 1

    def _raw_text_end(self, p: int, name: bytes) -> int:
        """The offset of the end tag that closes the raw text begun at `p` (-1: the page ends
        first). Script text follows HTML5's escapes: in `<!-- ... -->` a `<script>` opens a
        part where `</script>` does not end the script (libxml2 2.14 does the same)."""
        if name != b"script":
            return self._tag_at(name, p, True)
        s = self.s

        def first(key: bytes) -> int:  # the next one at or after p
            if key == b"end":
                return self._next(key, p, lambda q: self._tag_at(b"script", q, True))
            if key == b"start":
                return self._next(key, p, lambda q: self._tag_at(b"script", q, False))
            return self._next(key, p, lambda q: s.find(key, q))

        state = 0  # 0 script data, 1 escaped (after "<!--"), 2 double escaped (after "<script>" there)
        while True:
            close = first(b"end")
            if state == 0:
                k = first(b"<!--")
                if k < 0 or (0 <= close < k):
                    return close
                p, state = k + 2, 1  # "<!-->" ends the escape at once: the dashes count twice
                continue
            dashes = first(b"-->")
            if state == 1:
                opened = first(b"start")
                cands = [(close, 0), (dashes, 1), (opened, 2)]
            else:
                cands = [(close, 3), (dashes, 1)]
            found = [c for c in cands if c[0] >= 0]
            if not found:
                return -1
            k, what = min(found)
            if what == 0:
                return k
            if what == 1:
                p, state = k + 3, 0
            elif what == 2:
                p, state = k + 7, 2
            else:
                p, state = k + 8, 1

    def _next(self, key: bytes, p: int, find: Callable[[int], int] | None = None) -> int:
        """The first `key` at or after `p` (found by `find`, else `bytes.find`), or -1;
        remembered, so that each stretch of the page is searched once as the scan moves on."""
        start, found = self._found.get(key, (len(self.s) + 1, -1))
        if start <= p and (found >= p or found < 0):
            return found
        found = find(p) if find is not None else self.s.find(key, p)
        self._found[key] = (p, found)
        return found

    def _quoted(self, p: int, g: int, name: bytes) -> tuple[int, int, bool]:
        """`_walk`, with a shortcut for the usual tag: one kind of quote, each opening a value
        after a plain `name=` (` a="x" b = "y" c`), so that the first `>` ends the tag."""
        s = self.s
        if name not in _TEXT_TO_END:
            region = self.words[p:g]
            quote = b'"' if b"'" not in region else b"'" if b'"' not in region else b""
            if quote:
                parts = region.split(quote)
                outs = parts[0:-1:2]  # before each value
                if len(parts) % 2 and b"/" not in b"".join(outs):
                    count = 0
                    for out in outs:  # each exactly "name =" (possibly after bare names)
                        if out.count(b"=") != 1:
                            break
                        words = out.split()
                        if not words or not words[-1].endswith(b"=") \
                                or words[0] == b"=" or (words[-1] == b"=" and len(words) == 1):
                            break
                        count += len(words) - (words[-1] == b"=")
                    else:
                        last = parts[-1]
                        count += len(last.replace(b"/", b" ").split())  # bare names after the values
                        return count, g, g < len(s) and s[g - 1] == SLASH
        return self._walk(p, g)

    def _walk(self, p: int, g: int) -> tuple[int, int, bool]:
        """Attributes of the tag from `p` walked as the HTML5 tokenizer does, given the first `>`
        at or after `p` (`g`); where the tag ends, and whether it ends with a `/>` that closes it
        (not the "/" of an unquoted value: `<script a=/>`)."""
        s, words, names = self.s, self.words, self.names
        find = s.find
        n = len(s)
        st, count = BEFORE_NAME, 0
        # The next quote of each kind before `g` (-1: none before `g`): each stretch searched once.
        dq, sq = find(b'"', p, g), find(b"'", p, g)
        while True:
            q = dq if sq < 0 or 0 <= dq < sq else sq
            if q < 0:  # the last stretch, up to the ">"
                slash = g < n and s[g - 1] == SLASH and g - 1 >= p
                c, st = _run(words[p:g - 1 if slash else g], st, self.max_attrs - count)
                return count + c, g, slash and st != BEFORE_VALUE and st != VALUE
            chunk = words[p:q]
            if st == BEFORE_NAME and chunk[-1:] == b"=" and chunk.count(b"=") == 1 and b"/" not in chunk \
                    and len(chunk.split()) == 1 and chunk.lstrip()[:1] != b"=":
                count, st = count + 1, BEFORE_VALUE  # the usual ` name=` before a quoted value
            else:
                c, st = _run(chunk, st, self.max_attrs - count)
                count += c
            if count > self.max_attrs:
                return count, g, False
            if st == BEFORE_VALUE:  # a quoted value: skip to its closing quote
                close = find(s[q:q + 1], q + 1)
                if close < 0:
                    return count, n, False
                p, st = close + 1, BEFORE_NAME
            elif st in (NAME, VALUE):  # the quote is part of a name or an unquoted value
                stop = words.find(b" ", q + 1, g)  # a value ends at whitespace
                if stop < 0:
                    stop = g
                if st == NAME:  # a name also at "/" or "="
                    cut = names.find(b" ", q + 1, stop)
                    stop = cut if cut >= 0 else stop
                    cut = find(b"=", q + 1, stop)
                    stop = cut if cut >= 0 else stop
                p = stop
            else:  # before or after a name: the quote begins a new name
                count += 1
                p, st = q + 1, NAME
            if p > g:  # past the ">" found first (it was in a value): find the next one
                g = find(b">", p)
                if g < 0:
                    g = n
                dq, sq = find(b'"', p, g), find(b"'", p, g)
                continue
            if 0 <= dq < p:
                dq = find(b'"', p, g)
            if 0 <= sq < p:
                sq = find(b"'", p, g)


def _scan(caps: HtmlCaps, s: bytes, names: bytes, max_attrs: int, max_total: int, max_depth: int,
          max_elements: int, deadline: Deadline | None) -> Markup:
    """`HtmlCaps.scan`'s loop: a module function, so that the compiled build gives its counters C
    types (limits.pxd)."""
    n = len(s)
    find, nfind = s.find, names.find
    elements = depth = total = pairs = 0
    pos = 0
    steps = 0
    while True:
        i = find(b"<", pos)
        if i < 0 or i + 1 >= n:
            return Markup(elements, total, pairs)
        steps += 1
        if not steps & 0x3FF and deadline is not None:
            deadline.check("html caps")
        c = s[i + 1]
        if c in _LETTER:  # a start tag: its name ends at whitespace, "/" or ">"
            e = nfind(b" ", i + 2)
            if e < 0:
                return Markup(elements, total, pairs)  # the page ends inside a tag name
            name = names[i + 1:e]
            elements += 1
            if elements > max_elements:
                raise InputTooLarge(f"the HTML has over {max_elements} elements (CLEANER_MAX_ELEMENTS)")
            if s[e] == GT:
                g, closed = e, False
            else:
                g = find(b">", e)
                if g < 0:
                    g = n
                if find(b'"', e, g) < 0 and find(b"'", e, g) < 0 and (
                        name not in _TEXT_TO_END or s[g - 1] != SLASH):
                    # No quote: each attribute begins a word split at whitespace or "/".
                    k, closed = len(names[e:g].split()), g < n and s[g - 1] == SLASH
                else:  # walked exactly (and `<script a=/>` is not `<script/>`)
                    k, g, closed = caps._quoted(e, g, name)
                if k > max_attrs or total + k > max_total:
                    _refuse(k, f"<{_text(name)}>", total, max_attrs, max_total)
                total += k
                pairs += k * k
                if g >= n:
                    return Markup(elements, total, pairs)  # the page ends inside the tag
            pos = g + 1
            if closed or name in VOID:
                continue
            if name in RAW_TEXT:
                pos = caps._raw_text_end(pos, name)
                if pos < 0:
                    return Markup(elements, total, pairs)
                continue
            if name == b"plaintext":
                return Markup(elements, total, pairs)  # the rest of the page is text
            depth += 1
            if depth > max_depth:
                raise InputTooLarge(f"the HTML nests deeper than {max_depth} elements "
                                    "(CLEANER_MAX_DEPTH)")
        elif c == SLASH and i + 2 < n and s[i + 2] in _LETTER:  # an end tag
            e = nfind(b" ", i + 3)
            if e < 0:
                return Markup(elements, total, pairs)
            if s[e] == GT:
                g = e
            else:  # attributes on an end tag are read (and counted) all the same
                g = find(b">", e)
                if g < 0:
                    g = n
                if find(b'"', e, g) < 0 and find(b"'", e, g) < 0:
                    k = len(names[e:g].split())
                else:
                    k, g, _ = caps._quoted(e, g, b"")
                if k > max_attrs or total + k > max_total:
                    _refuse(k, f"</{_text(names[i + 2:e])}>", total, max_attrs, max_total)
                total += k
                pairs += k * k
                if g >= n:
                    return Markup(elements, total, pairs)
            pos = g + 1
            if depth:
                depth -= 1
        elif c == BANG and s.startswith(b"<!--", i):  # a comment
            pos = caps._comment_end(i + 4)
            if pos < 0:
                return Markup(elements, total, pairs)
        elif c in (BANG, QMARK, SLASH):  # <!doctype>, <![CDATA[...]>, <?pi>, </ x>
            g = find(b">", i + 2)
            if g < 0:
                return Markup(elements, total, pairs)
            pos = g + 1
        else:  # a "<" in text
            pos = i + 1


def _run(chunk: bytes, st: int, limit: int) -> tuple[int, int]:
    """(attributes begun, state after) for a stretch of a tag holding no quote and no `>`, begun
    in state `st` (`chunk` as `_WORDS` reads it); over `limit`, a count from above at once."""
    if not chunk:
        return 0, st
    if len(chunk) > 2 * limit:  # room for more than `limit`: count the words (split at "/" too)
        most = len(chunk.replace(b"/", b" ").split())
        if most > limit:
            return most, st
    while b"//" in chunk:  # a run of "/" acts as one: each halving is one pass in C
        chunk = chunk.replace(b"//", b"/")
    count = 0
    if chunk[0] == SPACE:
        st = _after_space(st)
    for k, word in enumerate(chunk.split()):
        if k:
            st = _after_space(st)
        c, st = _word(word, st)
        count += c
    if chunk[-1] == SPACE:
        st = _after_space(st)
    return count, st


def _after_space(st: int) -> int:
    return AFTER_NAME if st == NAME else BEFORE_NAME if st == VALUE else st


def _word(word: bytes, st: int) -> tuple[int, int]:
    """(attributes begun, state after) for a run without whitespace, quotes or `>`."""
    if st in (VALUE, BEFORE_VALUE):
        return 0, VALUE  # an unquoted value runs to the next whitespace, "/" and "=" included
    count = 0
    for j, part in enumerate(word.split(b"/")):
        if j:  # the "/" before this part
            if st in (VALUE, BEFORE_VALUE):
                return count, VALUE
            st = BEFORE_NAME
        if not part:
            continue
        if st == BEFORE_NAME or (st == AFTER_NAME and part[0] != 0x3D):  # a new name ("=" may begin one)
            count += 1
            st, rest = NAME, part[1:]
        elif st == AFTER_NAME:  # "=" after a name and whitespace
            st, rest = BEFORE_VALUE, part[1:]
        elif st == NAME:
            rest = part
        else:
            return count, VALUE
        if st == NAME:
            eq = rest.find(b"=")
            if eq < 0:
                continue
            st, rest = BEFORE_VALUE, rest[eq + 1:]
        if rest:  # the value begins: the rest of the word is the value
            return count, VALUE
    return count, st


def _refuse(k: int, tag: str, total: int, max_attrs: int, max_total: int) -> None:
    """Refuse a page with one more tag of `k` attributes after `total`, which crosses a cap (the
    scan checks `k > max_attrs or total + k > max_total` in line, and names the tag only here)."""
    if k > max_attrs:
        raise InputTooLarge(f"an HTML {tag} tag has {k} attributes, over the {max_attrs}-attribute cap "
                            "(CLEANER_MAX_ATTRIBUTES)")
    raise InputTooLarge(f"the HTML has over {max_total} attributes in all (CLEANER_MAX_TOTAL_ATTRIBUTES)")


def _text(name: bytes) -> str:
    return name.decode("latin-1")


__all__ = ["HtmlCaps", "Markup", "check_html", "check_text"]
