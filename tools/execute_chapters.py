"""Re-pair chapter sources with their notebooks and store fresh outputs.

Usage: python tools/execute_chapters.py [chapters/NAME.md ...]   (default: every chapters/*.md)

For each MyST source: update the paired .ipynb from the .md (jupytext), execute it in place from the
chapters/ folder with the python3 kernel, without per-cell timing metadata (so that re-running gives
clean diffs), and print the execution time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(source: Path) -> float:
    notebook_path = source.with_suffix(".ipynb")
    text_notebook = jupytext.read(source)
    if notebook_path.exists():
        stored = nbformat.read(notebook_path, as_version=4)
        text_notebook = jupytext.combine.combine_inputs_with_outputs(text_notebook, stored, fmt="md:myst")
    client = NotebookClient(
        text_notebook, timeout=600, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(source.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in text_notebook.cells:
        cell.metadata.pop("execution", None)
    jupytext.write(text_notebook, notebook_path, fmt="ipynb")
    return elapsed


def main(argv: list[str]) -> int:
    sources = [Path(a) for a in argv] or sorted((ROOT / "chapters").glob("*.md"))
    for source in sources:
        if source.suffix != ".md" or not source.exists():
            print(f"not a chapter source: {source}", file=sys.stderr)
            return 2
        print(f"{source.name}: executed in {execute(source):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
