"""The HTML twin in a real browser (issue #20): headless Chromium, driven over the DevTools
protocol, lays the page out at phone width (390 px) and desktop width (1280 px), and a script
measures what a reader would notice: words broken in two, the page scrolling sideways, the
reading measure, the type sizes.

`make test` installs Chromium (Debian package `chromium`) as root when it is missing; elsewhere the
test is skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from render.helpers import fixed_epoch, report_for, synthetic_page
from rolereport.model import Profile
from rolereport.render.context import Context
from rolereport.render.html import guide_html
from rolereport.text.labels import LABELS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

# Evaluated in the laid-out page; returns what a reader would notice, as JSON.
MEASURE = """(() => {
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  const vw = document.documentElement.clientWidth;
  const broken = [];
  const table = document.querySelector('.comparison table');
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    for (const m of node.data.matchAll(/[^\\s\\-\\/]+/g)) {  // a break after "-" or "/" is fine
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  const box = document.querySelector('.comparison');
  const intro = document.querySelector('#introduction p');
  const closing = document.querySelector('#closing p');
  return JSON.stringify({
    viewport: vw,
    page_overflow: document.documentElement.scrollWidth - vw,
    broken: broken,
    table_box_right: box.getBoundingClientRect().right,
    table_scrolls: box.scrollWidth > box.clientWidth + 1,
    overflow_x: getComputedStyle(box).overflowX,
    table_font: px(table.querySelector('td')),
    body_font: px(intro),
    closing_font: closing ? px(closing) : px(intro),
    measure_em: intro.getBoundingClientRect().width / px(intro),
    main_width: document.querySelector('main').getBoundingClientRect().width,
  });
})()"""

# What a phone reader and a keyboard or screen-reader user meet (issue #32): the landmarks, the fit
# chart's smallest label (or the list that replaces it), the comparison table's scroll region.
READERS = """(() => {
  const shown = el => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
  const img = document.querySelector('img.fit-chart');
  const list = document.querySelector('.fit-list');
  let chart = null;
  if (shown(img)) {  // the drawing's labels are 13 units in a viewBox of naturalWidth units
    chart = {kind: 'drawing', label_px: 13 * img.getBoundingClientRect().width / img.naturalWidth};
  } else if (shown(list)) {
    const items = [...list.querySelectorAll('li')];
    chart = {kind: 'list', label_px: Math.min(...items.map(li => parseFloat(getComputedStyle(li).fontSize))),
             roles: items.map(li => li.querySelector('.fit-role').textContent)};
  }
  const box = document.querySelector('.comparison');
  box.focus();
  const cue = box.querySelector('.scroll-cue');
  return JSON.stringify({
    mains: document.querySelectorAll('main').length,
    chart: chart,
    region_role: box.getAttribute('role'),
    region_label: box.getAttribute('aria-label'),
    focusable: box.tabIndex === 0 && document.activeElement === box,
    focus_outline: getComputedStyle(box).outlineStyle + ' ' + getComputedStyle(box).outlineWidth,
    scrolls: box.scrollWidth > box.clientWidth + 1,
    cue_shown: shown(cue),
    cue_text: cue ? cue.textContent : '',
  });
})()"""


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
    messages are JSON, each ended by a NUL byte; Chromium reads fd 3 and writes fd 4."""

    def __init__(self, profile_dir: Path) -> None:
        import os

        self._to_chrome_r, self._to_chrome_w = os.pipe()
        self._from_chrome_r, self._from_chrome_w = os.pipe()

        def child_fds() -> None:  # after fork: the pipe ends onto fds 3 and 4, whatever they were
            read, write = os.dup(self._to_chrome_r), os.dup(self._from_chrome_w)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={profile_dir}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=child_fds)
        os.close(self._to_chrome_r)
        os.close(self._from_chrome_w)
        self._out = os.fdopen(self._to_chrome_w, "wb", buffering=0)
        self._in = os.fdopen(self._from_chrome_r, "rb", buffering=0)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = self._in.read(65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params: object) -> dict:
        self._next += 1
        message: dict = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._out.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str, session: str) -> None:
        while True:
            for i, message in enumerate(self.events):
                if message.get("method") == event and message.get("sessionId") == session:
                    del self.events[: i + 1]
                    return
            self.events.append(self._read())

    def layout(self, page: Path, width: int, script: str = MEASURE) -> dict:
        """`script` (`MEASURE`) on `page` in a fresh tab with a `width`-pixel phone or desktop viewport."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", session, width=width, height=900,
                  deviceScaleFactor=1, mobile=width < 600)
        self.send("Page.enable", session)
        self.send("Page.navigate", session, url=page.as_uri())
        self.wait_for("Page.loadEventFired", session)
        value = self.send("Runtime.evaluate", session, expression=script, returnByValue=True)
        self.send("Target.closeTarget", targetId=target)
        return json.loads(value["result"]["value"])

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.close()
        self._in.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("html-layout")
    long_page = tmp / "long.txt"
    long_page.write_text(synthetic_page(12), encoding="utf-8")
    person = Profile(name="Ada Example", interests=("data pipelines",))
    out = []
    with fixed_epoch():
        for name, report in (("bundled", report_for(profile=person)), ("long", report_for(long_page))):
            path = tmp / f"{name}.html"
            path.write_text(guide_html(report, Context.create()), encoding="utf-8")
            out.append(path)
    return out


def test_phone_width_no_sideways_page_and_no_broken_words(pages, browser):
    for page in pages:
        got = browser.layout(page, 390)
        assert got["viewport"] <= 390
        assert got["page_overflow"] <= 0, got  # only the table's own box may scroll
        assert got["broken"] == [], got
        assert got["table_box_right"] <= got["viewport"] + 1
        assert got["overflow_x"] == "auto" and got["table_scrolls"], got  # sideways, inside its box
        assert got["body_font"] >= 16 and got["table_font"] >= 13


def test_desktop_width_reading_measure_and_type_sizes(pages, browser):
    for page in pages:
        got = browser.layout(page, 1280)
        assert got["page_overflow"] <= 0 and got["broken"] == [], got
        assert got["main_width"] >= 600, got  # not a narrow print-like column
        assert 30 <= got["measure_em"] <= 44, got  # about 60–85 characters a line
        assert got["body_font"] >= 16 and got["table_font"] >= 14, got
        assert got["closing_font"] == got["body_font"], got  # closing words like every paragraph


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_landmark_and_table_region_for_every_reader(pages, browser, width):
    for page in pages:
        got = browser.layout(page, width, READERS)
        assert got["mains"] == 1, got  # a <main> landmark
        if "bundled" in page.name:  # the personalised page has the fit chart
            assert got["chart"] and got["chart"]["label_px"] >= 12, got  # the drawing, or a list
            if width == 390:
                assert got["chart"]["kind"] == "list" and len(got["chart"]["roles"]) >= 3, got
        assert got["region_role"] == "region" and got["region_label"].startswith(LABELS["comparison"]), got
        assert got["focusable"], got  # reachable with Tab, and it shows where the focus is
        assert got["focus_outline"].split()[0] != "none", got
        # a cue shows that columns are off-screen exactly when the table scrolls sideways
        assert got["cue_shown"] == got["scrolls"], got
        if got["scrolls"]:
            assert got["cue_text"] == LABELS["scroll_cue"]
