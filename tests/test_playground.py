"""The playground in a real browser: headless Chromium (Debian's chromium + chromium-driver,
driven by Selenium through /usr/bin/chromedriver) against the real gunicorn on loopback.

One browser session and two servers (the default cap, and a small CLEANER_MAX_BYTES for the
oversized-input problem) serve the whole module. Without the browser the module skips, unless
CI is set: there it must run.
"""

from __future__ import annotations

import json
import os
import struct
import time
from pathlib import Path

import pytest
from _service import ROOT, SEED, start_server
from conftest import load_script

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

shots = load_script("screenshots")
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SMALL_CAP = 3000

if not shots.browser_present() and not os.environ.get("CI"):
    pytest.skip(f"needs {shots.CHROMIUM} and {shots.CHROMEDRIVER} (apt-get install chromium chromium-driver; "
                "scripts/check.sh installs them)", allow_module_level=True)

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("play")
    big = start_server(tmp, workers=1, env={"CLEANER_METRICS_DIR": str(tmp / "m1")})
    small = start_server(tmp, workers=1, env={"CLEANER_METRICS_DIR": str(tmp / "m2"),
                                              "CLEANER_MAX_BYTES": str(SMALL_CAP)})
    yield big, small
    for srv in (big, small):
        assert srv.stop() == 0, srv.log()
        assert "Traceback" not in srv.log(), srv.log()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(downloads):
    assert shots.browser_present(), f"CI is set but {shots.CHROMIUM} / {shots.CHROMEDRIVER} are missing"
    drv = shots.chrome(downloads=downloads)
    # The system's driver and browser, named explicitly: Selenium Manager had nothing to look up.
    assert drv.service.path == str(shots.CHROMEDRIVER)
    assert drv.capabilities["browserName"] == "chrome" and drv.capabilities["browserVersion"]
    yield drv
    shots.close(drv)


@pytest.fixture(scope="module")
def seeded(driver, servers):
    """The playground with the seed cleaned (tests that change the page reload it after)."""
    big, _ = servers
    shots.paste_and_clean(driver, big.base, SEED.read_text(encoding="utf-8"))
    return driver


def _blocks(driver, role):
    return driver.find_elements(By.CSS_SELECTOR, f"#blocks .blk[data-role={role}]")


def test_the_seed_marks_caption_credit_source_and_three_related_items(seeded, servers):
    driver = seeded
    # The page's own files load under its policy: nothing refused, nothing failed.
    assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    expected = json.loads(SEED.with_name(SEED.stem + ".expected.json").read_text(encoding="utf-8"))
    [caption] = _blocks(driver, "caption")
    assert expected["captions"][0]["text"] in caption.text
    assert caption.get_attribute("data-lines") == "6-6"
    assert caption.find_element(By.CSS_SELECTOR, "mark.credit").text == "Reuters"
    [source] = _blocks(driver, "source")
    assert source.get_attribute("data-lines") == "46-46" and "SOURCE: Agencies" in source.text
    items = driver.find_elements(By.CSS_SELECTOR, "#blocks .related-item")
    assert len(items) == 3
    for item, want in zip(items, expected["related"], strict=True):
        texts = " ".join(b.text for b in item.find_elements(By.CSS_SELECTOR, ".blk[data-role=related]"))
        assert want["title"] in texts and want["summary"] in texts
    [heading] = _blocks(driver, "heading")
    assert "'Behind front lines'" in heading.text
    assert len(_blocks(driver, "title")) == 1 and len(_blocks(driver, "duplicate")) == 1
    big, _ = servers
    api = big.request("POST", "/v1/clean", SEED.read_bytes(), {"Content-Type": "text/plain"}).json()
    n_related = sum(b["role"] == "related" for b in api["blocks"])
    assert len(driver.find_elements(By.CSS_SELECTOR, "#blocks .related-item .blk")) == n_related
    legend = driver.find_element(By.ID, "legend").text.splitlines()
    for word in ("title 1", "caption 1", "credit 1", "source 1", f"related {n_related}", "duplicate 1"):
        assert word in legend, legend
    # The article as a reader sees it.
    art = driver.find_element(By.ID, "view-article")
    assert art.find_element(By.CSS_SELECTOR, "h3").text == expected["title"]
    assert expected["captions"][0]["text"] in art.find_element(By.CSS_SELECTOR, "figcaption").text
    assert art.find_element(By.CSS_SELECTOR, ".a-source").text == "Source: Agencies"
    assert len(art.find_elements(By.CSS_SELECTOR, ".a-related-list > li")) == 3
    assert len(art.find_elements(By.CSS_SELECTOR, "p:not([class])")) == len(expected["body"]) - 1
    assert art.find_element(By.CSS_SELECTOR, "h4").text == "'Behind front lines'"


def test_focusing_a_removed_line_reads_its_rule(seeded):
    driver = seeded
    [standfirst] = _blocks(driver, "standfirst")
    [removed] = _blocks(driver, "duplicate")
    tip = driver.find_element(By.ID, removed.get_attribute("aria-describedby"))
    assert not tip.is_displayed()
    driver.execute_script("arguments[0].focus()", standfirst)
    ActionChains(driver).send_keys(Keys.TAB).perform()  # the keyboard moves to the next block
    assert driver.switch_to.active_element == removed
    assert tip.is_displayed()
    assert "context.repeated_title" in tip.text and "repeats the title" in tip.text
    assert tip.get_attribute("role") == "tooltip"
    # Hover shows a kept block's rule too.
    [caption] = _blocks(driver, "caption")
    cap_tip = driver.find_element(By.ID, caption.get_attribute("aria-describedby"))
    driver.execute_script("document.activeElement.blur()")
    ActionChains(driver).move_to_element(caption).perform()
    assert cap_tip.is_displayed() and "captions.bracketed_credit" in cap_tip.text
    ActionChains(driver).move_by_offset(0, -400).perform()


def test_the_switches_show_json_text_and_markdown_from_the_api(seeded, servers):
    driver = seeded
    big, _ = servers
    body = SEED.read_bytes()
    text = big.request("POST", "/v1/clean?format=text", body, {"Content-Type": "text/plain"}).body.decode()
    markdown = big.request("POST", "/v1/clean?format=markdown", body,
                           {"Content-Type": "text/plain"}).body.decode()
    driver.find_element(By.ID, "tab-json").click()
    shown = driver.find_element(By.ID, "view-json")
    assert shown.is_displayed() and not driver.find_element(By.ID, "view-article").is_displayed()
    assert json.loads(shown.get_attribute("textContent"))["source"] == "Agencies"
    # Arrow keys move between the switches.
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    assert driver.switch_to.active_element.get_attribute("id") == "tab-text"
    assert driver.find_element(By.ID, "view-text").get_attribute("textContent") == text
    driver.find_element(By.ID, "tab-markdown").click()
    assert driver.find_element(By.ID, "view-markdown").get_attribute("textContent") == markdown
    driver.find_element(By.ID, "tab-article").click()


def test_copy_and_download_each_view(seeded, downloads):
    driver = seeded
    for view, name in (("markdown", "article.md"), ("json", "article.json"), ("article", "article.html")):
        driver.find_element(By.ID, f"tab-{view}").click()
        driver.find_element(By.ID, "download").click()
        path = downloads / name
        WebDriverWait(driver, 10).until(lambda d, p=path: p.is_file() and p.stat().st_size > 0)
        time.sleep(0.2)
        saved = path.read_text(encoding="utf-8")
        if view == "json":
            assert json.loads(saved)["title"] == "Canadian soldiers clash with ISIL in Iraq"
        elif view == "markdown":
            assert saved == driver.find_element(By.ID, "view-markdown").get_attribute("textContent")
        else:
            assert saved.startswith("<!doctype html>") and "<figcaption>" in saved and "<script" not in saved
    driver.find_element(By.ID, "tab-text").click()
    driver.find_element(By.ID, "copy").click()
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "tool-note").text)
    assert driver.find_element(By.ID, "tool-note").text == "Copied."
    driver.find_element(By.ID, "tab-article").click()


def test_the_rules_are_listed_and_searchable(seeded, servers):
    driver = seeded
    big, _ = servers
    rules = big.request("GET", "/v1/rules").json()
    items = driver.find_elements(By.CSS_SELECTOR, "#rules li")
    assert len(items) == rules["rule_count"] > 0
    assert driver.find_element(By.ID, "rule-count").text == f"({rules['rule_count']})"
    search = driver.find_element(By.ID, "rule-search")
    search.send_keys("by_author")
    assert [li.text for li in items if li.is_displayed()] == ["bylines.by_author"]
    search.clear()
    search.send_keys("credit")  # a rule's id, or its file's name or description
    want = [r for f in rules["files"] for r in f["rules"]
            if "credit" in r or "credit" in f"{f['file']} {f.get('description', '')}".lower()]
    shown = [li.text for li in items if li.is_displayed()]
    assert shown == want and 0 < len(shown) < len(items)
    assert driver.find_element(By.ID, "rule-note").text == f"{len(want)} of {len(items)} rules match."
    search.clear()
    search.send_keys("zzzz-no-such-rule")
    assert not any(li.is_displayed() for li in items)
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.BACKSPACE)
    assert driver.find_element(By.ID, "rule-note").text == ""
    assert all(li.is_displayed() for li in items)


def test_an_oversized_input_shows_the_problem_detail(driver, servers):
    _, small = servers
    text = SEED.read_text(encoding="utf-8")
    body = json.dumps({"text": text}, ensure_ascii=False, separators=(",", ":"))  # as JSON.stringify
    direct = small.request("POST", "/v1/clean", body, {"Content-Type": "application/json"})
    assert direct.status == 413
    shots.paste_and_clean(driver, small.base, text)
    error = driver.find_element(By.ID, "error")
    assert error.is_displayed() and error.get_attribute("role") == "alert"
    assert direct.json()["detail"] == error.find_element(By.CSS_SELECTOR, ".detail").text
    assert "(413)" in error.text and str(SMALL_CAP) in error.text
    assert not driver.find_element(By.ID, "results").is_displayed()


def test_nothing_in_a_pasted_page_runs(driver, servers):
    big, _ = servers
    hostile = ("<html><head><title>Hostile page</title><script>window.__ran = 'script'</script></head><body>"
               "<h1>Hostile page</h1><img src=x onerror=\"window.__ran = 'img'\">"
               "<p>A paragraph of the story says <b onmouseover=\"window.__ran='b'\">what</b> happened, and "
               "&lt;img src=y onerror=window.__ran=1&gt; is written in it as text, to be shown as text.</p>"
               "<p>" + "Another paragraph of the story tells the readers more about it. " * 4 + "</p>"
               "</body></html>")
    shots.paste_and_clean(driver, big.base, hostile)
    assert "input html" in driver.find_element(By.ID, "status").text
    results = driver.find_element(By.ID, "results")
    assert not results.find_elements(By.CSS_SELECTOR, "img, script, b, [onerror], [onmouseover]")
    assert "<img src=y onerror=window.__ran=1>" in results.text
    for block in driver.find_elements(By.CSS_SELECTOR, "#blocks .blk"):
        ActionChains(driver).move_to_element(block).perform()
    assert driver.execute_script("return window.__ran === undefined")
    # And a text input that is markup is shown as the characters it is (Ctrl+Enter cleans).
    driver.find_element(By.CSS_SELECTOR, "input[name=kind][value=text]").click()
    driver.find_element(By.ID, "source").send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(driver, 20).until(lambda d: "input text" in d.find_element(By.ID, "status").text)
    assert "<script>window.__ran = 'script'</script>" in driver.find_element(By.ID, "blocks").text
    assert driver.execute_script("return window.__ran === undefined")


def test_a_dropped_file_is_sent_as_it_is(driver, servers):
    big, _ = servers
    driver.get(big.base + "/")
    story = "The council voted on Tuesday to repair the old bridge before winter comes. " * 3
    driver.execute_script("""
        const dt = new DataTransfer();
        dt.items.add(new File([arguments[0]], 'story.html', {type: 'text/html'}));
        const drop = new DragEvent('drop', {dataTransfer: dt, bubbles: true});
        document.getElementById('drop').dispatchEvent(drop);
    """, "<html><head><title>Dropped story</title></head><body><h1>Dropped story</h1><p>"
         + story + "</p></body></html>")
    WebDriverWait(driver, 10).until(lambda d: "story.html" in d.find_element(By.ID, "file-note").text)
    driver.find_element(By.ID, "url").send_keys("https://example.com/dropped")
    driver.find_element(By.ID, "clean").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#blocks .blk"))
    assert "input html" in driver.find_element(By.ID, "status").text
    assert driver.find_element(By.CSS_SELECTOR, "#view-article h3").text == "Dropped story"


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_serious(driver, servers, width):
    big, _ = servers
    driver.set_window_size(width, 900)
    try:
        shots.paste_and_clean(driver, big.base, SEED.read_text(encoding="utf-8"))
        driver.execute_script(AXE.read_text(encoding="utf-8"))
        report = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done(r), e => done({error: String(e)}));")
    finally:
        driver.set_window_size(1280, 900)
    assert "error" not in report, report
    assert report["testEngine"]["version"]
    assert report["passes"] is not None
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in report["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_the_screenshot_script_makes_both_widths(driver, servers, tmp_path):
    big, _ = servers
    paths = shots.take(driver, big.base, tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["playground-1280.png", "playground-390-article.png", "playground-390.png"]
    assert _png_size(tmp_path / "playground-1280.png")[0] == 1280
    assert _png_size(tmp_path / "playground-390.png")[0] == 390
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert (ROOT / "docs" / "screenshots" / name).is_file(), f"commit docs/screenshots/{name}"
        assert f"docs/screenshots/{name}" in readme
