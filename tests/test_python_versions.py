"""The Python versions the project names (pyproject classifiers, README) can install the lock.

For each supported version, the interpreter found on this machine (``python3.X`` on PATH, or a pyenv
version) resolves ``requirements.lock`` with ``pip install --dry-run``; a version with no interpreter here
is skipped with a message. ``make test`` runs this (it is marked slow: pip downloads the wheels' metadata).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
SUPPORTED = [
    m.group(1)
    for c in PROJECT["classifiers"]
    if (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))
]


def test_supported_versions_are_named_consistently():
    assert SUPPORTED == ["3.11", "3.12", "3.13"]
    requires = SpecifierSet(PROJECT["requires-python"])
    assert all(requires.contains(f"{v}.0") for v in SUPPORTED)
    # the lock pins numpy/pandas/contourpy releases that need 3.11: 3.10 must not be promised
    assert not requires.contains("3.10.0")
    readme = (ROOT / "README.md").read_text()
    assert f"Python {SUPPORTED[0]}–{SUPPORTED[-1]}" in readme
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in SUPPORTED, "this venv's Python is not supported"


def _interpreter(version: str) -> str | None:
    """An interpreter of ``version`` on this machine, or None."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    candidates += sorted(str(p) for p in Path(pyenv_root).glob(f"versions/{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        try:
            found = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0 and found.stdout.strip() == version:  # a pyenv shim may exist but not run
            return candidate
    return None


def _dry_run(interpreter: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [interpreter, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "-r", str(ROOT / "requirements.lock")],
        capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="module")
def dry_runs() -> dict[str, subprocess.CompletedProcess | None]:
    """``pip install --dry-run`` of the lock with every supported interpreter found, side by side (network-bound)."""
    interpreters = {v: _interpreter(v) for v in SUPPORTED}
    found = {v: path for v, path in interpreters.items() if path}
    with ThreadPoolExecutor(max_workers=max(len(found), 1)) as pool:
        results = dict(zip(found, pool.map(_dry_run, found.values())))
    return {v: results.get(v) for v in SUPPORTED}


@pytest.mark.slow
@pytest.mark.parametrize("version", SUPPORTED)
def test_lock_installs(version, dry_runs):
    result = dry_runs[version]
    if result is None:
        pytest.skip(f"no Python {version} interpreter on this machine (python{version} or a pyenv version)")
    errors = "\n".join(line for line in result.stderr.splitlines() if "WARNING: Location" not in line)
    assert result.returncode == 0, f"Python {version}: {errors[-1500:]}"
