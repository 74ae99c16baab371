"""Benchmarks of issue 5: a loop of ``fit`` vs the population engine, ``fit`` vs the fused full-batch path.

Run from the repository root, in the project's venv::

    python benchmarks/run.py                       # (a) and (b), ~2-4 minutes on 2 cores
    python benchmarks/run.py --chapters            # also (c): time `jupyter execute` of chapters/*.ipynb
    python benchmarks/run.py --chapters --book     # ... and a cold `jupyter-book build` into a temp dir
    python benchmarks/run.py --only b --fit-epochs 2000   # time the full 2000-epoch fit, no extrapolation

(a) 60 runs x 200 epochs of the low-learning-rate net (``make_two_blobs(200)``, Dense(2, sigmoid) ->
    Dense(1, sigmoid), RMSprop 1e-3, batch 32): a loop of ``model.fit`` (each run: seed, build, fit)
    vs one :func:`lossacc.training._population.train_population` call with 60 members. The fit loop is timed on
    ``--fit-runs`` runs (default 6) and extrapolated linearly to 60 (each run costs the same).
(b) 2000 full-batch epochs of the linear-output model (digits 0/1, 288 training rows, Dense(13000, relu,
    trainable=False) -> Dense(1), clipped binary cross-entropy, Adam 1e-3): ``fit(batch_size=288)``
    vs :func:`lossacc.training._fused.train_full_batch` with cached frozen features. ``fit`` is timed as one
    1-epoch call (tracing included) plus ``--fit-epochs`` epochs (default 100), extrapolated to 2000.
(c) Optional: per-chapter execution time (``jupyter execute``) and a cold book build.

Every timing of the fast paths includes their tracing/compilation and feature computation.
Prints a table and writes JSON (``--output``, default ``benchmarks/results/latest.json``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# First, before Keras: lossacc sets the quiet, deterministic TensorFlow defaults (oneDNN off) that the
# chapters use. (An import sorter once moved it below Keras, and (a)/(b) ran with oneDNN on: keep the split.)
import lossacc  # noqa: E402,F401

# isort: split
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from lossacc.data import make_two_blobs  # noqa: E402
from lossacc.training._fit import seed_everything  # noqa: E402
from lossacc.training._fused import train_full_batch  # noqa: E402
from lossacc.training._models import build_sigmoid_net  # noqa: E402
from lossacc.training._population import train_population  # noqa: E402

POPULATION_RUNS, POPULATION_EPOCHS = 60, 200
FULL_BATCH_EPOCHS, WIDTH = 2000, 13000


def machine() -> dict:
    """Where the numbers come from: CPU model, cores, load, library versions."""
    model_name = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines():
            if line.startswith("Model name:"):
                model_name = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {
        "cpu": model_name,
        "cores": os.cpu_count(),
        "load_average_1_5_15": [round(v, 2) for v in os.getloadavg()],
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
    }


def bench_population(fit_runs: int) -> dict:
    """(a) a loop of fit (timed on fit_runs runs, extrapolated to 60) vs one population of 60."""
    x, y = make_two_blobs(200)
    start = time.perf_counter()
    fit_accuracy = []
    for seed in range(fit_runs):
        seed_everything(seed)
        model = build_sigmoid_net(2, seed=seed, optimizer="rmsprop", learning_rate=1e-3)
        history = model.fit(x, y, epochs=POPULATION_EPOCHS, batch_size=32, verbose=0)
        fit_accuracy.append(history.history["accuracy"][-1])
    fit_measured = time.perf_counter() - start
    fit_estimate = fit_measured * POPULATION_RUNS / fit_runs

    start = time.perf_counter()
    result = train_population(
        x, y, num_epochs=POPULATION_EPOCHS, seeds=POPULATION_RUNS, learning_rate=1e-3, optimizer="rmsprop",
        batch_size=32,
    )
    population_seconds = time.perf_counter() - start
    final = result.history[result.history["epoch"] == POPULATION_EPOCHS]["accuracy"]
    return {
        "name": f"(a) {POPULATION_RUNS} runs x {POPULATION_EPOCHS} epochs, 2-unit sigmoid net, batch 32",
        "fit_runs_timed": fit_runs,
        "fit_seconds_measured": round(fit_measured, 2),
        "fit_seconds": round(fit_estimate, 2),
        "fit_extrapolated": fit_runs != POPULATION_RUNS,
        "fast_seconds": round(population_seconds, 2),
        "ratio": round(fit_estimate / population_seconds, 1),
        "target_ratio": 100,  # issue 13: the population engine must stay >= 100x fit
        "fit_mean_final_accuracy": round(float(np.mean(fit_accuracy)), 3),
        "population_mean_final_accuracy": round(float(final.mean()), 3),
    }


def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    data = load_digits(n_class=2)
    x = (data.data / 16.0).astype("float32")
    return x[:288], data.target[:288].astype("float32")


def _linear_output_model(seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(WIDTH, activation="relu", trainable=False),
            keras.layers.Dense(1),  # linear output, binary cross-entropy on it: clipped to [1e-7, 1 - 1e-7]
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def bench_full_batch(fit_epochs: int) -> dict:
    """(b) fit (1 traced epoch + fit_epochs epochs, extrapolated to 2000) vs the fused cached path."""
    x, y = _digits()
    model = _linear_output_model()
    start = time.perf_counter()
    model.fit(x, y, batch_size=len(x), epochs=1, verbose=0)
    first_epoch = time.perf_counter() - start
    remaining = min(fit_epochs, FULL_BATCH_EPOCHS - 1)
    start = time.perf_counter()
    model.fit(x, y, batch_size=len(x), epochs=remaining, verbose=0)
    per_epoch = (time.perf_counter() - start) / remaining
    fit_estimate = first_epoch + per_epoch * (FULL_BATCH_EPOCHS - 1)

    model = _linear_output_model()
    start = time.perf_counter()
    result = train_full_batch(model, x, y, num_epochs=FULL_BATCH_EPOCHS, cache_frozen=True)
    fused_seconds = time.perf_counter() - start
    return {
        "name": f"(b) {FULL_BATCH_EPOCHS} full-batch epochs, digits 0/1, frozen Dense({WIDTH}) -> Dense(1)",
        "fit_epochs_timed": 1 + remaining,
        "fit_first_epoch_seconds": round(first_epoch, 3),
        "fit_seconds_per_epoch": round(per_epoch, 4),
        "fit_seconds": round(fit_estimate, 2),
        "fit_extrapolated": 1 + remaining != FULL_BATCH_EPOCHS,
        "fast_seconds": round(fused_seconds, 2),
        "fast_frozen_layers_cached": result.num_frozen_layers,
        "ratio": round(fit_estimate / fused_seconds, 1),
        "target_ratio": 20,
        "fused_final_loss": float(f"{result.history['loss'].iloc[-1]:.4g}"),
    }


def bench_chapters(pattern: str, timeout: int) -> list[dict]:
    """(c) wall time of ``jupyter execute`` for each chapter notebook (nothing is written)."""
    rows = []
    for notebook in sorted(ROOT.glob(pattern)):
        start = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "jupyter", "execute", f"--timeout={timeout}", str(notebook)],
            cwd=notebook.parent, capture_output=True, text=True, check=False,
        )
        rows.append({
            "chapter": str(notebook.relative_to(ROOT)),
            "seconds": round(time.perf_counter() - start, 1),
            "ok": completed.returncode == 0,
            "target_seconds": 30,
        })
    return rows


def bench_book() -> dict:
    """(c) a cold ``jupyter-book build`` into a fresh temporary directory (no cache)."""
    with tempfile.TemporaryDirectory(prefix="lossacc-book-") as output:
        start = time.perf_counter()
        completed = subprocess.run(
            [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--path-output", output, "--all"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        seconds = time.perf_counter() - start
    # the budget: 30 s for each chapter the book executes
    target = 30 * len(list((ROOT / "chapters").glob("*.md")))
    return {"seconds": round(seconds, 1), "ok": completed.returncode == 0, "target_seconds": target,
            "tail": completed.stdout.splitlines()[-5:]}


def print_table(results: dict) -> None:
    rows = [r for r in (results.get("population"), results.get("full_batch")) if r]
    if rows:
        print(f"{'benchmark':72s} {'fit (s)':>10s} {'fast (s)':>9s} {'ratio':>7s} {'target':>7s}")
        for row in rows:
            note = "*" if row["fit_extrapolated"] else " "
            print(f"{row['name']:72s} {row['fit_seconds']:9.1f}{note} {row['fast_seconds']:9.2f} "
                  f"{row['ratio']:6.1f}x {row['target_ratio']:6d}x")
        if any(row["fit_extrapolated"] for row in rows):
            print("* fit time extrapolated linearly: "
                  + "; ".join(_extrapolation_note(row) for row in rows if row["fit_extrapolated"]))
    for row in results.get("chapters", []):
        print(f"{row['chapter']:60s} {row['seconds']:7.1f} s {'ok' if row['ok'] else 'FAILED'}")
    if results.get("book"):
        print(f"cold book build: {results['book']['seconds']:.1f} s ({'ok' if results['book']['ok'] else 'FAILED'})")


def _extrapolation_note(row: dict) -> str:
    if "fit_runs_timed" in row:
        runs = row["fit_runs_timed"]
        return f"(a) {runs} runs timed ({row['fit_seconds_measured']} s) x {POPULATION_RUNS}/{runs}"
    return (f"(b) first epoch {row['fit_first_epoch_seconds']} s + {row['fit_seconds_per_epoch'] * 1000:.1f} ms/epoch "
            f"timed on {row['fit_epochs_timed'] - 1} epochs, x {FULL_BATCH_EPOCHS - 1}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["a", "b", "none"], help="run only benchmark (a) or (b), or neither")
    parser.add_argument("--fit-runs", type=int, default=6, help="fit runs timed in (a), extrapolated to 60")
    parser.add_argument("--fit-epochs", type=int, default=100, help="fit epochs timed in (b) after the first")
    parser.add_argument("--chapters", nargs="?", const="chapters/*.ipynb", metavar="GLOB",
                        help="(c) time `jupyter execute` of each notebook (default chapters/*.ipynb)")
    parser.add_argument("--chapter-timeout", type=int, default=600, help="per-cell timeout in seconds")
    parser.add_argument("--book", action="store_true", help="(c) time a cold jupyter-book build into a temp dir")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    args = parser.parse_args(argv)
    if not 1 <= args.fit_runs <= POPULATION_RUNS or args.fit_epochs < 1:
        parser.error(f"--fit-runs must be in [1, {POPULATION_RUNS}] and --fit-epochs >= 1")

    results: dict = {"machine": machine()}
    if args.only in (None, "a"):
        results["population"] = bench_population(args.fit_runs)
    if args.only in (None, "b"):
        results["full_batch"] = bench_full_batch(args.fit_epochs)
    if args.chapters:
        results["chapters"] = bench_chapters(args.chapters, args.chapter_timeout)
    if args.book:
        results["book"] = bench_book()
    results["machine"]["load_average_after"] = [round(v, 2) for v in os.getloadavg()]

    print(f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
          f"load {results['machine']['load_average_1_5_15']} -> {results['machine']['load_average_after']}")
    print_table(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
