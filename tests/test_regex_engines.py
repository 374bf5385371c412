"""No backtracking regex over input text in `cleaner/` (issue 10, item 1).

Lists every compiled pattern `cleaner/` holds (module globals, and calls to a regex module in
the source) and fails on one that is not RE2; Python's `re` is allowed only where the text is
trusted, listed in EXEMPT with why. And the Unicode classes `cleaner/textre.py` spells out for
RE2 match Python's code point by code point (assigned code points).
"""

from __future__ import annotations

import ast
import importlib
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "cleaner"
EXEMPT = {
    "cleaner/api/gunicorn_log.py": "slug of gunicorn's own reason phrase (trusted text, never input)",
    "cleaner/api/cors.py": "CLEANER_CORS_ORIGINS, the operator's setting (a request's Origin: plain compare)",
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        name = rel[:-3].replace("/", ".").removesuffix(".__init__")
        out.append((name, path))
    return out


def test_no_python_re_in_cleaner_but_the_exempt():
    users = {}
    for _, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(n in ("re", "regex", "sre_compile") for n in names):
                users.setdefault(path.relative_to(ROOT).as_posix(), node.lineno)
    assert set(users) <= set(EXEMPT), {k: v for k, v in users.items() if k not in EXEMPT}


def test_every_compiled_pattern_is_re2(capsys):
    import re2

    re2_type = type(re2.compile("a"))
    listed, bad = [], []
    for name, _ in _modules():
        if name.endswith(("wsgi", "__main__")):
            continue  # they run something when imported; what they use is imported below anyway
        mod = importlib.import_module(name)
        for attr, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                where = f"{name}.{attr}"
                exempt = mod.__file__ and _rel(mod.__file__) in EXEMPT
                (listed if exempt else bad).append((where, value.pattern))
            elif isinstance(value, re2_type):
                listed.append((f"{name}.{attr}", value.pattern))
    with capsys.disabled():
        print(f"\n{len(listed)} patterns over text in cleaner/, all RE2 (or exempt):")
        for where, pattern in listed:
            print(f"  {where}: {str(pattern)[:90]}")
    assert not bad, f"Python re patterns over input: {bad}"
    assert len(listed) >= 20


def _rel(path: str) -> str:
    return Path(path).resolve().relative_to(ROOT).as_posix()


def test_rule_patterns_are_re2():
    import re2

    from cleaner.engine import default_ruleset

    rs = default_ruleset()
    assert rs.rules
    for rule in rs.rules:
        assert isinstance(rule.regex, type(re2.compile("a"))), rule


@pytest.mark.parametrize(("python", "name"), [(r"\w", "W"), (r"\s", "S"), (r"\d", "D"),
                                              (r"[^\W\d_]", "LETTER"), (r"\W", "NW"), (r"\S", "NS")])
def test_unicode_classes_match_pythons(python, name):
    from cleaner import textre

    py, r2 = re.compile(python), textre.compile(getattr(textre, name))
    diff = [cp for cp in range(0x110000)
            if not 0xD800 <= cp <= 0xDFFF and unicodedata.category(chr(cp)) != "Cn"
            and bool(py.fullmatch(chr(cp))) != bool(r2.fullmatch(chr(cp)))]
    assert not diff, [hex(c) for c in diff[:20]]


def test_python_word_boundary_kept_where_rewritten():
    from cleaner.core import headline, lists
    from cleaner.core.assemble import _byline_end

    assert headline._ATTRIBUTION.search("He said so") and not headline._ATTRIBUTION.search("ésaid")
    assert not headline._ATTRIBUTION.search("saidé") and headline._ATTRIBUTION.search("told")
    assert lists._LINKS_LEAD_IN.search("See also:") and not lists._LINKS_LEAD_IN.search("moreé")
    old = re.compile(r"\s{2,}|[@|•]|\b(?:Updated|Published|Posted|Last)\b|\d|\s(?:on|at|in|for)\s"
                     r"|,?\s*\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d|$)"
                     r"|,?\s*\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
    for text in ["Regan September 15, 2014", "Ann Lee, Monday", "Jo éUpdated now", "Kim | staff", "Ana  Gap",
                 "Li on Tuesday", "Bo Janét", "Al Dec.", "Ed Mar\n", "Sue Lastname", "Zoë Thursday",
                 "plain name", "Ivan Mayé 3", "Ola ,  Jan 4", "Updated", "Max Frida"]:
        assert text[:_byline_end(text)] == old.split(text, maxsplit=1)[0], text


# The string code that stands for patterns whose matches the RE2 binding would build one by one
# in Python (words, punctuation skeletons, counts, sentence ends): same answers as the pattern.
_SAMPLES = [
    "", "a", "Hello, world!", "Council votes (Reuters)", "It ended. (AP)\n", "Done.\"", "Done.”»)",
    "end. ( aside )", "end.  \t(x)", "no end (x)", "end.(" + "x" * 40 + ")", "end.(" + "x" * 41 + ")",
    "end.(a\nb)", "ok?)\n\n", "是的。", "한국어 문장", "Ⅷ chapter", "٣ digits ١٢", "snake_case_word", "é…",
    "\u00a0\u2003spaces\u3000", "emoji 🙂 here", "\x1c\x1d sep", "(x)", ".(x)", "İstanbul", "ﬁne ½",
]


def _random_texts(n: int) -> list[str]:
    import random

    rnd = random.Random(20261202)
    alphabet = list(".!?。)(\n \t'\"”»]aZ1é中٣ⅷ\u00a0…_-🙂")
    return [''.join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(20000)]


def test_string_code_gives_what_the_re2_patterns_give():
    from cleaner import textre

    words = textre.compile(f"{textre.W}+")
    punct = textre.compile(f"[^{textre.WORD}{textre.SPACE}]")
    wide = textre.compile(r"[\x{1100}-\x{11ff}\x{2e80}-\x{9fff}\x{ac00}-\x{d7af}\x{f900}-\x{faff}]")
    terminal = textre.compile(r"[.!?。！？…]['\"”’»)\]]*\n?$|[.!?。！？…]" + textre.S + r"*\(.{0,40}\)\n?$")
    letter = textre.compile(textre.LETTER)
    for text in _SAMPLES + _random_texts(20000):
        assert textre.words(text) == words.findall(text), text
        assert textre.punctuation(text) == "".join(punct.findall(text)), text
        assert textre.count_wide(text) == len(wide.findall(text)), text
        assert textre.terminal_end(text) == (terminal.search(text) is not None), text
        assert textre.has_letter(text) == (letter.search(text) is not None), text


def test_string_code_over_every_assigned_code_point():
    from cleaner import textre

    words, letter = textre.compile(f"{textre.W}+"), textre.compile(textre.LETTER)
    assigned = [chr(cp) for cp in range(0x110000)
                if not 0xD800 <= cp <= 0xDFFF and unicodedata.category(chr(cp)) != "Cn"]
    for k in range(0, len(assigned), 2048):
        text = " x".join(assigned[k:k + 2048])
        assert textre.words(text) == words.findall(text), k
    for ch in assigned[::7]:
        assert textre.has_letter(ch) == (letter.search(ch) is not None), hex(ord(ch))


def test_translate_tables_stay_bounded():
    from cleaner import textre

    text = "".join(chr(cp) for cp in range(0x20000, 0x20000 + 3 * textre.TABLE_LIMIT))
    assert textre.count_wide(text) == 0
    assert textre.words(text) == re.findall(r"\w+", text)  # Python's \w is the definition
    assert len(textre._SEPARATE) <= textre.TABLE_LIMIT and len(textre._NOT_WIDE) <= textre.TABLE_LIMIT

