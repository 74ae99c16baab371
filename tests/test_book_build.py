"""The -W book build: zero warnings, every chapter executed, figures present."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"


@pytest.fixture(scope="session")
def built_book():
    """Build the book from scratch (no execution cache) with -W -n --keep-going into _build/."""
    shutil.rmtree(BUILD, ignore_errors=True)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "-W", "-n", "--keep-going"],
        cwd=ROOT, capture_output=True, text=True,
    )
    log = result.stdout + result.stderr
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "build.log").write_text(log)
    assert result.returncode == 0, log[-5000:]
    return BUILD / "html", log


def _chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


@pytest.mark.slow
def test_build_has_no_warnings(built_book):
    html, log = built_book
    assert (html / "index.html").exists()
    assert "WARNING" not in log


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
    if "chapters/" in chapter and "api" not in chapter:
        assert images, f"{chapter} has no figure"
        for match in re.finditer(r"<img[^>]*>", page):
            if "_images/" in match.group(0):
                assert 'alt="' in match.group(0) and 'alt=""' not in match.group(0), match.group(0)[:200]
    assert "glue" not in re.sub(r"<[^>]+>", "", page).lower() or "{glue" not in page
