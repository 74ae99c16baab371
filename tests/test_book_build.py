"""The -W book build: zero warnings, every chapter executed, figures present, math offline, films within budget."""

import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = Path(os.environ.get("LOSSACC_BOOK_ROOT", ROOT))  # see tests/conftest.py
FILM_BUDGET = 2_000_000  # bytes of probability films per page (issue 11)


def _chapters():
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text())
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
    source = (BOOK / f"{chapter}.md").read_text()
    for name in re.findall(r"^\s+name: (fig-[\w-]+)", source, re.M):
        figure = re.search(rf'<figure[^>]*id="{name}"[^>]*>(.*?)</figure>', page, re.S)
        assert figure, f"{chapter}: figure {name} missing"
        image = re.search(r"<img[^>]*>", figure.group(1))
        assert image, f"{chapter}: figure {name} has no image (did the cell display its plot?)"
        assert re.search(r'alt="[^"]{10,}"', image.group(0)), f"{chapter}: figure {name} lacks alt text"
        caption = re.search(r'<figcaption>.*?Fig', figure.group(1), re.S)
        assert caption, f"{chapter}: figure {name} lacks a numbered caption"
    prose = re.sub(r"<code[^>]*>.*?</code>|<pre[^>]*>.*?</pre>", "", page, flags=re.S)
    assert "{glue" not in prose, f"{chapter}: an unresolved glue role"


def _site_pages(html: Path) -> list[Path]:
    return [page for page in sorted(html.rglob("*.html")) if "_static" not in page.parts]


@pytest.mark.slow
def test_math_is_served_by_the_book(built_book):
    """MathJax comes from the site itself (sphinx-mathjax-offline), never from a CDN; no test page in the site."""
    html, _ = built_book
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists(), "no offline MathJax in _static/mathjax"
    remote, local = [], 0
    for page in _site_pages(html):
        text = page.read_text(errors="replace")
        sources = re.findall(r'src="((?:https?:)?//[^"]*mathjax[^"]*)"', text, re.I)
        remote += [f"{page.relative_to(html)}: {src}" for src in sources]
        local += bool(re.search(r'src="[^"]*_static/mathjax/tex-chtml\.js', text))
    assert not remote, f"MathJax loaded from the network: {remote}"
    assert local > 0, "no page loads the offline MathJax"
    assert not list(html.rglob("_lossacc_check*")), "a browser-test page was left in the published site"


@pytest.mark.slow
def test_films_are_accessible_and_within_budget(built_book):
    """Every probability film has a role and a description, and the films of a page weigh at most 2 MB."""
    html, _ = built_book
    for page in _site_pages(html):
        text = page.read_text(errors="replace")
        starts = [match.start() for match in re.finditer(r'<div class="lossacc-film"', text)]
        total = 0
        for start in starts:
            end = text.index("</script></div>", start) + len("</script></div>")
            film = text[start:end]
            total += len(film.encode("utf-8"))
            head = film[: film.index(">")]
            assert 'role="figure"' in head, f"{page.relative_to(html)}: a film without role"
            assert re.search(r'aria-label="[^"]{20,}"', head), f"{page.relative_to(html)}: a film without a description"
        assert total <= FILM_BUDGET, f"{page.relative_to(html)}: films weigh {total} bytes (budget {FILM_BUDGET})"
