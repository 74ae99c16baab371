"""The -W book build: zero warnings, every chapter executed, figures present."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


@pytest.mark.slow
def test_build_has_no_warnings(built_book):
    html, log = built_book
    assert (html / "index.html").exists()
    sphinx_warnings = [line for line in log.splitlines() if ": WARNING: " in line or ": ERROR: " in line]
    assert not sphinx_warnings, sphinx_warnings
    assert "build succeeded" in log


@pytest.mark.slow
@pytest.mark.parametrize("chapter", _chapters())
def test_chapter_page(built_book, chapter):
    html, _ = built_book
    page = (html / f"{chapter}.html").read_text()
    assert "Traceback" not in page
    assert 'class="output traceback' not in page
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    for src in images:
        if not src.startswith(("http", "data:")):
            assert (html / Path(chapter).parent / src).resolve().exists(), src
    # every named figure of the source is rendered as a figure holding an image with alt text
    source = (ROOT / f"{chapter}.md").read_text()
    for name in re.findall(r"^\s+name: (fig-[\w-]+)", source, re.M):
        figure = re.search(rf'<figure[^>]*id="{name}"[^>]*>(.*?)</figure>', page, re.S)
        assert figure, f"{chapter}: figure {name} missing"
        image = re.search(r"<img[^>]*>", figure.group(1))
        assert image, f"{chapter}: figure {name} has no image (did the cell display its plot?)"
        assert re.search(r'alt="[^"]{10,}"', image.group(0)), f"{chapter}: figure {name} lacks alt text"
        assert re.search(r'<figcaption>.*?Fig', figure.group(1), re.S), f"{chapter}: figure {name} lacks a numbered caption"
    prose = re.sub(r"<code[^>]*>.*?</code>|<pre[^>]*>.*?</pre>", "", page, flags=re.S)
    assert "{glue" not in prose, f"{chapter}: an unresolved glue role"
