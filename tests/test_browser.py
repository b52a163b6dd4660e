"""The dashboard app in a real browser: Voila serves notebooks/02_strategy_comparison.ipynb (as
`make dashboard` does, with idle kernels culled), in English and in Chinese (SIYU_LANG, as `make dashboard
DASH_LANG=zh` sets it); Chromium opens it in a 1280 x 800 window: the first table (the still of the page Voila
sends with it) appears within FIRST_TABLE_LIMIT on a warm cache and the live dashboard within LIVE_LIMIT, the still
then hidden; without JavaScript the still shows the table in the page's language; the sliders and the table read in the page's language (in Chinese: no
English figure name), a slider moved with the keyboard changes the table and the charts, the table and its
last column (the change against the starting strategy) are inside the window, no error or traceback appears,
and closing the page frees its kernel within the cull time. Saves a screenshot to out/dashboard_LANG.png.

Needs Debian's Chromium at /usr/bin/chromium (Playwright cannot download its own browser here).
Every wait is bounded by a timeout; Voila (and the kernels it started) is stopped at the end.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.present import plots
from sim.present.labels import LABELS, has_cjk
from sim.present.report import OUT_DIR, ROOT
from sim.present.serve import template_env, voila_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NOTEBOOK = ROOT / "notebooks" / "02_strategy_comparison.ipynb"
START_TIMEOUT = 60        # s for Voila to accept connections
PAGE_TIMEOUT = 300        # s for Voila to execute the notebook and send the page
UPDATE_TIMEOUT = 120      # s for the table to change after the slider moves
SETTLE = 3.0              # s the table must stay unchanged to count as settled
VIEWPORT = {"width": 1280, "height": 800}
# One visitor, pre-heated kernel, runs cached: the first table (the still the page is sent with) came after
# 0.5-1.2 s here at load ~2, the live dashboard after 1.7-2.6 s (the browser running Voila's scripts: CPU-bound,
# 4.7 s at load ~7 before the still). The limits hold the 5 s for the first table and guard the live page
# against the old behaviour (a fresh kernel that reruns every strategy: 15-27 s, 48 s under that load).
FIRST_TABLE_LIMIT = 5.0   # s from opening the page to the first table
LIVE_LIMIT = 12.0         # s from opening the page to the live dashboard (its sliders)
# the first table: the page's still or the live dashboard's, whichever is shown (once Voila's front end has
# started, it moves the live cells ahead of the hidden still in the page: the first match is then hidden)
TABLE = ".siyu-dash-table .siyu-table"
FIRST = TABLE + " >> visible=true"
LIVE = "#rendered_cells .siyu-dash-table .siyu-table"    # the live dashboard's table (the still is #siyu-still)
CULL_IDLE, CULL_INTERVAL = 6, 2   # s: short cull settings for the test (make dashboard: 120 / 30)
POOL = 1                  # pre-heated kernels Voila keeps ready (make dashboard: sized to the machine)
LATE_TABLE_LIMIT = 60     # s: a page whose kernel was culled never shows its table; a live one well within

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


@contextlib.contextmanager
def _served(lang: str, tmp_path: Path):
    """Voila serving the dashboard with the command line `make dashboard` uses (sim.present.serve.voila_command:
    pre-heated pool, the dashboard's kernel manager), short cull settings; yields (url, process)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    if not (Path(sys.executable).parent / "voila").exists() and shutil.which("voila") is None:
        pytest.skip("voila is not installed in this environment")
    port = _free_port()
    log = open(tmp_path / "voila.log", "w")
    cmd = voila_command(NOTEBOOK.relative_to(ROOT), port, POOL, CULL_IDLE, CULL_INTERVAL, fill_delay=1.0)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**template_env(), "SIYU_LANG": lang})
    try:
        _wait_port(port, proc, START_TIMEOUT)
        yield f"http://127.0.0.1:{port}/", proc
    finally:
        _stop(proc)
        log.close()
        tail = (tmp_path / "voila.log").read_text(errors="replace")[-3000:]
        print("voila log (tail):\n" + tail)


@pytest.fixture(params=["en", "zh"])
def voila_url(request, tmp_path):
    with _served(request.param, tmp_path) as (url, proc):
        yield url, proc, request.param


def _kernels(proc: subprocess.Popen) -> int:
    """Kernels Voila has running: its child processes that are IPython kernels."""
    import psutil
    try:
        kids = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    n = 0
    for k in kids:
        try:
            n += any("ipykernel" in part for part in k.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return n


def _wait_pool_ready(proc: subprocess.Popen, kernels: int, timeout: float = PAGE_TIMEOUT) -> None:
    """Wait until Voila runs at least `kernels` kernels and all are idle (the pre-heated one has executed the
    notebook). A kernel that ends while it is looked at (culled) makes that look count as busy."""
    import psutil
    end = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < end and quiet < 3:
        time.sleep(0.5)
        try:
            procs = [k for k in psutil.Process(proc.pid).children(recursive=True)
                     if any("ipykernel" in part for part in k.cmdline())]
            busy = len(procs) < kernels or any(k.cpu_percent(interval=0.3) > 5 for k in procs)
        except psutil.NoSuchProcess:
            busy = True
        quiet = 0 if busy else quiet + 1
    assert quiet >= 3, f"Voila's kernels did not settle within {timeout} s"


def _open(browser, url: str):
    """A new page at `url`; returns (page, seconds until the first table is shown, seconds until the live
    dashboard's table and sliders are)."""
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(60_000)
    t0 = time.monotonic()
    page.goto(url, timeout=PAGE_TIMEOUT * 1000, wait_until="domcontentloaded")
    page.wait_for_selector(FIRST, timeout=PAGE_TIMEOUT * 1000)
    first = time.monotonic() - t0
    page.wait_for_selector(LIVE, timeout=PAGE_TIMEOUT * 1000)
    page.wait_for_selector("#rendered_cells .siyu-dashboard .widget-slider", timeout=PAGE_TIMEOUT * 1000)
    return page, first, time.monotonic() - t0


def _clipped(page) -> list[str]:
    """Elements of the dashboard whose right edge is beyond the window or their scrolling box."""
    return page.evaluate("""() => {
        const out = [], w = document.documentElement.clientWidth;
        for (const sel of ['.siyu-table', '.siyu-dashboard .widget-readout', '.siyu-dashboard .widget-dropdown select',
                           '.siyu-dashboard img']) {
            for (const el of document.querySelectorAll(sel)) {
                const r = el.getBoundingClientRect();
                let clip = r.right > w + 1, p = el.parentElement;
                while (p && !clip) {
                    const s = getComputedStyle(p), pr = p.getBoundingClientRect();
                    if ((s.overflowX === 'hidden' || s.overflowX === 'auto' || s.overflowX === 'scroll')
                        && r.right > pr.right + 1) clip = true;
                    p = p.parentElement;
                }
                if (clip) out.push(sel + ' right=' + Math.round(r.right) + ' window=' + w);
            }
        }
        return out; }""")


def _change_column_inside(page) -> bool:
    """The comparison table's last column (the change against the starting strategy) is inside the window."""
    return page.evaluate("""() => {
        const cells = document.querySelectorAll('#rendered_cells .siyu-dash-table .siyu-table tr > *:last-child');
        const w = document.documentElement.clientWidth;
        return cells.length > 0 && [...cells].every(c => { const r = c.getBoundingClientRect();
                                                           return r.width > 0 && r.left >= 0 && r.right <= w + 1; }); }""")


def _reads_in(page, lang: str, root: str = "#rendered_cells") -> None:
    """Every slider label (of the live page) and every table header under `root` (the live page, or the still
    #siyu-still) is in `lang`; in Chinese no English figure name shows."""
    labels = page.locator(".siyu-dashboard .widget-slider .widget-label").all_inner_texts()
    heads = page.locator(f"{root} .siyu-dash-table .siyu-table th").all_inner_texts()
    assert (len(labels) >= 5 or root != "#rendered_cells") and len(heads) >= 5, (labels, heads)
    if lang == "zh":
        assert all(has_cjk(t) for t in labels + [h for h in heads if h.strip()]), (labels, heads)
        table = page.locator(f"{root} .siyu-dash-table").inner_text()
        english = [en for k, (en, _) in LABELS.items() if k.startswith("fig.") and len(en) > 3 and en in table]
        assert not english, f"English figure names in the Chinese table: {english}"
    elif root == "#rendered_cells":
        assert plots.lever_label("messaging.per_week", "en") in labels, labels
    else:
        assert plots.label("fig.ltv", "en") in page.locator(f"{root} .siyu-dash-table").inner_text(), heads


def test_dashboard_slider_changes_the_numbers(voila_url):
    from playwright.sync_api import sync_playwright

    url, proc, lang = voila_url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                    timeout=60_000)
        try:
            first, cold, _ = _open(browser, url)       # fills the cache of reference runs if it was empty
            first.close()
            # the new pre-heated kernel has run the page; the closed page's kernel may be culled before that, on a
            # slow or busy machine, so only the pool's kernels are counted
            _wait_pool_ready(proc, kernels=POOL)
            page, warm, live = _open(browser, url)
            print(f"first table: {cold:.1f} s on the first visit, {warm:.1f} s on the next one (live after {live:.1f} s)")
            assert warm < FIRST_TABLE_LIMIT, f"first table after {warm:.1f} s (limit {FIRST_TABLE_LIMIT} s)"
            assert live < LIVE_LIMIT, f"live dashboard after {live:.1f} s (limit {LIVE_LIMIT} s)"
            assert page.evaluate("() => getComputedStyle(document.getElementById('siyu-still')).display") == "none", \
                "the still stays shown beside the live page"
            assert not _clipped(page), _clipped(page)
            assert _change_column_inside(page), "the change column is outside the 1280 x 800 window"
            _reads_in(page, lang)
            page.set_viewport_size({"width": 900, "height": 900})      # JupyterLab with its sidebar open
            page.wait_for_timeout(500)
            assert not _clipped(page), ("900 px", _clipped(page))
            page.set_viewport_size(VIEWPORT)
            table = page.locator(LIVE)
            before = table.inner_text()
            chart_before = page.locator(".siyu-dashboard img").first.get_attribute("src")
            slider = page.locator(".widget-slider", has_text=plots.lever_label("messaging.per_week", lang))
            readout_before = slider.locator(".widget-readout").inner_text()

            handle = slider.locator(".noUi-handle")
            handle.focus()
            t_move = time.monotonic()
            for _ in range(4):
                page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([sel, b]) => { const t = document.querySelector(sel); return t && t.innerText !== b; }",
                arg=[LIVE, before], timeout=UPDATE_TIMEOUT * 1000)
            print(f"slider update: table changed {time.monotonic() - t_move:.1f} s after the key presses")
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
            ltv = plots.label("fig.ltv", lang)
            ltv_before = next(r for r in rows_before if r[0].startswith(ltv))
            ltv_after = next(r for r in rows_after if r[0].startswith(ltv))
            assert ltv_after[1:3] == ltv_before[1:3], "the reference strategies must not change"
            assert ltv_after[3] != ltv_before[3], "'your settings' LTV did not change"

            body = page.locator("body").inner_text()
            for bad in ("Traceback", "Error:", "refused by the model"):
                assert bad not in body, f"the page shows {bad!r}"
            assert page.locator(".siyu-refused").count() == 0
            assert page.locator(".siyu-dashboard img").first.get_attribute("src") != chart_before, \
                "the J-curve did not change"
            assert not _clipped(page), _clipped(page)
            assert _change_column_inside(page), "the change column is outside the 1280 x 800 window"
            ran = plots.label("ui.ran", lang, h=plots.label("ui.history_1", lang), users="@", days=0, s=0.0).split("@")[0]
            assert ran in page.locator("#rendered_cells .siyu-status").inner_text()
            _reads_in(page, lang)

            OUT_DIR.mkdir(parents=True, exist_ok=True)
            shot = OUT_DIR / f"dashboard_{lang}.png"
            page.locator(".siyu-dashboard").scroll_into_view_if_needed()
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000

            # closing the page leaves its kernel idle and unconnected: the culler must stop it; only the
            # pre-heated kernel(s) waiting for the next visitor remain
            assert _kernels(proc) >= 1 + POOL
            page.close()
            limit = CULL_IDLE + 2 * CULL_INTERVAL + 10
            end = time.monotonic() + limit
            while _kernels(proc) > POOL and time.monotonic() < end:
                time.sleep(0.5)
            assert _kernels(proc) <= POOL, f"{_kernels(proc)} kernels still running {limit} s after the pages closed"

            # the page as sent, before any script runs: the still shows the table in the page's language
            still = browser.new_page(viewport=VIEWPORT, java_script_enabled=False)
            still.goto(url, timeout=PAGE_TIMEOUT * 1000, wait_until="load")
            shown = still.evaluate("""(sel) => [...document.querySelectorAll(sel)].map(t => {
                const chain = []; for (let e = t; e; e = e.parentElement)
                    chain.push(e.tagName + '#' + e.id + '.' + e.className + ':' + getComputedStyle(e).display);
                return chain.join(' < '); })""", "#siyu-still " + TABLE)
            assert len(shown) == 1 and ":none" not in shown[0], shown
            _reads_in(still, lang, root="#siyu-still")
            still.close()
        finally:
            browser.close()


def test_a_visitor_after_a_quiet_spell_gets_a_live_kernel(tmp_path):
    """The pre-heated kernel has idled past the cull time in the pool when a visitor comes: claiming it is
    activity, so the culler must not stop it before the browser connects (it did, and the page retried a dead
    kernel for ever: docs/notebooks.md). That a kernel claimed by a page that never connects is still culled is
    tests/test_serve.py's (the manager's rule, without waiting for real culls)."""
    from playwright.sync_api import sync_playwright

    with _served("en", tmp_path) as (url, proc):
        _wait_pool_ready(proc, kernels=POOL)
        time.sleep(CULL_IDLE + 2 * CULL_INTERVAL)             # the pooled kernel is now idle past the cull time
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                        timeout=60_000)
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(url, timeout=PAGE_TIMEOUT * 1000, wait_until="domcontentloaded")
                page.wait_for_selector(LIVE, timeout=LATE_TABLE_LIMIT * 1000)     # live: the kernel answered
                page.wait_for_timeout((CULL_IDLE + 2 * CULL_INTERVAL) * 1000)    # open, connected: kept
                assert "Kernel does not exist" not in page.locator("body").inner_text()
                assert _kernels(proc) >= 1 + POOL, "the open page's kernel was stopped"
                page.close()
            finally:
                browser.close()
