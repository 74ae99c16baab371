"""What :class:`lossacc.watch._monitor.Monitor` adds to an epoch of ``fit`` (issue 11: under 5 % without tracking).

Run from the repository root, in the project's venv::

    python benchmarks/monitor_overhead.py                   # ~1-2 minutes on 2 shared cores
    python benchmarks/monitor_overhead.py --epochs 100 --repeat 3 --output /tmp/monitor_overhead.json

The model is the book's (chapters/low_learning_rate.md): ``make_two_blobs(200)`` (400 samples),
``Dense(2, sigmoid) -> Dense(1, sigmoid)``, RMSprop 1e-3, ``fit(verbose=0)``, at batch size 32 (13 steps per
epoch) and full-batch (1 step per epoch: the cheapest epoch ``fit`` can run, so the worst case for a callback).
Three callbacks are compared, each in its own ``fit`` of ``--epochs`` epochs, interleaved ``--repeat`` times:
none, ``Monitor(verbose=False)`` and ``Monitor(x, y, track=True, verbose=False)`` (400 tracked samples).

Two measures, because other people's processes inflate wall time on a shared machine:

* ``callback``: the time spent inside the Monitor's hooks (``on_train_begin`` -- the model check --, and
  ``on_epoch_begin/end``: recording, tracking, the detectors), per epoch, CPU time of the calling thread and
  wall time. It does not depend on the other processes much; divided by the plain epoch it is the overhead.
* ``wall``: the median per-epoch wall time of whole ``fit`` calls with and without the Monitor (noisy).

The cost of the detectors grows with the history (they read it all after every epoch): the time of the last
10 epochs' hooks is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lossacc  # noqa: E402,F401  (environment defaults before Keras loads)
from lossacc.data import make_two_blobs  # noqa: E402
from lossacc.training._fit import seed_everything  # noqa: E402
from lossacc.training._models import build_sigmoid_net  # noqa: E402
from lossacc.watch._monitor import Monitor  # noqa: E402


class TimedMonitor(Monitor):
    """A Monitor that times its own hooks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cpu: list[float] = []
        self.wall: list[float] = []
        self.begin_cpu = self.begin_wall = 0.0

    def on_train_begin(self, logs=None):
        cpu, wall = time.thread_time(), time.perf_counter()
        super().on_train_begin(logs)
        self.begin_cpu, self.begin_wall = time.thread_time() - cpu, time.perf_counter() - wall

    def on_epoch_end(self, epoch, logs=None):
        cpu, wall = time.thread_time(), time.perf_counter()
        super().on_epoch_end(epoch, logs)
        self.cpu.append(time.thread_time() - cpu)
        self.wall.append(time.perf_counter() - wall)


def one_fit(x, y, batch_size, epochs, callback):
    seed_everything(0)
    model = build_sigmoid_net(num_units=2, optimizer="rmsprop", learning_rate=1e-3, seed=0)
    model.fit(x[:64], y[:64], epochs=1, batch_size=batch_size, verbose=0)  # trace outside the timing
    start = time.perf_counter()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[callback] if callback else [])
    return (time.perf_counter() - start) / epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--output", type=Path, default=None, help="also write the numbers as JSON")
    arguments = parser.parse_args()
    x, y = make_two_blobs(samples_per_class=200, class0_range=(0.2, 0.4), class1_range=(0.5, 0.7), seed=0)
    results = {"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
               "load_before": os.getloadavg()[0], "epochs": arguments.epochs, "repeat": arguments.repeat,
               "settings": {}}
    for label, batch_size in (("batch 32", 32), ("full batch", len(x))):
        walls = {"plain": [], "monitor": [], "monitor+track": []}
        hooks = {"monitor": [], "monitor+track": []}
        for _ in range(arguments.repeat):
            walls["plain"].append(one_fit(x, y, batch_size, arguments.epochs, None))
            for name, kwargs in (("monitor", {}), ("monitor+track", {"x_val": x, "y_val": y, "track": True})):
                monitor = TimedMonitor(verbose=False, **kwargs)
                walls[name].append(one_fit(x, y, batch_size, arguments.epochs, monitor))
                hooks[name].append(monitor)
        plain = statistics.median(walls["plain"])
        setting = {"plain_epoch_ms": 1000 * plain}
        print(f"\n{label}: plain fit epoch {1000 * plain:.1f} ms (median of {arguments.repeat} fits of "
              f"{arguments.epochs} epochs, wall)")
        for name in ("monitor", "monitor+track"):
            cpu = statistics.median(statistics.mean(m.cpu) for m in hooks[name])
            wall = statistics.median(statistics.mean(m.wall) for m in hooks[name])
            last = statistics.median(statistics.mean(m.wall[-10:]) for m in hooks[name])
            begin = statistics.median(m.begin_wall for m in hooks[name])
            whole = statistics.median(walls[name])
            setting[name] = {"hook_cpu_ms": 1000 * cpu, "hook_wall_ms": 1000 * wall,
                             "hook_wall_last10_ms": 1000 * last, "train_begin_ms": 1000 * begin,
                             "epoch_wall_ms": 1000 * whole, "overhead_hooks": wall / plain,
                             "overhead_wall": whole / plain - 1.0}
            print(f"  {name:<14} hooks {1000 * wall:5.2f} ms/epoch wall ({1000 * cpu:5.2f} ms CPU; last 10 epochs "
                  f"{1000 * last:5.2f} ms) = {wall / plain:+.1%} of a plain epoch; check_model at train begin "
                  f"{1000 * begin:.0f} ms once; whole fit {1000 * whole:.1f} ms/epoch "
                  f"({whole / plain - 1:+.1%}, noisy)")
        results["settings"][label] = setting
    results["load_after"] = os.getloadavg()[0]
    print(f"\n1-minute load average {results['load_before']:.1f} -> {results['load_after']:.1f} "
          f"on {results['cpus']} CPUs (wall times inflate with it; the hooks' CPU time much less)")
    if arguments.output is not None:
        arguments.output.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
