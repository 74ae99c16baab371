"""The built book as a reader gets it: every page opened in headless Chromium, plus an internal link check.

The browser part needs Chromium (Debian's `chromium`, installed by `.ci/run`); without one it skips and says so.
"""

from __future__ import annotations

import functools
import html as html_lib
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio",
]

CHECKER = """<!doctype html><html><head><meta charset="utf-8"><title>check</title></head><body>
<pre id="result">pending</pre>
<iframe id="page" style="width:1280px;height:2000px"></iframe>
<script>
const page = new URLSearchParams(location.search).get("page");
const frame = document.getElementById("page");
function report(value) { document.getElementById("result").textContent = JSON.stringify(value); }
frame.onload = () => {
  const doc = frame.contentDocument;
  const images = [...doc.images];
  images.forEach(img => { img.loading = "eager"; });
  const wait = images.map(img => img.complete ? Promise.resolve() :
      new Promise(done => { img.onload = done; img.onerror = done; }));
  Promise.all(wait).then(() => {
    const main = doc.querySelector("main") || doc.body;
    report({
      title: (doc.querySelector("main h1") || doc.querySelector("h1") || {textContent: ""}).textContent.trim(),
      images: images.map(img => ({src: img.getAttribute("src"), alt: img.getAttribute("alt"),
                                  width: img.naturalWidth, height: img.naturalHeight})),
      tracebacks: doc.querySelectorAll(".output.traceback, .traceback, div.output.error").length,
      traceback_text: main.innerText.includes("Traceback (most recent call last)"),
      error_outputs: [...doc.querySelectorAll(".output.stderr, .cell_output .stderr")]
          .map(e => e.innerText).filter(t => /Error/.test(t)),
    });
  });
};
frame.src = page;
</script></body></html>"""


def _pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


@pytest.fixture(scope="module")
def served_book(built_book):
    html, _ = built_book
    (html / "_lossacc_check.html").write_text(CHECKER)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    path = _browser()
    if path is None:
        pytest.skip(f"no Chromium found (looked for {', '.join(BROWSERS)}); install Debian's `chromium` to run the browser checks")
    return path


def _run_chromium(chromium: str, *args: str, user_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={user_dir}", *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("page", _pages())
def test_page_renders_in_chromium(served_book, chromium, tmp_path, page):
    html, base = served_book
    result = _run_chromium(
        chromium, "--virtual-time-budget=20000", "--dump-dom", f"{base}/_lossacc_check.html?page=/{page}.html",
        user_dir=tmp_path / "profile",
    )
    found = re.search(r'<pre id="result">(.*?)</pre>', result.stdout, re.S)
    assert found, f"checker page did not report: {result.stderr[-2000:]}"
    report = json.loads(html_lib.unescape(found.group(1)))
    assert report["title"], f"{page}: no title"
    assert report["tracebacks"] == 0 and not report["traceback_text"], f"{page}: a traceback is shown"
    assert report["error_outputs"] == [], f"{page}: error output shown: {report['error_outputs']}"
    broken = [img["src"] for img in report["images"] if not (img["width"] > 0 and img["height"] > 0)]
    assert not broken, f"{page}: images that did not load: {broken}"
    if page.startswith("chapters/"):
        figures = [img for img in report["images"] if "_images/" in (img["src"] or "")]
        assert figures, f"{page}: no figure rendered"
        assert all(img["alt"] for img in figures), f"{page}: figure without alt text"
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
        if page.name in ("genindex.html", "search.html", "_lossacc_check.html") or "_static" in page.parts:
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
