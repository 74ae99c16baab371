"""Shared fixtures: quiet TensorFlow, a non-interactive matplotlib backend, figures closed after every test."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib  # noqa: E402

import lossacc  # noqa: E402,F401  (sets the TensorFlow environment defaults before Keras loads)

matplotlib.use("Agg")  # not via MPLBACKEND: that would leak into the notebook kernels nbval and the build start

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Property tests explore new examples on every developer run, but CI must not turn red on a run that
# happened to draw a new example: under CI=true the examples are derived from the test, not random.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the book from scratch with -W -n --keep-going into a new temporary folder.

    Returns the html folder and the build log. Shared by the build, link and browser tests. The build never
    reads or writes the repository's ``_build/``: a stale or partly copied execution cache there (seen in CI:
    ``FileExistsError`` in jupyter-cache) cannot leak into the check, and every chapter is executed afresh.
    ``LOSSACC_BOOK_ROOT`` points the tests at another book folder (default: this repository), and
    ``LOSSACC_REUSE_BUILD=1`` checks the build already in its ``_build/`` instead of building again.
    """
    root = Path(os.environ.get("LOSSACC_BOOK_ROOT", ROOT))
    if os.environ.get("LOSSACC_REUSE_BUILD") == "1":
        html = root / "_build" / "html"
        if not (html / "index.html").exists():
            pytest.fail(f"LOSSACC_REUSE_BUILD=1 but there is no built book in {html}")
        log = root / "_build" / "build.log"
        return html, log.read_text() if log.exists() else "build succeeded (log not kept)"
    output = tmp_path_factory.mktemp("book")
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), "--path-output", str(output),
         "-W", "-n", "--keep-going"],
        cwd=root, capture_output=True, text=True, env=env,
    )
    log = result.stdout + result.stderr
    (output / "build.log").write_text(log)
    assert result.returncode == 0, log[-5000:]
    return output / "_build" / "html", log


def pytest_collection_modifyitems(config, items):
    """Under ``-n 2 --dist loadgroup`` (``make slow``) the tests sharing the built book run on one worker."""
    for item in items:
        if item.path.name in ("test_book_build.py", "test_browser.py"):
            item.add_marker(pytest.mark.xdist_group("book"))
