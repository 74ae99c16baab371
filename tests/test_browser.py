"""The built book as a reader gets it: every page opened in headless Chromium, plus an internal link check.

The browser part needs Chromium (Debian's `chromium`, installed by `.ci/run`); without one it skips and says so.
Chromium runs with every host but the local test server unreachable, as an offline reader: math must be typeset
from the book's own copy of MathJax, no raw TeX may show, every probability film must play and step, and no code
or output block may need a horizontal scroll bar.

`LOSSACC_BOOK_ROOT=/path LOSSACC_REUSE_BUILD=1 pytest tests/test_browser.py` checks an already built book
(see ``tests/conftest.py``).
"""

from __future__ import annotations

import contextlib
import functools
import html as html_lib
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = Path(os.environ.get("LOSSACC_BOOK_ROOT", ROOT))
CHECKER_PATH = "/_lossacc_check.html"  # served from memory: never a file of the site
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio",
    # an offline reader: nothing but the local test server resolves
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

# The checker page opens one book page in an iframe (same origin, so it can read the page's DOM), waits for
# its images and for MathJax, and reports what a reader would see. It is served from memory by the test server,
# never written into the built site.
CHECKER = r"""<!doctype html><html><head><meta charset="utf-8"><title>check</title></head><body>
<pre id="result">pending</pre>
<iframe id="page" style="width:1440px;height:2000px"></iframe>
<script>
const page = new URLSearchParams(location.search).get("page");
const frame = document.getElementById("page");
const sleep = ms => new Promise(done => setTimeout(done, ms));
function report(value) { document.getElementById("result").textContent = JSON.stringify(value); }
function within(promise, ms) { return Promise.race([promise, sleep(ms).then(() => "timeout")]); }

function rawTex(doc) {
  // Text a reader sees outside code: raw TeX delimiters there mean MathJax did not typeset it.
  const main = (doc.querySelector("main") || doc.body).cloneNode(true);
  main.querySelectorAll("pre, code, script, style, mjx-container, .MathJax, .lossacc-film").forEach(e => e.remove());
  const text = main.textContent;
  const found = [];
  for (const delimiter of ["\\(", "\\)", "\\[", "\\]", "$$"]) {
    let at = text.indexOf(delimiter);
    if (at >= 0) found.push(delimiter + " in: " + text.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, " "));
  }
  return found;
}

function overflowing(doc) {
  // Code and output blocks that need a horizontal scroll bar (hidden inputs opened first).
  doc.querySelectorAll("details").forEach(d => { d.open = true; });
  doc.querySelectorAll(".toggle-hidden").forEach(e => e.classList.remove("toggle-hidden"));
  const blocks = new Set(doc.querySelectorAll(
      "main pre, main .cell_output > .output, main .lossacc-film, main table"));
  const found = [];
  for (const block of blocks) {
    if (block.scrollWidth <= block.clientWidth + 1) continue;
    const lines = (block.innerText || "").split("\n");
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), "");
    const cell = block.closest(".cell");
    found.push({
      kind: block.tagName.toLowerCase() +
          (block.closest(".cell_output") ? " (output)" : block.closest(".cell_input") ? " (code)" : ""),
      cell: cell ? [...doc.querySelectorAll(".cell")].indexOf(cell) : null,
      cell_starts: cell ? ((cell.querySelector(".cell_input pre") || {innerText: ""}).innerText.split("\n")
          .find(line => line.trim() && !line.startsWith("#")) || "").slice(0, 60) : "",
      scroll: block.scrollWidth, width: block.clientWidth,
      longest_line_chars: longest.length, line: longest.slice(0, 100),
    });
  }
  return found;
}

async function checkFilm(root) {
  const get = name => root.querySelector('[data-film="' + name + '"]');
  const state = () => ({
    status: (get("status") || {textContent: ""}).textContent,
    points: [...root.querySelectorAll("circle")].map(c => c.getAttribute("cy") + c.getAttribute("fill")).join(";"),
    frame: root.dataset.frame,
  });
  const controls = ["first", "prev", "play", "next", "slider", "status"].filter(name => !get(name));
  const film = {id: root.id, role: root.getAttribute("role"), alt: root.getAttribute("aria-label") || "",
                missing_controls: controls, points: root.querySelectorAll("circle").length,
                width: root.getBoundingClientRect().width};
  if (controls.length) return film;
  const before = state();
  get("next").click();
  const after = state();
  get("slider").value = 0; get("slider").dispatchEvent(new Event("input"));
  const back = state();
  get("play").click();
  await sleep(1500);
  const played = state();
  get("play").click();
  Object.assign(film, {
    status_before: before.status, status_after: after.status,
    step_changed_status: before.status !== after.status, step_changed_points: before.points !== after.points,
    slider_returned: back.status === before.status && back.points === before.points,
    play_advanced: Number(played.frame) > 1,
  });
  return film;
}

frame.onload = async () => {
  const doc = frame.contentDocument, win = frame.contentWindow;
  const images = [...doc.images];
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.complete ? Promise.resolve() :
      new Promise(done => { img.onload = done; img.onerror = done; })));
  const mathjax = win.MathJax && win.MathJax.startup && win.MathJax.startup.promise;
  const typeset = mathjax ? await within(mathjax.then(() => "done", () => "failed"), 15000) : "absent";
  const main = doc.querySelector("main") || doc.body;
  const result = {
    title: (doc.querySelector("main h1") || doc.querySelector("h1") || {textContent: ""}).textContent.trim(),
    images: images.map(img => ({src: img.getAttribute("src"), alt: img.getAttribute("alt"),
                                width: img.naturalWidth, height: img.naturalHeight})),
    tracebacks: doc.querySelectorAll(".output.traceback, .traceback, div.output.error").length,
    traceback_text: main.innerText.includes("Traceback (most recent call last)"),
    error_outputs: [...doc.querySelectorAll(".output.stderr, .cell_output .stderr")]
        .map(e => e.innerText).filter(t => /Error/.test(t)),
    mathjax: typeset,
    math_elements: doc.querySelectorAll("main .math").length,
    math_typeset: doc.querySelectorAll("main mjx-container").length,
    raw_tex: rawTex(doc),
    films: [],
  };
  for (const root of doc.querySelectorAll(".lossacc-film")) result.films.push(await checkFilm(root));
  result.overflow = overflowing(doc);
  report(result);
};
frame.src = page;
</script></body></html>"""


def _pages() -> list[str]:
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


class _BookHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site, plus the checker page from memory (so no test page lands in the site)."""

    def do_GET(self) -> None:  # noqa: N802
        if urlsplit(self.path).path == CHECKER_PATH:
            body = CHECKER.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def _serve(directory: Path):
    """Serve ``directory`` (and the checker page) on a free local port; yields the base URL."""
    handler = functools.partial(_BookHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def served_book(built_book):
    html, _ = built_book
    with _serve(html) as base:
        yield html, base
    assert not (html / CHECKER_PATH.lstrip("/")).exists()


@pytest.fixture(scope="module")
def chromium():
    path = _browser()
    if path is None:
        pytest.skip(
            f"no Chromium found (looked for {', '.join(BROWSERS)}); "
            "install Debian's `chromium` to run the browser checks"
        )
    return path


def _run_chromium(chromium: str, *args: str, user_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={user_dir}", *args],
        capture_output=True, text=True, timeout=120,
    )


def _checker_report(chromium: str, base: str, page: str, user_dir: Path) -> dict:
    """What the checker page reports about ``page`` (a path on the server at ``base``)."""
    result = _run_chromium(
        chromium, "--virtual-time-budget=30000", "--dump-dom", f"{base}{CHECKER_PATH}?page={page}",
        user_dir=user_dir,
    )
    found = re.search(r'<pre id="result">(.*?)</pre>', result.stdout, re.S)
    assert found, f"checker page did not report: {result.stderr[-2000:]}"
    return json.loads(html_lib.unescape(found.group(1)))


def _assert_films_play(page: str, report: dict) -> None:
    for film in report["films"]:
        where = f"{page}: film {film['id']}"
        assert not film["missing_controls"], f"{where}: missing controls {film['missing_controls']}"
        assert film["role"] == "figure" and len(film["alt"]) >= 20, f"{where}: no role/aria-label describing it"
        assert film["points"] > 0, f"{where}: no points drawn"
        assert film["step_changed_status"], f"{where}: stepping did not change the epoch text"
        assert film["step_changed_points"], f"{where}: stepping did not move any point"
        assert film["slider_returned"], f"{where}: the slider did not bring back the first frame"
        assert film["play_advanced"], f"{where}: play did not advance"


def test_films_play_in_chromium(chromium, tmp_path):
    """Two films on one page (no book build): each has its controls, steps, scrubs and plays on its own."""
    import numpy as np

    from lossacc.film import probability_film

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 60)
    logits = (2 * labels - 1) * np.linspace(0, 4, 31)[:, None] + rng.normal(0, 1, (31, 60))
    films = [probability_film(1 / (1 + np.exp(-logits)), labels, title="probabilities"),
             probability_film(logits, labels, threshold=0.0, title="logits")]
    site = tmp_path / "site"
    site.mkdir()
    (site / "films.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>films</title></head><body><main>'
        "<h1>Films</h1>" + "".join(film.to_html() for film in films) + "</main></body></html>"
    )
    with _serve(site) as base:
        report = _checker_report(chromium, base, "/films.html", tmp_path / "profile")
    assert len(report["films"]) == 2 and len({film["id"] for film in report["films"]}) == 2
    assert [film["points"] for film in report["films"]] == [60, 60]
    _assert_films_play("films.html", report)
    assert report["films"][0]["status_before"].startswith("epoch 0 of 30 · accuracy")
    assert not report["overflow"], report["overflow"]


@pytest.mark.slow
@pytest.mark.parametrize("page", _pages())
def test_page_renders_in_chromium(served_book, chromium, tmp_path, page):
    html, base = served_book
    report = _checker_report(chromium, base, f"/{page}.html", tmp_path / "profile")
    assert report["title"], f"{page}: no title"
    assert report["tracebacks"] == 0 and not report["traceback_text"], f"{page}: a traceback is shown"
    assert report["error_outputs"] == [], f"{page}: error output shown: {report['error_outputs']}"
    broken = [img["src"] for img in report["images"] if not (img["width"] > 0 and img["height"] > 0)]
    assert not broken, f"{page}: images that did not load: {broken}"
    if page.startswith("chapters/"):
        figures = [img for img in report["images"] if "_images/" in (img["src"] or "")]
        assert figures, f"{page}: no figure rendered"
        assert all(img["alt"] for img in figures), f"{page}: figure without alt text"
    # math typeset offline, no raw TeX left for the reader
    assert not report["raw_tex"], f"{page}: raw TeX shown (math not typeset offline?): {report['raw_tex']}"
    if report["math_elements"]:
        assert report["mathjax"] == "done", f"{page}: MathJax {report['mathjax']} (offline copy missing?)"
        assert report["math_typeset"] >= report["math_elements"], (
            f"{page}: {report['math_elements']} math elements, {report['math_typeset']} typeset"
        )
    # every probability film loads, has its controls, and steps
    _assert_films_play(page, report)
    # cells fit the page: no code or output block scrolls sideways
    assert not report["overflow"], f"{page}: blocks wider than the column: " + "; ".join(
        f"{b['kind']} in cell {b['cell']} ({b['cell_starts']!r}): {b['scroll']}px > {b['width']}px, longest line "
        f"{b['longest_line_chars']} chars: {b['line']!r}"
        for b in report["overflow"]
    )
    shots = html.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    shot = shots / f"{page.replace('/', '__')}.png"
    _run_chromium(chromium, "--window-size=1280,1600", f"--screenshot={shot}", f"{base}/{page}.html",
                  user_dir=tmp_path / "profile2")
    assert shot.exists() and shot.stat().st_size > 10_000, f"{page}: screenshot missing or blank"


@pytest.mark.slow
def test_internal_links_resolve(built_book):
    """Every internal link and anchor in the built HTML points at an existing file and id."""
    html, _ = built_book
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            text = path.read_text(errors="replace")
            ids[path] = set(re.findall(r'\sid="([^"]+)"', text)) | set(re.findall(r'\sname="([^"]+)"', text))
        return ids[path]

    checked, broken = 0, []
    for page in sorted(html.rglob("*.html")):
        if page.name in ("genindex.html", "search.html") or "_static" in page.parts:
            continue
        for href in re.findall(r'<a\s[^>]*href="([^"]+)"', page.read_text(errors="replace")):
            href = html_lib.unescape(href)
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                broken.append(f"{page.relative_to(html)} -> {href} (no file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in anchors(target):
                broken.append(f"{page.relative_to(html)} -> {href} (no anchor)")
    print(f"checked {checked} internal links")
    assert checked > 20
    assert not broken, broken
