"""Regenerate the Keras 3 fixture logs in this folder by really running Keras (run once, by hand).

    cd /work/main && . .venv/bin/activate && python tests/data/logs/generate_keras3_logs.py

Keras 3's ``Progbar`` treats any POSIX process as a dynamic display (``"posix" in sys.modules``), so
even with stdout redirected it writes ``\\b``/``\\r`` redraws and ANSI colour codes: the ``*_raw.txt``
files are the exact bytes Keras printed. The non-raw ``verbose=1`` files are what a notebook displays
(the text after the last ``\\r`` of each line, ANSI codes removed), i.e. what people paste.
A callback sleeps 30 ms per batch so that intermediate ``k/8`` states are really printed.
"""

import contextlib
import io
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

import lossacc  # noqa: E402,F401  (quiet TensorFlow defaults)

HERE = Path(__file__).resolve().parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class SlowBatches(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        time.sleep(0.03)


def displayed(raw: str) -> str:
    """What a notebook shows: per line, the last non-empty ``\\r`` segment, backspaces and ANSI removed."""
    lines = []
    for line in raw.split("\n"):
        segments = [ANSI.sub("", s).replace("\b", "") for s in line.split("\r")]
        segments = [s for s in segments if s.strip()] or [""]
        lines.append(segments[-1].rstrip())
    return "\n".join(lines)


def capture(fit, *args, **kwargs) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        fit(*args, **kwargs)
    return buffer.getvalue()


def binary_model(seed: int) -> keras.Model:
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((2,)), layers.Dense(4, activation="relu"), layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(240, 2)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("float32")
    x_val, y_val = x[200:], y[200:]
    x, y = x[:200], y[:200]
    common = dict(batch_size=25, validation_data=(x_val, y_val))  # 8 steps per epoch

    model = binary_model(0)
    raw = capture(model.fit, x, y, epochs=3, verbose=1, callbacks=[SlowBatches()], **common)
    (HERE / "keras3_verbose1_raw.txt").write_text(raw, encoding="utf-8")
    (HERE / "keras3_verbose1.txt").write_text(displayed(raw), encoding="utf-8")
    (HERE / "keras3_verbose1_expected.json").write_text(json.dumps(model.history.history, indent=1), encoding="utf-8")

    model = binary_model(1)
    text = capture(model.fit, x, y, epochs=3, verbose=2, **common)
    (HERE / "keras3_verbose2.txt").write_text(text, encoding="utf-8")
    (HERE / "keras3_verbose2_expected.json").write_text(json.dumps(model.history.history, indent=1), encoding="utf-8")

    # two fit() calls in one cell (a fresh model, then training it further), plus a CSVLogger and history JSON
    model = binary_model(2)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "log.csv")
        first = capture(model.fit, x, y, epochs=3, verbose=1, callbacks=[keras.callbacks.CSVLogger(csv_path)], **common)
        history = model.history.history
        (HERE / "keras3_csvlogger.csv").write_text(Path(csv_path).read_text(), encoding="utf-8")
    (HERE / "keras3_history.json").write_text(json.dumps(history), encoding="utf-8")
    second = capture(model.fit, x, y, epochs=2, verbose=1, **common)
    (HERE / "keras3_two_runs.txt").write_text(displayed(first + second), encoding="utf-8")

    # a two-output model: per-output losses and metrics
    keras.utils.set_random_seed(3)
    inputs = keras.Input((2,))
    hidden = layers.Dense(4, activation="relu")(inputs)
    out_a = layers.Dense(1, activation="sigmoid", name="out_a")(hidden)
    out_b = layers.Dense(1, name="out_b")(hidden)
    model = keras.Model(inputs, [out_a, out_b])
    model.compile(optimizer="adam", loss=["binary_crossentropy", "mse"], metrics=[["accuracy"], ["mae"]])
    raw = capture(model.fit, x, [y, x[:, :1]], epochs=2, batch_size=25, verbose=1)
    (HERE / "keras3_multi_output.txt").write_text(displayed(raw), encoding="utf-8")
    expected = json.dumps(model.history.history, indent=1)
    (HERE / "keras3_multi_output_expected.json").write_text(expected, encoding="utf-8")


if __name__ == "__main__":
    main()
