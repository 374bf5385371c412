"""The time budget holds for the slowest inputs we can build (issue 10, item 1), against the real
gunicorn with CLEANER_TIMEOUT_S=1: each gets a typed answer (422 deadline-exceeded, 413 over a
cap, or 200) within 2x the budget, while a normal request sent beside it answers in under 1 s.
The line cap is raised on this server so that the long-line input reaches the stages (and the
dateline pattern that used to backtrack); the caps themselves, and the HTML scan that counts
them as lxml's tokenizer reads tags, are tested in-process below. The HTML inputs include the
slowest pages within the caps that benchmarks/bench_parse_caps.py builds."""

from __future__ import annotations

import signal
import threading
import time

import pytest
from _service import assert_problem, start_server
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import clean
from cleaner.config import Settings
from cleaner.errors import DeadlineExceeded, InputTooLarge
from cleaner.limits import HtmlCaps, check_html, check_text
from cleaner.watchdog import GRACE_S

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]

BUDGET = 1.0
TEXT, HTML = {"Content-Type": "text/plain"}, {"Content-Type": "text/html"}
STORY = "A headline\n\nThe council voted on Tuesday to repair the old bridge before winter comes.\n\nMore."


def _names(n: int, value: str | None = None) -> str:
    return " ".join(f'a{i}="{value}"' if value is not None else f"a{i}" for i in range(n))


def _spaces(n: int) -> str:
    return ("Council votes to repair the old bridge\n\nA" + " " * n
            + "council votes bridge repair plan for the town.\n\n"
            + "The council voted on Tuesday to repair the old bridge before winter comes.\n\n" * 3)


SLOW = [
    ("issue-long-run-of-spaces", _spaces(110_000), TEXT),
    ("a-million-spaces", _spaces(1_000_000), TEXT),
    ("issue-90k-attributes", "<p " + " ".join(f'a{i}="v{i}"' for i in range(90_000)) + ">A sentence.</p>",
     HTML),
    ("90k-bare-attributes", "<p " + " ".join(f"a{i}" for i in range(90_000)) + ">A sentence.</p>", HTML),
    ("100k-one-word-lines", "a\n" * 100_000, TEXT),
    ("60k-paragraphs", "\n\n".join(f"Paragraph {i}: the council met about road {i % 89} and voted."
                                   for i in range(60_000)), TEXT),
    ("60k-table-rows", "<table>" + "<tr><td>a</td><td>b</td></tr>" * 60_000 + "</table>", HTML),
    ("30k-nested-divs", "<div>" * 30_000 + "text" + "</div>" * 30_000, HTML),
    ("150k-empty-spans", "<p>" + "<span></span>" * 150_000 + "</p>", HTML),
    ("900-attributes-each", "".join("<p " + " ".join(f'a{i}="v"' for i in range(900)) + ">x</p>"
                                    for _ in range(30)), HTML),
    ("many-dateline-openings", "\n\n".join("LONDON " * 2000 + "- the story." for _ in range(40)), TEXT),
    # The slowest pages within the HTML caps (benchmarks/bench_parse_caps.py), and past them.
    ("250-tags-of-1000-quoted-attributes", "".join(f"<p {_names(1000, 'v')}>x</p>" for _ in range(250)),
     HTML),
    ("1000-attributes-then-empty-elements", "".join(f"<p {_names(1000)}>x</p>" for _ in range(250))
     + "<p></p>" * 249_000, HTML),
    ("entities-in-attribute-values", "".join(f"<p {_names(1000, '&amp;' * 8)}>x</p>" for _ in range(200)),
     HTML),
    ("quoted-gt-then-90k-attributes", '<p title=">" ' + _names(90_000) + ">A sentence.</p>", HTML),
    ("250k-links", '<a href="x"></a>' * 249_990, HTML),
    ("250k-table-cells", "<table>" + "<tr><td>a</td><td>b</td></tr>" * 83_000 + "</table>", HTML),
    ("10-MiB-of-empty-comments", "<!---->" * 1_400_000, HTML),
    ("script-escapes", "<script><!--<script></script>x</script>" * 240_000, HTML),
    ("10-MiB-of-less-than-signs", "<p>" + "< " * 5_000_000, HTML),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("budget"), env={
        "CLEANER_TIMEOUT_S": str(BUDGET), "CLEANER_MAX_LINE_CHARS": "2000000"})
    yield srv
    srv.stop(signal.SIGINT)


@pytest.mark.parametrize(("body", "headers"), [c[1:] for c in SLOW], ids=[c[0] for c in SLOW])
def test_slow_input_answers_within_twice_the_budget(server, body, headers):
    beside: list[float] = []

    def normal():
        time.sleep(0.3)
        t0 = time.monotonic()
        resp = server.request("POST", "/v1/clean?explain=false", STORY, TEXT, timeout=10)
        beside.append(time.monotonic() - t0 if resp.status == 200 else 99.0)

    t = threading.Thread(target=normal)
    t.start()
    t0 = time.monotonic()
    resp = server.request("POST", "/v1/clean?explain=false", body, headers, timeout=60)
    took = time.monotonic() - t0
    t.join(15)
    if resp.status != 200:
        assert resp.status in (413, 422), resp.body[:300]
        assert_problem(resp, resp.status)
    assert took < 2 * BUDGET + 0.5, f"{took:.2f} s"  # + upload and answer on a shared 2-core box
    assert beside and beside[0] < 1.0, beside


def test_caps_refuse_whole_documents_in_process():
    s = Settings()
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_LINE_CHARS"):
        check_text(_spaces(1_000_001), s)
    check_text(_spaces(900_000), s)
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_ATTRIBUTES"):
        check_html("<p " + " ".join(f"a{i}" for i in range(1001)) + ">x", s)
    check_html("<p " + " ".join(f'a{i}="v w x y z"' for i in range(1000)) + ">x", s)
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_DEPTH"):
        check_html("<div>" * 20_001, s)
    check_html("<div>" * 20_000 + "<br>" * 5000 + "<img src=x/>" * 5000, s)
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_ELEMENTS"):
        check_html("<p></p>" * 250_001, s)
    check_html("<p></p>" * 250_000, s)
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_TOTAL_ATTRIBUTES"):
        check_html('<p a="1" b="2">x</p>' * 125_001, s)
    assert check_html('<p a="1" b="2">x</p>' * 125_000, s).attributes == 250_000
    with pytest.raises(InputTooLarge):
        check_html(("<div>" * 20_001).encode("utf-8"), s)
    assert Settings.from_env({"CLEANER_MAX_DEPTH": "5"}).max_depth == 5
    assert Settings.from_env({"CLEANER_MAX_TOTAL_ATTRIBUTES": "10"}).max_total_attributes == 10


def _lxml_attributes(page: str) -> int:
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
    tree = lxml_html.document_fromstring(page, parser=parser)
    return sum(len(e.attrib) for e in tree.iter() if isinstance(e.tag, str))


def _count(page: str) -> int:
    big = 10**9
    return HtmlCaps(page, Settings(max_attributes=big, max_total_attributes=big, max_depth=big,
                                   max_elements=big)).scan().attributes


def test_a_quoted_gt_does_not_hide_attributes_from_the_cap():
    """The old scan ended a tag at any ">", so a quoted one hid what followed from the count."""
    s, many = Settings(), _names(1001)
    for page in (f'<p title=">" {many}>x', f"<p title='>' {many}>x", f'<p a = "x>y" {many}>x',
                 f'<p a="<" {many}>x', f'<p a="x" b=\'>\' {many}>x'):
        assert _lxml_attributes(page) > 1001
        with pytest.raises(InputTooLarge, match="CLEANER_MAX_ATTRIBUTES"):
            check_html(page, s)
    with pytest.raises(InputTooLarge, match="CLEANER_MAX_ATTRIBUTES"):  # read (and counted) on end tags too
        check_html(f'<p>x</p a=">" {many}>', s)


def test_a_quote_that_opens_no_value_hides_nothing():
    """A quote opens a value only right after an attribute's "=": elsewhere it is part of a name
    or of an unquoted value, and the tag ends at the first ">"."""
    s, many = Settings(), _names(1001)
    for page in (f'<p x" {many} ">x', f'<p a=b"c {many} ">x', f'<p ="x {many} ">x',
                 f'<p a "x {many} ">x', f'<p a/"x {many} ">x'):
        assert _lxml_attributes(page) > 1001, page[:20]
        with pytest.raises(InputTooLarge, match="CLEANER_MAX_ATTRIBUTES"):
            check_html(page, s)
    assert _count('<p a="x>y" b c>') == _lxml_attributes('<p a="x>y" b c>') == 3
    assert _count('<p a"b c>') == _lxml_attributes('<p a"b c>') == 2


def test_script_style_and_comment_text_is_not_markup_as_lxml_reads_it():
    s, many = Settings(), _names(1001)
    for page in (f"<script>var t = '<p {many}>';</script><p>x</p>", f"<!-- <p {many}> --><p>x</p>",
                 f"<style>/* <p {many}> */</style>", f"<textarea><p {many}></textarea>",
                 f"<title><p {many}></title>", f"<script><!--<script></script><p {many}></script>",
                 '<script>"</script><p a="x">y</p>', "<SCRIPT>x</Script ><p a1>"):
        assert _lxml_attributes(page) == _count(page) <= 1, page[:40]
        check_html(page, s)
    # ...but a self-closed script has no text, and the first `</script>` after a plain `<!--` ends it
    for page in (f"<script/><p {many}>", f"<script><!--</script><p {many}>", f"<!--> <p {many}>",
                 f"<noscript><p {many}></noscript>"):
        assert _lxml_attributes(page) == 1001, page[:30]
        with pytest.raises(InputTooLarge, match="CLEANER_MAX_ATTRIBUTES"):
            check_html(page, s)


TOKENS = ["a", "b", "=", '"', "'", " ", "\t", "/", ">", "<", '="v"', "='v'", '="v>w"', "='<p a b>'", " = ",
          '"x"', "<p ", "</p ", "<!--", "-->", "--!>", "<script>", "</script>", "<script ", "</SCRIPT ",
          "<style>", "</style>", "<title>", "</title>", "<!", "<?", "</", "<br/", "/>", "<![CDATA[", "]]>",
          "<plaintext/>", "<noscript>", "<xmp>", "</xmp>", "&amp;", "\x0b", "é"]


@settings(max_examples=600, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_the_scan_never_counts_fewer_attributes_than_lxml(parts):
    names = iter(range(10**6))
    page = "<html><body>" + "".join(f"{p}{next(names)}" if p in ("a", "b") else p for p in parts) + "x"
    try:
        parsed = _lxml_attributes(page)
    except ValueError:  # lxml refuses control characters in a str (the page goes to the tokenizer)
        return
    assert _count(page) >= parsed


def test_the_scan_is_linear():
    """Shapes that made an earlier draft of the scan quadratic: each stretch is searched once."""
    def took(page: str) -> float:
        best = 9.0
        for _ in range(2):
            t0 = time.perf_counter()
            _count(page)
            best = min(best, time.perf_counter() - t0)
        return best

    for unit in ("<script><!--<script></script>x</script>", '<p a="x" b="y">', "<!---->",
                 "<p a=\"x\" b='y'>", "<p a=\"'\">", "<p a b c>"):
        small, big = took(unit * 20_000), took(unit * 80_000)
        assert big < 10 * small + 0.05, (unit, small, big)


def test_lxml_does_not_start_when_its_expected_time_does_not_fit(ruleset):
    """The scan of 200 tags of 1,000 bare attributes is quick; their parse is not (about 0.4 s
    expected): with a 0.3 s budget the page stops before lxml, well inside the budget."""
    page = "".join(f"<p {_names(1000)}>x</p>" for _ in range(200))
    t0 = time.monotonic()
    with pytest.raises(DeadlineExceeded, match="parsing them would take longer"):
        clean(html=page, ruleset=ruleset, settings=Settings(timeout_s=0.3))
    assert time.monotonic() - t0 < 0.3 + 0.2


def test_the_watchdog_leaves_a_thread_alone_once_its_guard_is_gone():
    """One of the watchdog's repeated exceptions can land as the guard is being left (at the
    entry of its `__exit__`, before the watch is stopped): seen on big pages, whose unwinding
    outlasts the 50 ms between repeats. Once the function that entered the guard is gone, the
    watchdog must not fire at its thread again (it used to, every 50 ms, for ever)."""
    from cleaner.core.pipeline import Deadline
    from cleaner.watchdog import guard

    kept = []  # the guard stays referenced, as by the traceback of the exception that escaped

    def enter_and_never_exit() -> None:  # as when __exit__ is interrupted before it runs
        g = guard(Deadline(0.01))
        kept.append(g)
        g.__enter__()

    # The one exception allowed may land at any bytecode after the guard is entered: every one
    # of them runs inside the `try` (the loop's condition too), so it is counted, not raised.
    hits, entered, end = 0, False, time.monotonic() + 0.4 + GRACE_S
    while True:
        try:
            if not entered:
                entered = True
                enter_and_never_exit()
            if time.monotonic() >= end:
                break
            sum(range(1000))
        except DeadlineExceeded:
            hits += 1
    assert hits <= 1, hits  # at most the first one, fired before the thread was seen to leave
    kept.clear()


def test_the_watchdog_stops_a_loop_that_never_checks_soon_after_the_grace():
    """A Python loop that never looks at its deadline is ended by the watchdog, after the budget
    and its short grace, and well before it would have ended on its own."""
    from cleaner.core.pipeline import Deadline
    from cleaner.watchdog import guard

    t0 = time.monotonic()
    with pytest.raises(DeadlineExceeded, match=r"0\.1 s budget"), guard(Deadline(0.1)):
        while time.monotonic() - t0 < 10:
            sum(range(100))
    took = time.monotonic() - t0
    assert 0.1 + GRACE_S <= took < 0.1 + GRACE_S + 1.0, took


def test_a_stage_check_inside_the_grace_wins_over_the_watchdog():
    """A stage that checks its deadline soon after the budget ends the work itself, with its own
    message: the watchdog's bare exception (which can land anywhere, a finalizer too) stays away."""
    from cleaner.core.pipeline import Deadline
    from cleaner.watchdog import guard

    deadline = Deadline(0.05)
    with pytest.raises(DeadlineExceeded) as info, guard(deadline):
        while True:
            time.sleep(0.01)
            deadline.check("the test's step")
    assert info.value.args and "test's step" in str(info.value), info.value.args
