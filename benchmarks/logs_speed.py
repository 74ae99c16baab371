"""How fast :func:`lossacc.logs._reader.read_keras_log` reads long and hostile text (issue 10, item 5).

Run from the repository root, in the project's venv::

    python benchmarks/logs_speed.py              # ~10-30 s on 2 shared cores
    python benchmarks/logs_speed.py --repeat 5 --output /tmp/logs_speed.json

What is timed (each text is built in memory, then read ``--repeat`` times; the best time is kept):

* realistic 1 MB pastes: (1) a long TF 2.2-2.4 style ``fit`` with an ``ETA: 0s`` line, a ModelCheckpoint
  message and a final line with ``val_*`` and ``lr`` per epoch; (2) the real logs of ``tests/data/logs/real``
  pasted one after another until 1 MB; (3) a raw Keras 3 terminal capture (``\\r``/``\\b`` redraws, ANSI colours);
* adversarial 1 MB inputs: digit runs, one long line, colons, brackets, binary bytes, 170,000 progress counters
  on one line, 110,000 glued headers, 500,000 one-character lines, 36,000 epochs each with a metric name of its
  own (a table of 1.3e9 empty cells: refused before it is built);
* linearity: each family is also read at 1/4 of the size; ``x4`` is the time ratio for 4 times the text
  (about 4 for linear time, about 16 for quadratic).

Wall time is inflated when other processes share the cores, so the CPU time of this process is printed too.
The target of issue 10 is a realistic 1 MB paste read in under 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lossacc.logs._reader import read_keras_log  # noqa: E402

MEGABYTE = 1_000_000
REAL = ROOT / "tests" / "data" / "logs" / "real"


def fit_with_callbacks(size: int) -> str:
    """A TF 2.2-2.4 ``fit`` log: per epoch an ETA line, a checkpoint message and the final line with lr."""
    rng = random.Random(0)
    parts, total, epoch = [], 0, 0
    while total < size:
        epoch += 1
        loss, accuracy = rng.uniform(0.1, 0.9), rng.uniform(0.5, 1.0)
        text = (
            f"Epoch {epoch}/100000\n"
            f"422/422 [==============================] - ETA: 0s - loss: {loss:.4f} - accuracy: {accuracy:.4f}\n"
            f"Epoch {epoch:05d}: val_loss improved from 0.10000 to 0.09000, saving model to model.h5\n"
            f"422/422 [==============================] - 13s 29ms/step - loss: {loss:.4f} - accuracy: {accuracy:.4f}"
            f" - val_loss: {loss + 0.1:.4f} - val_accuracy: {accuracy - 0.1:.4f} - lr: 1.0000e-04\n"
        )
        parts.append(text)
        total += len(text)
    return "".join(parts)


def real_corpus(size: int) -> str:
    """The real pasted logs of the test corpus, one after another (a new fit each time), up to ``size``."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(REAL.glob("r*"))]
    texts = [text for text in texts if "epoch," not in text]  # the fenced CSV files are not progress output
    parts, total, index = [], 0, 0
    while total < size:
        text = texts[index % len(texts)].rstrip("\n") + "\n"
        parts.append(text)
        total += len(text)
        index += 1
    return "".join(parts)


def raw_keras3_capture(size: int) -> str:
    """A raw Keras 3 terminal capture: ANSI bold, backspace redraws of 1/8..8/8 states, ``\\r`` before each state."""
    parts, total, epoch = [], 0, 0
    while total < size:
        epoch += 1
        states = []
        for step in range(1, 9):
            bar = "━" * (step * 20 // 8) + " " * (20 - step * 20 // 8)
            states.append(f"\x1b[1m{step}/8\x1b[0m \x1b[32m{bar}\x1b[0m \x1b[1m0s\x1b[0m 5ms/step - loss: 0.6931")
        text = f"Epoch {epoch}/100000\n" + "\r".join(states) + " - val_loss: 0.7000\n"
        parts.append(text)
        total += len(text)
    return "".join(parts)


def adversarial(size: int) -> dict[str, str]:
    return {
        "digit run": "7" * size,
        "digits around a slash": "1" * (size // 2) + "/" + "9" * (size // 2) + " ━━",
        "one long line": "x" * size,
        "colons": "loss: " * (size // 6),
        "open brackets": "[" * size,
        "nested JSON": "{" + "[" * (size // 2) + "]" * (size // 2) + "}",
        "binary bytes": bytes(random.Random(1).getrandbits(8) for _ in range(size)).decode("latin-1"),
        "progress counters": "1/1 ━ " * (size // 6),
        "glued headers": "Epoch 1/2" * (size // 9),
        "one-char lines": "x\r" * (size // 2),
        "distinct metric names": "".join(f"Epoch 1/1\n1/1 [=] - m{i}: 1\n" for i in range(size // 28)),
    }


def time_read(text: str, repeat: int) -> tuple[float, float, str]:
    """Best wall and CPU seconds of ``repeat`` reads, and what came back."""
    best_wall, best_cpu, result = float("inf"), float("inf"), ""
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            frame = read_keras_log(text)
            result = f"{len(frame)} rows, {frame['run'].nunique()} runs"
        except ValueError:
            result = "ValueError"
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="reads per text; the best time is kept")
    parser.add_argument("--output", type=Path, default=None, help="also write the results as JSON here")
    args = parser.parse_args()

    families: dict[str, tuple[str, callable]] = {
        "realistic: fit with callbacks": ("realistic", fit_with_callbacks),
        "realistic: real corpus pasted": ("realistic", real_corpus),
        "realistic: raw Keras 3 capture": ("realistic", raw_keras3_capture),
    }
    for name in adversarial(16):
        families[f"adversarial: {name}"] = ("adversarial", lambda size, name=name: adversarial(size)[name])

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"read_keras_log on {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"1-min load average {load:.1f}, best of {args.repeat}"
    )
    print(f"{'text':42s} {'size':>9s} {'wall s':>7s} {'cpu s':>7s} {'x4':>5s}  result")
    rows = []
    for label, (kind, build) in families.items():
        small_text, text = build(MEGABYTE // 4), build(MEGABYTE)
        small_wall, small_cpu, _ = time_read(small_text, args.repeat)
        wall, cpu, result = time_read(text, args.repeat)
        ratio = cpu / small_cpu if small_cpu > 0.005 else float("nan")
        print(f"{label:42s} {len(text):9,d} {wall:7.3f} {cpu:7.3f} {ratio:5.1f}  {result}")
        rows.append(
            {
                "text": label,
                "kind": kind,
                "chars": len(text),
                "wall_s": wall,
                "cpu_s": cpu,
                "cpu_ratio_for_4x_text": ratio,
                "result": result,
            }
        )
    worst = max(row["wall_s"] for row in rows if row["kind"] == "realistic")
    print(f"slowest realistic 1 MB paste: {worst:.3f} s wall (target < 1 s): {'OK' if worst < 1 else 'TOO SLOW'}")
    if args.output is not None:
        args.output.write_text(json.dumps({"load_average_1min": load, "repeat": args.repeat, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
