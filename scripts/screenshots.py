"""Screenshots of the playground at 1280 and 390 px wide, with the seed cleaned.

    .venv/bin/python scripts/screenshots.py                  # starts gunicorn, writes docs/screenshots/
    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --out /tmp/shots

Drives the system's headless Chromium (Debian's `chromium` and `chromium-driver`) through
Selenium with the driver at /usr/bin/chromedriver: nothing is downloaded (Selenium Manager
does not run when the driver path is given). The browser tests use `chrome()` and `take()`
from here, so the committed screenshots and the tested ones come from the same code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_11e950c0d58bd2da.txt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTHS = (1280, 390)
MAX_HEIGHT = 5200
PHONE_HEIGHT = 1800
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
)


def browser_present() -> bool:
    return CHROMIUM.is_file() and CHROMEDRIVER.exists()


def chrome(width: int = 1280, height: int = 900, profile: Path | None = None, downloads: Path | None = None):
    """A headless Chromium session on the system's browser and driver, with a fresh profile
    (and downloads saved to `downloads`, when given). `close()` quits it and removes the profile."""
    os.environ["SE_OFFLINE"] = "true"  # belt and braces: Selenium Manager must never fetch
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    profile = profile or Path(tempfile.mkdtemp(prefix="cleaner-chromium-"))
    if downloads is not None:
        opts.add_experimental_option("prefs", {
            "download.default_directory": str(downloads), "download.prompt_for_download": False,
        })
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    driver._cleaner_profile = profile  # type: ignore[attr-defined]
    return driver


def close(driver) -> None:
    profile = getattr(driver, "_cleaner_profile", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def paste_and_clean(driver, base: str, text: str, url: str = "", wait_s: float = 30) -> None:
    """Open the playground, put `text` in the input box, press Clean, wait for an outcome."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + "/")
    wait = WebDriverWait(driver, wait_s)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#rules .rule-file")))
    box = driver.find_element(By.ID, "source")
    # Typing 6 kB key by key is slow: set the value as a paste would, then tell the page.
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", box, text)
    if url:
        driver.find_element(By.ID, "url").send_keys(url)
    driver.find_element(By.ID, "clean").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#blocks .blk")
               or d.find_element(By.ID, "error").is_displayed())


def take(driver, base: str, out: Path, widths: tuple[int, ...] = WIDTHS) -> list[Path]:
    """Screenshots of the seed in the playground: per width the page (`playground-<width>.png`,
    with the removed duplicate line focused so its rule shows), and at a phone's width the
    result pane on its own (`playground-<width>-article.png`)."""
    from selenium.webdriver.common.by import By

    out.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    paths = []
    for width in widths:
        driver.set_window_size(width, 900)
        paste_and_clean(driver, base, text, url="https://www.example.com/news/2015/01/canada-isil")
        height = int(driver.execute_script("return document.documentElement.scrollHeight"))
        phone = width < 600
        driver.set_window_size(width, min(height + 140, PHONE_HEIGHT if phone else MAX_HEIGHT))
        driver.execute_script("window.scrollTo(0, 0)")
        driver.execute_script("document.querySelector('#blocks .blk.removed').focus({preventScroll: true})")
        time.sleep(0.3)
        path = out / f"playground-{width}.png"
        driver.save_screenshot(str(path))
        paths.append(path)
        if phone:
            driver.set_window_size(width, min(height + 140, MAX_HEIGHT))
            driver.execute_script("document.activeElement.blur()")
            pane = driver.find_element(By.CSS_SELECTOR, "#results .pane:last-child")
            driver.execute_script("arguments[0].scrollIntoView()", pane)
            time.sleep(0.3)
            path = out / f"playground-{width}-article.png"
            pane.screenshot(str(path))
            paths.append(path)
    driver.set_window_size(1280, 900)
    return paths


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen(["gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not get ready")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", help="a running service (default: start gunicorn on a free loopback port)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    args = ap.parse_args(argv)
    if not browser_present():
        print(f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)",
              file=sys.stderr)
        return 2
    proc, base = (None, args.base.rstrip("/")) if args.base else _serve()
    driver = chrome()
    try:
        for path in take(driver, base, args.out):
            print(path)
    finally:
        close(driver)
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
