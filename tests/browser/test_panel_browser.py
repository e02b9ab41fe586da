"""The panel in a real browser: JupyterLab 4 and Notebook 7, headless Chromium.

One walk-through per app: type an event, Invoke (cold, with the response and REPORT), Invoke
again (warm), Reset then Invoke (cold again, with Init Duration), break the JSON (Invoke and
Invoke ×N disabled), then Invoke ×6 with a handler that sleeps against a reserved concurrency
of 5 (scale-out to 5 environments, one throttled). Each step leaves a screenshot in
``artifacts/``.
"""

from __future__ import annotations

import re
import time
import urllib.error
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, Server

pytestmark = pytest.mark.browser

EVENT = '{"name": "Ada"}'
SLEEPY_EVENT = '{"name": "Ada", "sleep": 0.4}'
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)  # the retrying assertions wait as long as wait_for


@pytest.fixture
def page(browser: Any, jupyter: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page on the panel notebook; a FAILED-*.png and the server log on failure."""
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{jupyter.app}-{request.node.name}.png"))
        print(f"--- {jupyter.app} server log ---\n{jupyter.log_tail()}")
    context.close()


def wait_kernels_idle(server: Server, timeout: float = 60) -> None:
    """Wait until every kernel is idle, asking the REST API (the DOM says idle before a kernel
    exists)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            kernels = server.api("/api/kernels")
        except urllib.error.HTTPError:  # jupyter_server answers 500 while a kernel starts
            kernels = None
        if kernels and all(k["execution_state"] == "idle" for k in kernels):
            return
        time.sleep(0.2)
    pytest.fail(f"kernel not idle after {timeout} s: {server.api('/api/kernels')}")


def run_all(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def shot(page: Any, app: str, step: str) -> None:
    """The panel alone, as a PNG in artifacts/."""
    page.locator(".lm-panel").screenshot(path=str(ARTIFACTS / f"panel-{app}-{step}.png"))


def result_head(page: Any) -> Any:
    return page.locator(".lm-result-head .lm-result")


def test_panel_walkthrough(page: Any, jupyter: Server) -> None:
    app = jupyter.app
    page.goto(jupyter.url("panel.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    wait_kernels_idle(jupyter)
    run_all(page)
    panel = page.locator(".lm-panel")
    panel.wait_for()
    invoke = panel.locator("button.lm-invoke")
    history_rows = panel.locator("tr.lm-history-row")
    status = panel.locator(".lm-json-status")
    assert "No environment yet" in panel.locator(".lm-state").inner_text()

    # 1. type an event; the kernel's validation echoes its exact size back
    textarea = panel.locator(".lm-json textarea")
    textarea.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(EVENT)
    status.filter(has_text=f"Valid JSON object · {len(EVENT)} bytes").wait_for()
    assert page.locator(".jp-Notebook .jp-Cell").count() == 2  # no key leaked to the notebook
    shot(page, app, "1-event")

    # 2. Invoke: a cold start with the response and the REPORT figures
    invoke.click()
    panel.locator('.lm-result[data-status="success"][data-start="cold"]').wait_for()
    # the headline is drawn last: once it shows the outcome, the rest of the result is there
    assert '"hi": "Ada"' in panel.locator(".lm-response").inner_text()
    report = panel.locator(".lm-report-view").inner_text()
    for figure in ("Duration", "Billed Duration", "Init Duration", "Max Memory Used", "/tmp used"):
        assert figure in report
    assert re.search(r"Init Duration\s+\d+\.\d\d ms", report), report
    assert "of 256 MB" in report
    panel.locator(".lm-logs", has_text="got {'name': 'Ada'}").wait_for()
    panel.locator('.lm-env[data-state="Frozen"]').wait_for()
    # long log lines wrap between words (JupyterLab's output text breaks anywhere by default)
    breaks = page.evaluate("() => [...document.querySelectorAll('.lm-panel .lm-logs pre')]"
                           ".map(e => getComputedStyle(e).wordBreak)")  # fmt: skip
    assert breaks and set(breaks) == {"normal"}, breaks
    shot(page, app, "2-cold")

    # 3. Invoke again: a warm start, no Init Duration
    invoke.click()
    history_rows.nth(1).wait_for()
    panel.locator('.lm-result[data-status="success"][data-start="warm"]').wait_for()
    assert "(warm start)" in panel.locator(".lm-report-view").inner_text()
    assert history_rows.first.get_attribute("data-start") == "warm"
    shot(page, app, "3-warm")

    # 4. Reset, then Invoke: cold again, with Init Duration; the timeline shows both environments
    panel.locator("button.lm-reset").click()
    panel.locator('.lm-env[data-state="Shut down"]').wait_for()
    expect(panel.locator(".lm-message")).to_contain_text("Reset: 1 environment(s) shut down")
    invoke.click()
    history_rows.nth(2).wait_for()
    panel.locator('.lm-result[data-status="success"][data-start="cold"]').wait_for()
    assert re.search(r"Init Duration\s+\d+\.\d\d ms", panel.locator(".lm-report-view").inner_text())
    assert history_rows.first.get_attribute("data-start") == "cold"
    timeline = panel.locator("svg.lm-timeline")
    expect(timeline.locator('rect[data-env="env-1"][data-kind="Shutdown"]')).to_have_count(1)
    expect(timeline.locator('rect[data-env="env-2"][data-kind="Invoke"]')).to_have_count(1)
    shot(page, app, "4-reset-cold")

    # 5. break the JSON: the error names line and column, and Invoke is disabled
    textarea.click()
    page.keyboard.press("End")
    page.keyboard.type(",")
    status.filter(has_text="Invalid event").wait_for()
    assert re.search(r"line 1, column 1[67]", status.inner_text()), status.inner_text()
    page.wait_for_function("document.querySelector('button.lm-invoke').disabled === true")
    assert invoke.is_disabled() and not panel.locator("button.lm-init").is_disabled()
    assert panel.locator("button.lm-invoke-many").is_disabled()
    shot(page, app, "5-invalid")

    # 6. Invoke ×6 with a handler that sleeps: the warm environment and four new ones serve
    #    five at once (reserved concurrency 5), the sixth is throttled
    textarea.fill(SLEEPY_EVENT)
    status.filter(has_text=f"Valid JSON object · {len(SLEEPY_EVENT)} bytes").wait_for()
    n_field = panel.locator(".lm-n input")
    n_field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    many = panel.locator("button.lm-invoke-many", has_text="Invoke ×6")
    many.wait_for()  # the kernel has N: the label is its echo
    page.wait_for_function("document.querySelector('button.lm-invoke-many').disabled === false")
    many.click()
    batch = panel.locator('.lm-batch[data-invocations="6"]')
    batch.wait_for()
    figures = {k: batch.get_attribute(f"data-{k}") for k in
               ("succeeded", "throttled", "environments", "cold-starts")}  # fmt: skip
    assert figures == {"succeeded": "5", "throttled": "1", "environments": "5",
                       "cold-starts": "4"}, figures  # fmt: skip
    expect(panel.locator(".lm-message")).to_contain_text(
        "Invoke ×6: 6 invocations (concurrency 6): 5 succeeded"
    )
    pool = panel.locator(".lm-pool")
    pool.locator('.lm-stat[data-stat="throttles"][data-value="1"]').wait_for()
    assert pool.locator('.lm-stat[data-stat="environments"]').get_attribute("data-value") == "5"
    expect(panel.locator(".lm-state .lm-env-chip")).to_have_count(5)  # compact: more than four
    for n in range(2, 7):
        timeline.locator(f'rect[data-env="env-{n}"][data-kind="Invoke"]').first.wait_for()
    expect(panel.locator('tr.lm-history-row[data-status="throttled"]')).to_have_count(1)
    expect(history_rows).to_have_count(3 + 6)
    shot(page, app, "6-invoke-n")
    page.screenshot(path=str(ARTIFACTS / f"notebook-{app}.png"))
