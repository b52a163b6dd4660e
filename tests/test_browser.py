"""The dashboard app in a real browser: Voila serves notebooks/02_strategy_comparison.ipynb (as
`make dashboard` does), Chromium opens it, a slider is moved with the keyboard, the numbers shown
change and no error or traceback appears. Saves a screenshot to out/dashboard.png.

Needs Debian's Chromium at /usr/bin/chromium (Playwright cannot download its own browser here).
Every wait is bounded by a timeout; Voila (and the kernels it started) is stopped at the end.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.present.report import OUT_DIR, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NOTEBOOK = ROOT / "notebooks" / "02_strategy_comparison.ipynb"
START_TIMEOUT = 60        # s for Voila to accept connections
PAGE_TIMEOUT = 300        # s for Voila to execute the notebook and send the page
UPDATE_TIMEOUT = 120      # s for the table to change after the slider moves
SETTLE = 3.0              # s the table must stay unchanged to count as settled

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with code {proc.returncode} before serving")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"voila did not listen on 127.0.0.1:{port} within {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    """Stop Voila and the kernels it started (its own process group, started by this test)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)          # leftovers of the group this test created
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture()
def voila_url(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    voila = Path(sys.executable).parent / "voila"
    if not voila.exists():
        voila = shutil.which("voila")
        if voila is None:
            pytest.skip("voila is not installed in this environment")
    port = _free_port()
    log = open(tmp_path / "voila.log", "w")
    proc = subprocess.Popen([str(voila), str(NOTEBOOK.relative_to(ROOT)), "--no-browser", f"--port={port}",
                             "--Voila.ip=127.0.0.1"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        _wait_port(port, proc, START_TIMEOUT)
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(proc)
        log.close()
        tail = (tmp_path / "voila.log").read_text(errors="replace")[-3000:]
        print("voila log (tail):\n" + tail)


def test_dashboard_slider_changes_the_numbers(voila_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                    timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(voila_url, timeout=PAGE_TIMEOUT * 1000, wait_until="domcontentloaded")
            page.wait_for_selector(".siyu-table", timeout=PAGE_TIMEOUT * 1000)
            table = page.locator(".siyu-table")
            before = table.inner_text()
            slider = page.locator(".widget-slider", has_text="Messages per week")
            readout_before = slider.locator(".widget-readout").inner_text()

            handle = slider.locator(".noUi-handle")
            handle.focus()
            for _ in range(4):
                page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "(b) => { const t = document.querySelector('.siyu-table'); return t && t.innerText !== b; }",
                arg=before, timeout=UPDATE_TIMEOUT * 1000)
            # let the queued reruns finish: the table must stay the same for SETTLE seconds
            end = time.monotonic() + UPDATE_TIMEOUT
            last, since = table.inner_text(), time.monotonic()
            while time.monotonic() - since < SETTLE:
                assert time.monotonic() < end, "the table kept changing"
                time.sleep(0.5)
                now = table.inner_text()
                if now != last:
                    last, since = now, time.monotonic()

            after = table.inner_text()
            readout_after = slider.locator(".widget-readout").inner_text()
            assert float(readout_after) > float(readout_before)
            rows_before = [r.split("\t") for r in before.splitlines()]
            rows_after = [r.split("\t") for r in after.splitlines()]
            ltv_before = next(r for r in rows_before if r[0].startswith("LTV"))
            ltv_after = next(r for r in rows_after if r[0].startswith("LTV"))
            assert ltv_after[1:3] == ltv_before[1:3], "the reference strategies must not change"
            assert ltv_after[3] != ltv_before[3], "'your settings' LTV did not change"

            body = page.locator("body").inner_text()
            for bad in ("Traceback", "Error:", "refused by the model"):
                assert bad not in body, f"the page shows {bad!r}"
            assert page.locator(".siyu-refused").count() == 0
            assert "Ran 1 seed" in page.locator(".siyu-status").inner_text()

            OUT_DIR.mkdir(parents=True, exist_ok=True)
            page.locator(".siyu-dashboard").scroll_into_view_if_needed()
            page.screenshot(path=str(OUT_DIR / "dashboard.png"), full_page=False)
            assert (OUT_DIR / "dashboard.png").stat().st_size > 10_000
        finally:
            browser.close()
