"""Write lossacc/__init__.pyi from the facade's table, so that editors can follow every public name.

``lossacc/__init__.py`` loads its public names lazily (``import lossacc`` stays fast and Keras-free), which hides
them from "go to definition"; the stub spells each one out as an explicit import. Run after changing ``_EXPORTS``;
``tests/test_project.py`` checks that the two agree.

Usage: python tools/write_facade_stub.py
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import lossacc

ROOT = Path(__file__).resolve().parents[1]


def stub_text() -> str:
    by_module: dict[str, list[str]] = defaultdict(list)
    for name, module in lossacc._EXPORTS.items():
        by_module[module].append(name)
    lines = [
        '"""Type stub of the lazy facade (written by tools/write_facade_stub.py; do not edit by hand)."""',
        "",
        "from lossacc import (",
        *[f"    {name} as {name}," for name in sorted(lossacc._SUBMODULES)],
        ")",
        "",
    ]
    for module in sorted(by_module):
        names = sorted(by_module[module], key=str.lower)
        lines.append(f"from {module} import (")
        lines += [f"    {name} as {name}," for name in names]
        lines.append(")")
    lines += ["", "__version__: str", "__all__: list[str]", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    stub = ROOT / "lossacc" / "__init__.pyi"
    stub.write_text(stub_text())
    # the project's import order (ruff's isort rules), so that `make lint` stays clean
    subprocess.run([sys.executable, "-m", "ruff", "check", "--fix", "--quiet", "--select", "I", str(stub)], check=True)
    print("wrote lossacc/__init__.pyi")
