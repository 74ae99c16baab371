"""How long `import lossacc` and the Keras-free paths take (issue 13: under 0.5 s, no TensorFlow).

Usage: python benchmarks/import_time.py [--runs 7]

Each statement runs in a fresh interpreter; the table gives the median and the minimum wall time of the
statement alone (the interpreter's own start-up is measured with `pass` and subtracted).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

STATEMENTS = {
    "pass": "pass",
    "import lossacc": "import lossacc",
    "import lossacc.diagnosis": "import lossacc.diagnosis",
    "read + diagnose a history": (
        "import lossacc; lossacc.diagnose({'loss': [0.7, 0.6, 0.5], 'accuracy': [0.5, 0.6, 0.7]})"
    ),
    "import lossacc.training (Keras)": "import lossacc.training",
}


def wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    times = {label: [wall(code) for _ in range(runs)] for label, code in STATEMENTS.items()}
    base = statistics.median(times["pass"])
    print(f"{'statement':34s} {'median s':>9s} {'min s':>7s}   (interpreter start-up {base:.3f} s subtracted)")
    for label, values in times.items():
        if label != "pass":
            print(f"{label:34s} {statistics.median(values) - base:9.3f} {min(values) - base:7.3f}")


if __name__ == "__main__":
    main()
