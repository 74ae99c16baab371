"""Read training logs as people paste them (Keras 1/2/3 progress output, ``CSVLogger`` files, ``history`` JSON).

:func:`lossacc.read_keras_log` turns any of these into one tidy table (``run``, ``epoch``, one column per metric);
:func:`lossacc.render_keras_log` does the reverse, writing a history table in a chosen Keras style (used to make
sample logs for the book and to test the reader).

What is read
------------
* Keras 1/2 ``verbose=1`` lines,
  ``400/400 [==============================] - 0s 966us/step - loss: 0.7013 - acc: 0.5000``, with or without the
  per-step/per-sample time (Keras 1 and 2.0 print ``- 0s - loss: ...``), metrics in any order, after optional
  ``Train on N samples, validate on M samples`` / ``Train for N steps`` headers; Keras 1/2 ``verbose=2`` lines
  (``- 1s - loss: ...``, ``13/13 - 0s - loss: ... - 131ms/epoch - 10ms/step``).
* Keras 3 ``verbose=1`` lines, ``8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - accuracy: 0.5083 - loss: 0.6699``,
  and ``verbose=2`` lines, ``8/8 - 0s - 8ms/step - loss: ...``; ``N/Unknown`` counts (steps not known yet).
* Raw terminal captures: ANSI colour codes (also with the escape character lost, ``[1m``), carriage returns and
  backspaces. Each line is read as a notebook shows it (the last non-empty ``\\r`` segment, backspaces applied),
  and a progress line only counts when it is an epoch's *final* state (``8/8``): intermediate ``3/8`` states never
  give rows or values, whether they were overwritten by ``\\r`` or ended up on lines of their own.
* Keras 0.x: ``Epoch 0``, ``Epoch 1``, ... headers (counted from 0, no total; read as epochs 1, 2, ...).
* Pastes: markdown indentation (spaces, ``> `` quotes, ``# `` comment prefixes), blank lines, Windows line ends,
  HTML or markdown around the values (``0.9663</code>``, ``**0.8663**``, ``0.2032```), values followed by
  punctuation (``loss: 0.1760, val_loss: 0.2032``), a first epoch without its ``Epoch N/M`` header, a header on
  the same line as its progress line, and epochs glued together by a paste that lost the newlines (see "Glued
  lines" below). Numbers such as ``0.0000e+00``, ``nan``, ``inf``.
* ``keras.callbacks.CSVLogger`` files and ``history.history`` dumps (JSON, or the Python ``repr`` printed by
  ``print(history.history)``), also inside a markdown code fence with prose around it. A CSV table with neither an
  ``epoch`` column nor a loss/metric-like column (``loss``, ``acc``, ``mae``, ...) is refused.

Several lines per epoch
-----------------------
TF 2.2-2.4 prints an epoch's ``N/N`` line with ``ETA: 0s`` before validation, then callback messages
(``Epoch 00002: val_loss improved ...``, ``ReduceLROnPlateau reducing learning rate ...``), then the final line with
``val_*`` and ``lr``; keras.io renders Keras 3 epochs as a line before validation and one after. The *last*
complete line of an epoch wins when it has the same counter total and at least the names of the earlier one. A
complete line with another total or fewer names (``model.evaluate``/``predict`` bars, before or after ``fit``,
``715/Unknown`` counters, a printed ``loss: 0.0``) creates no row. A callback message ``Epoch 00021: ...`` gives
its number to an epoch whose header is missing from the paste.

Glued lines
-----------
A copy-paste that lost the newlines turns ``... - val_accuracy: 0.4766`` / ``Epoch 2/10`` / ``281/281 [====...``
into ``... - val_accuracy: 0.4766Epoch 2/10281/281 [====...``. A line break is put back before every
``Epoch N/M`` (and ``Train on/for ...``), and the digits between the two slashes (here ``10281``) are split into
the epoch count ``M`` and the step counter ``C`` of the progress bar. The counter's total ``T`` (here ``281``, the
steps or samples per epoch, the same on every epoch and in ``Train for 281 steps``) is printed right after the
glued digits, so it is known. Among the splits with ``M >= N``, ``1 <= C <= T`` and no leading zeros, the reader
prefers, in this order:

1. an ``M`` printed in an unglued ``Epoch n/M`` header elsewhere in the text;
2. ``C == T``: the final state of an epoch (what a notebook paste shows);
3. a ``C`` exactly as wide as ``T``: Keras pads the counter with spaces (``  1/281``), so a counter that ran into
   the header without a space has as many digits as its total;
4. the shortest ``M``.

So ``Epoch 2/10281/281`` is epoch 2 of 10 at step 281/281 (splits 1028|1 and 102|81 lose on rule 2), and
``Epoch 3/5123/123`` is epoch 3 of 5, not of 51 (step 23) or 512 (step 3); but after an unglued ``Epoch 1/1028``
header the first text is epoch 2 of 1028 at the intermediate step 1/281, which gives no row. A step counter glued
to a metric value (``loss: 0.6931281/281 ━━━``, from headerless single-epoch fits) is split by rule 3: the counter
takes as many digits as its total. A header glued to a counter of unknown total (``Epoch 1/1000715/Unknown``) takes
the longest ``M`` printed in an unglued header elsewhere, or none.

Truncated text
--------------
When the text ends in the middle of a line (no final newline) the last epoch's line keeps its complete
``name: value`` pairs and the other metrics are NaN for that epoch. A pair is complete when its value is followed
by more text, or has the form Keras prints (4 decimals, ``1.2345e-05``, ``nan``, ``inf``): a trailing ``0.69`` (cut
from ``0.6931``) or ``val_lo`` is dropped. An epoch whose final ``N/N`` line never appears gives no row. A counter
past its total is a full bar and its line final too (keras-team/keras#10063 prints ``1299/1298`` at every epoch of
a Keras 2.1 run).

Runs
----
A new run (one ``fit()`` call) starts when the epoch counter does not increase (``Epoch 1/...`` again), when the
number of epochs in the header changes (a second ``fit(initial_epoch=...)``), or at a ``Train on``/``Train for``
header. Keras 3 prints no ``Epoch 1/1`` header for ``fit(epochs=1)``: consecutive single-epoch fits read as one run
with epochs 1, 2, ...; and a headerless line right after an epoch's final line (e.g. ``model.evaluate`` output) is
not a new epoch. Headerless lines just before ``Epoch 1/M`` with another step count and fewer names than the fit's
epochs (``evaluate()`` of an earlier model) are dropped rather than read as a one-epoch fit.

Any text
--------
Every regular expression is anchored or matched only at positions found with ``str.find`` (digit runs before a
``/``, names before a ``:``), so reading takes time linear in the length of the text: a 1 MB paste is read in a
fraction of a second (``benchmarks/logs_speed.py``), and long digit runs, long lines or binary bytes give a table or
a ``ValueError``, never a hang. Text that would make an almost empty table of more than 10 million cells (every
epoch with metric names of its own) is refused.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lossacc._validation import check_choice, check_positive_int

__all__ = ["LOG_STYLES", "read_keras_log", "render_keras_log"]

#: Styles understood by :func:`lossacc.render_keras_log`.
LOG_STYLES: tuple[str, ...] = ("keras2", "keras2_notime", "keras3", "keras3_verbose2", "csv", "json")

_EXPECTED = (
    "expected a Keras training log (lines such as 'Epoch 1/10' and "
    "'8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - accuracy: 0.5083 - loss: 0.6699' "
    "or "
    "'400/400 [==============================] - 0s 966us/step - loss: 0.7013 - acc: 0.5000'), "
    "a keras CSVLogger file (header 'epoch,loss,...') or a history.history JSON dict of lists"
)

# --------------------------------------------------------------------------------------------- regexes
_NUMBER = r"[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf(?:inity)?)"
_NAME = r"[A-Za-z_][\w.\-/]*"
# what may follow a value: space, punctuation of prose/markdown/HTML ("0.1760, val_loss", "0.9663`", "0.8663**",
# "0.9663</code>"), a full stop that ends a sentence, or the end of the text
_VALUE_END = r"(?=[\s,;)\]}>*`'\"<|]|\.(?!\d)|$)"
_PAIR_RE = re.compile(rf"(?<![\w.\-/])({_NAME}):[ ]*({_NUMBER}){_VALUE_END}", re.IGNORECASE)  # what _pairs reads
_VALUE_AT_RE = re.compile(rf"[ ]*({_NUMBER}){_VALUE_END}", re.IGNORECASE)
_ASCII_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/"
# the forms Keras prints (%.4f, %.4e, nan, inf): a value of another form at the very end of the text may be cut off
_FULL_VALUE_RE = re.compile(r"[-+]?(?:\d+\.\d{4}(?:e[-+]\d{2,})?|nan|inf)", re.IGNORECASE)
_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?")
_BARE_SGR_RE = re.compile(r"\[(?:\d{1,3};)*\d{1,3}m")  # "[1m" left when a paste dropped the escape character
_SPACE_RE = re.compile(r"[^\S\n\r]")  # any whitespace except line ends -> one space
_QUOTE_PREFIX_RE = re.compile(r"^(?:[ >]|#(?= |$))*")  # indentation, "> " quotes, "# " comments
_HEADER_ANYWHERE_RE = re.compile(r"Epoch ?\d+ ?/ ?\d+|Train (?:on|for) \d+ (?:samples|steps)")
_HEADER_RE = re.compile(r"^Epoch ?(\d+) ?/ ?(\d+)(.*)$")
_TRAIN_RE = re.compile(r"^Train (?:on|for) (\d+) (?:samples|steps)")
_KERAS0_HEADER_RE = re.compile(r"^Epoch (\d{1,15})$")  # Keras 0.x: "Epoch 0", "Epoch 1", ... (counted from 0)
_MESSAGE_RE = re.compile(r"^Epoch (\d{1,15}): ")  # callback messages: "Epoch 00021: early stopping" (from 1)
_PROGRESS_RE = re.compile(r"^(\d+)/(\d+|Unknown)(?=\s|$)(.*)$")
_TIMED_RE = re.compile(r"^(?:- ?)?\d+(?:\.\d+)?s(?: \d+[mu]?s/\w+)? - ")  # "- 1s - loss: ..." (Keras 1/2 verbose=2)
_BARE_PAIRS_RE = re.compile(rf"^(?:- ?)?{_NAME}: ?{_NUMBER}{_VALUE_END}", re.IGNORECASE)
_KNOWN_COUNT_RE = re.compile(r"Epoch ?\d+ ?/ ?(\d+)(?![\d/])")
_GLUED_COUNTER_RE = re.compile(r"/(\d+)(.*)$")
# a step counter with what follows it on a progress line: bar (Keras 3 or 1/2) or " - 3s" (verbose=2); matched
# only at the start of the digit run before a "/" found with str.find (each digit is looked at a bounded number of
# times)
_COUNTER_AT_RE = re.compile(r"(\d+)/(\d+)(?= ━| \[[=.>]| - \d+s\b)")
_FENCE_RE = re.compile(r"^[ >]*(?:```|~~~)")
# a CSV is a training history only with an epoch column or a loss/metric-like column
_METRIC_LIKE_RE = re.compile(r"loss|acc|error|mae|mse|auc", re.IGNORECASE)
_UNUSED_NAMES = {"eta"}
_MAX_DIGITS = 15  # longer digit runs are not epoch or step numbers (and int() of huge strings is slow or refused)


# --------------------------------------------------------------------------------------------- public API
def read_keras_log(source: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a Keras training log (printed output, ``CSVLogger`` file or ``history`` JSON) into a table.

    Explained in :doc:`/chapters/field_guide`.

    Parameters
    ----------
    source : str or os.PathLike
        A path to a log file, or the log text itself. A ``str`` is read as a path only when it has no line break
        and names an existing file; otherwise it is the text. Files are decoded as UTF-8 (UTF-16 with a BOM, as
        written by a PowerShell redirect, is recognised) with carriage returns kept.

    Returns
    -------
    pandas.DataFrame
        One row per epoch: ``run`` (1, 2, ... one per ``fit()`` call found), ``epoch`` (int, as printed: from 1),
        then one float64 column per metric, named as printed (``loss``, ``acc`` or ``accuracy``, ``val_loss``,
        custom and per-output names such as ``out_a_loss``), in the order first seen. A metric missing from an
        epoch (e.g. on a truncated last line) is NaN. ``CSVLogger`` files count epochs from 0: they are shifted to
        count from 1 like the printed logs (unless the file also has a ``run`` column: then it is a table like this
        one saved with ``to_csv``, and its epochs are kept). A ``history.history`` dump gives epochs 1..n in run 1.
        See the module docstring for the formats, glued lines, truncated text and how runs are split.

    Raises
    ------
    TypeError
        If ``source`` is neither a ``str`` nor a path-like object.
    FileNotFoundError
        If ``source`` is a path-like object (not a ``str``) that does not name an existing file.
    ValueError
        If no epoch can be read from the text (the message says what was expected and shows the start of what
        was given), a JSON/CSV history is inconsistent, a CSV table has no epoch or loss/metric-like column, or
        the epochs' metric names would make an almost empty table of more than 10 million cells. Any ``str``
        gives either a table or ``ValueError``.

    Examples
    --------
    >>> from lossacc.logs._reader import read_keras_log
    >>> log = '''Epoch 1/2
    ... 8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - accuracy: 0.5083 - loss: 0.6699
    ... Epoch 2/2
    ... 8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 4ms/step - accuracy: 0.6250 - loss: 0.6512
    ... '''
    >>> read_keras_log(log)
       run  epoch  accuracy    loss
    0    1      1    0.5083  0.6699
    1    1      2    0.6250  0.6512
    """
    text = _source_text(source)
    frame = _read_history_dump(text)
    if frame is None:
        frame = _read_csv_log(text)
    if frame is None:
        frame = _read_progress_log(text)
    if frame is None:
        frame = _read_fenced_table(text)
    if frame is None or frame.empty:
        raise ValueError(f"no training epochs found: {_EXPECTED}; got {_excerpt(text, source)}")
    return frame


def render_keras_log(
    history: pd.DataFrame | Mapping[str, Any], style: str = "keras3", *, steps: int = 8
) -> str:
    """Write a history table as the text Keras (or its loggers) would have produced.

    Explained in :doc:`/chapters/field_guide`.

    Parameters
    ----------
    history : pandas.DataFrame or dict of str to list of float
        A table with an ``epoch`` column (counted from 1; missing: 1, 2, ... per run), an optional ``run`` column
        and one numeric column per metric (e.g. from :func:`lossacc.read_keras_log` or
        :func:`~lossacc.history_frame`), or a ``history.history`` dict. Not modified.
    style : {"keras2", "keras2_notime", "keras3", "keras3_verbose2", "csv", "json"}, default "keras3"
        ``"keras2"``: ``8/8 [====...] - 0s 966us/step - loss: ...`` (Keras 2 / tf.keras ``verbose=1``);
        ``"keras2_notime"``: ``8/8 [====...] - 0s - loss: ...`` (Keras 1 and 2.0);
        ``"keras3"``: ``8/8 ━━━━... 0s 5ms/step - loss: ...`` (what a notebook shows of Keras 3 ``verbose=1``);
        ``"keras3_verbose2"``: ``8/8 - 0s - 5ms/step - loss: ...``;
        ``"csv"``: a ``CSVLogger`` file (epochs from 0, full precision; several runs as appended files);
        ``"json"``: ``json.dumps(history.history)`` (a single run; epochs are implied 1..n).
        Printed styles use Keras' number format (``%.4f``, or ``%.4e`` for magnitudes up to 1e-3) and an
        ``Epoch e/E`` header per epoch, ``E`` being the run's last epoch (Keras 3 prints none when ``E`` is 1).
    steps : int, default 8
        Steps per epoch shown in the progress counter.

    Returns
    -------
    str
        The log text, ending with a newline.

    Raises
    ------
    TypeError
        If ``history`` is not a DataFrame/dict or a metric column is not numeric.
    ValueError
        If ``style`` is unknown, the table has no metric column or no rows, or ``"json"`` is asked for several runs.

    Examples
    --------
    >>> from lossacc.logs._reader import render_keras_log
    >>> print(render_keras_log({"loss": [0.6931, 0.5], "acc": [0.5, 0.75]}, "keras2"), end="")
    Epoch 1/2
    8/8 [==============================] - 0s 966us/step - loss: 0.6931 - acc: 0.5000
    Epoch 2/2
    8/8 [==============================] - 0s 966us/step - loss: 0.5000 - acc: 0.7500
    """
    style = check_choice("style", style, LOG_STYLES)
    steps = check_positive_int("steps", steps)
    frame = _history_table(history)
    metrics = [name for name in frame.columns if name not in ("run", "epoch")]
    runs = [group for _, group in frame.groupby("run", sort=False)]

    if style == "json":
        if len(runs) > 1:
            raise ValueError(f"style 'json' (history.history) holds a single run; the table has {len(runs)} runs")
        return json.dumps({name: [float(value) for value in frame[name]] for name in metrics}) + "\n"
    if style == "csv":
        lines = [",".join(["epoch", *metrics])]
        for run in runs:  # CSVLogger(append=True) writes no second header
            for _, row in run.iterrows():
                cells = [str(int(row["epoch"]) - 1)] + [repr(float(row[name])) for name in metrics]
                lines.append(",".join(cells))
        return "\n".join(lines) + "\n"

    lines = []
    for run in runs:
        num_epochs = int(run["epoch"].max())
        for _, row in run.iterrows():
            if num_epochs > 1 or not style.startswith("keras3"):
                lines.append(f"Epoch {int(row['epoch'])}/{num_epochs}")
            values = {name: float(row[name]) for name in metrics}
            if style == "keras3_verbose2":
                info = "".join(f" - {name}: {_format_keras(value, signed=True)}" for name, value in values.items())
                lines.append(f"{steps}/{steps} - 0s - 5ms/step{info}")
                continue
            info = "".join(f" - {name}: {_format_keras(value)}" for name, value in values.items())
            if style == "keras3":
                lines.append(f"{steps}/{steps} {'━' * 20} 0s 5ms/step{info}")
            elif style == "keras2":
                lines.append(f"{steps}/{steps} [{'=' * 30}] - 0s 966us/step{info}")
            else:  # keras2_notime
                lines.append(f"{steps}/{steps} [{'=' * 30}] - 0s{info}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------- input
def _source_text(source: Any) -> str:
    """Return the log text of ``source`` (a path or the text itself)."""
    if isinstance(source, str):
        if "\n" not in source and "\r" not in source and _is_file(source):
            try:
                return _read_file(Path(source))
            except OSError as error:
                raise ValueError(f"could not read the log file {source!r}: {error}") from None
        return source
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        if not isinstance(path, str):
            raise TypeError(f"source must be a str path or the log text; got a bytes path {path!r}")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such log file: {path!r}")
        return _read_file(Path(path))
    raise TypeError(
        f"source must be a path (str or os.PathLike) or the log text (str); got {type(source).__name__}: "
        f"{_short(repr(source))}"
    )


def _is_file(candidate: str) -> bool:
    try:
        return 0 < len(candidate) < 4096 and "\x00" not in candidate and os.path.isfile(candidate)
    except (OSError, ValueError):
        return False


def _read_file(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _excerpt(text: str, source: Any) -> str:
    if not text.strip():
        return "an empty text" if not text else f"only whitespace ({len(text)} characters)"
    excerpt = f"{len(text)} characters starting {_short(repr(text[:120]), 130)}"
    if isinstance(source, str) and "\n" not in text and re.search(r"[/\\]|\.(?:txt|log|csv|json|out)$", text.strip()):
        excerpt += " (read as log text: if this is meant as a file path, no such file exists)"
    return excerpt


def _safe_int(digits: str) -> int | None:
    return int(digits) if 0 < len(digits) <= _MAX_DIGITS else None


# --------------------------------------------------------------------------------------------- history dumps
def _read_history_dump(text: str) -> pd.DataFrame | None:
    """A ``history.history`` dict as JSON or as printed by Python; None if the text is not one."""
    stripped = text.strip().lstrip("\ufeff")
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    data = None
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        # print(history.history): single quotes, numpy 2 scalars "np.float32(0.5)", bare nan/inf
        literal = re.sub(r"\b(?:np|numpy)\.(?:float|int)\d*\(([^()]*)\)", r"\1", stripped)
        literal = re.sub(r"(?<![\w.'\"])-?nan\b", "None", literal)
        literal = re.sub(r"(?<![\w.'\"])inf\b", "1e999", literal)
        try:
            data = ast.literal_eval(literal)
        except Exception:  # noqa: BLE001  (literal_eval raises many kinds on arbitrary text)
            return None
    if isinstance(data, dict) and set(data) == {"history"} and isinstance(data["history"], dict):
        data = data["history"]
    if not isinstance(data, dict) or not data or not all(isinstance(values, list) for values in data.values()):
        return None
    columns: dict[str, np.ndarray] = {}
    for name, values in data.items():
        converted = [_history_number(value) for value in values]
        if None in converted:
            bad = values[converted.index(None)]
            raise ValueError(f"history JSON: metric {name!r} has a non-numeric value {_short(repr(bad))}")
        columns[str(name)] = np.asarray(converted, dtype="float64")
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"history JSON: every metric needs one value per epoch; got lengths {_short(str(lengths))}")
    num_epochs = next(iter(lengths.values()))
    if num_epochs == 0:
        return None
    epochs = np.arange(1, num_epochs + 1)
    if "epoch" in columns:  # History.epoch is counted from 0
        raw_epochs = columns.pop("epoch")
        if np.all(np.isfinite(raw_epochs)) and np.all(raw_epochs == np.round(raw_epochs)) and np.all(raw_epochs >= 0):
            epochs = raw_epochs.astype("int64") + 1
    if not columns:
        return None
    records = [(1, int(epoch), {name: values[i] for name, values in columns.items()}) for i, epoch in enumerate(epochs)]
    return _assemble(records)


def _history_number(value: Any) -> float | None:
    """A ``history.history`` value as a float (None/null is NaN); None when it is not a number."""
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except (ValueError, OverflowError):
        return None


# --------------------------------------------------------------------------------------------- CSV files
def _read_csv_log(text: str) -> pd.DataFrame | None:
    """A ``CSVLogger`` file (or a table saved as CSV); None if the text is not one."""
    lines = [line.strip() for line in text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return None
    header_line = lines[0]
    separator = next((sep for sep in (",", "\t", ";") if sep in header_line), None)
    if separator is None:
        return None
    try:
        rows = list(csv.reader(lines, delimiter=separator))
    except csv.Error:
        return None
    header = [cell.strip() for cell in rows[0]]
    name_re = re.compile(rf"{_NAME}")
    if len(header) < 2 or not all(name_re.fullmatch(cell) for cell in header[1:]):
        return None
    index_column = header[0] in ("", "Unnamed: 0")  # pandas' to_csv() with the index
    if not (index_column or name_re.fullmatch(header[0])) or len(set(header)) != len(header):
        return None
    if "epoch" in header:
        epoch_column, shift = header.index("epoch"), 0 if "run" in header else 1
    elif index_column:
        epoch_column, shift = 0, 1
    else:
        epoch_column, shift = None, 1
    run_column = header.index("run") if "run" in header else None
    metric_columns = [i for i, name in enumerate(header) if i not in (epoch_column, run_column) and name]
    if not metric_columns:
        return None

    records, run, previous_epoch, numeric_rows = [], 0, None, 0
    for position, row in enumerate(rows[1:]):
        cells = [cell.strip() for cell in row]
        values = [_csv_float(cells[i]) if i < len(cells) else math.nan for i in range(len(header))]
        if epoch_column is None:
            epoch = position + 1
        else:
            raw = values[epoch_column]
            if not (math.isfinite(raw) and raw == int(raw) and 0 <= raw < 10**9):
                continue  # not a data row
            epoch = int(raw) + shift
        numeric_rows += any(i < len(cells) and _csv_numeric(cells[i]) and cells[i] for i in metric_columns)
        run_value = values[run_column] if run_column is not None else math.nan
        if math.isfinite(run_value) and run_value == int(run_value) and abs(run_value) < 10**9:
            run = int(run_value)
        elif previous_epoch is None or epoch <= previous_epoch:  # CSVLogger(append=True): epochs restart
            run += 1
        previous_epoch = epoch
        records.append((run, epoch, {header[i]: values[i] for i in metric_columns}))
    if numeric_rows == 0:
        return None
    if "epoch" not in header and not any(_METRIC_LIKE_RE.search(name) for name in header):
        raise ValueError(
            f"a CSV table with columns {_short(str(header))} is not a training history: a keras CSVLogger file or "
            f"saved history has an 'epoch' column or loss/metric columns (loss, accuracy, val_loss, mae, ...)"
        )
    return _assemble(records)


def _read_fenced_table(text: str) -> pd.DataFrame | None:
    """A ``CSVLogger`` file or ``history`` dump inside a markdown code fence (prose around it); None if none."""
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[str] = []
    inside: list[str] | None = None
    for line in lines:
        if _FENCE_RE.match(line):
            if inside is None:
                inside = []
            else:
                blocks.append("\n".join(inside))
                inside = None
        elif inside is not None:
            inside.append(line)
    if inside:  # an unclosed fence runs to the end of the text
        blocks.append("\n".join(inside))
    error: ValueError | None = None
    for block in blocks:
        try:
            frame = _read_history_dump(block)
            if frame is None:
                frame = _read_csv_log(block)
        except ValueError as problem:
            error = error or problem
            continue
        if frame is not None and not frame.empty:
            return frame
    if error is not None:
        raise error
    return None


def _csv_numeric(cell: str) -> bool:
    return cell in ("", "NA") or re.fullmatch(_NUMBER, cell, re.IGNORECASE) is not None


def _csv_float(cell: str) -> float:
    """A CSV cell as a float; ``NA`` (CSVLogger's missing value), blanks and non-numbers are NaN."""
    if re.fullmatch(_NUMBER, cell, re.IGNORECASE) is None:
        return math.nan
    try:
        return float(cell)
    except (ValueError, OverflowError):
        return math.nan


# --------------------------------------------------------------------------------------------- printed logs
@dataclass
class _Epoch:
    """One epoch found in a printed log, before runs and numbers are assigned."""

    epoch: int | None  # from its "Epoch N/M" header; None when the header is missing
    num_epochs: int | None
    metrics: dict[str, float]
    starts_fit: bool  # a "Train on/for" header came just before
    total: int | str | None = None  # the total of its progress counter ("Unknown", None for verbose=2 lines)
    hint: int | None = None  # a headerless epoch's number from a callback message ("Epoch 00021: early stopping")


@dataclass
class _Block:
    """The lines under one ``Epoch N/M`` header (or before any header)."""

    epoch: int | None = None
    num_epochs: int | None = None
    final: dict[str, float] | None = None  # metrics of the epoch's last complete line (see _read_progress_log)
    final_total: int | None = None
    unknown: dict[str, float] | None = None  # metrics of the last "k/Unknown" line
    starts_fit: bool = False
    pending: list[_Epoch] = field(default_factory=list)  # headerless epochs
    message_epoch: int | None = None  # epoch number of a callback message not yet given to a headerless epoch


def _same_epoch_update(old_total: Any, old: dict[str, float], new_total: Any, new: dict[str, float]) -> bool:
    """Whether a later complete line belongs to the same epoch as an earlier one (and supersedes it).

    TF 2.2-2.4 and keras.io print an epoch's ``N/N`` line before validation and again after it (with ``val_*`` and
    ``lr``): same counter total, the names of the first line and more. A ``model.evaluate``/``predict`` bar has
    another total or lacks the ``val_*`` names, so it never replaces a training epoch.
    """
    return old_total == new_total and set(new) >= set(old)


def _read_progress_log(text: str) -> pd.DataFrame | None:
    lines = _visible_lines(text)
    ends_cleanly = not text or text[-1] in "\n\r" or text[-1].isspace()
    known_num_epochs = _known_epoch_counts(lines)
    logical = []
    for line in lines:
        logical.extend(_unglue(line, known_num_epochs))
    last_index = max((i for i, line in enumerate(logical) if line.strip()), default=-1)

    epochs: list[_Epoch] = []
    block = _Block()
    fit_starting = False  # a "Train on/for" header was seen and no epoch has followed yet

    def close(block: _Block) -> None:
        if block.epoch is None:  # before any header: every final line is an epoch of its own
            epochs.extend(block.pending)
            if block.unknown is not None:  # the last state of a counter without total
                epochs.append(_Epoch(None, None, block.unknown, fit_starting and not block.pending, "Unknown"))
            return
        metrics = block.final if block.final is not None else block.unknown
        total = block.final_total if block.final is not None else "Unknown"
        if metrics:
            epochs.append(_Epoch(block.epoch, block.num_epochs, metrics, block.starts_fit, total))

    for index, line in enumerate(logical):
        if ":" not in line and "/" not in line and not line.startswith(("Epoch", "Train")):
            continue  # no header, counter or metric: nothing to read (cheap exit for long texts)
        header = _HEADER_RE.match(line)
        keras0 = None if header else _KERAS0_HEADER_RE.match(line)
        if header or keras0:
            close(block)
            if header:
                block = _Block(_safe_int(header.group(1)), _safe_int(header.group(2)), starts_fit=fit_starting)
            else:  # Keras 0.x counted epochs from 0 and printed no total
                number = _safe_int(keras0.group(1))
                block = _Block(None if number is None else number + 1, None, starts_fit=fit_starting)
            fit_starting = False
            continue
        if _TRAIN_RE.match(line):
            close(block)
            block, fit_starting = _Block(), True
            continue
        message = _MESSAGE_RE.match(line)
        if message:
            if block.epoch is None:
                number = _safe_int(message.group(1))
                if block.pending and block.pending[-1].hint is None:  # Keras 2 prints it after the epoch's line
                    block.pending[-1].hint = number
                else:  # TF 2.2+ and Keras 3 print it before the epoch's last line
                    block.message_epoch = number
            continue
        kind, metrics, total = _parse_metric_line(line, at_text_end=index == last_index and not ends_cleanly)
        if kind is None or not metrics:
            continue
        if block.epoch is None:
            if kind == "final":  # a finished "k/Unknown" epoch is followed by a counter with a total
                if block.unknown is not None:
                    block.pending.append(_Epoch(None, None, block.unknown, fit_starting, "Unknown"))
                    block.unknown, fit_starting = None, False
                previous = block.pending[-1] if block.pending else None
                if previous is not None and previous.total == total and set(metrics) > set(previous.metrics):
                    previous.metrics = metrics  # the same epoch's line after validation
                elif previous is None or (previous.total == total and set(metrics) == set(previous.metrics)):
                    # consecutive Keras 3 fit(epochs=1) calls print no header: each final line is an epoch
                    block.pending.append(_Epoch(None, None, metrics, fit_starting, total, block.message_epoch))
                    block.message_epoch, fit_starting = None, False
                # else: another counter total or fewer names: evaluate()/predict() output, not an epoch
            elif kind == "unknown":
                block.unknown = metrics
            continue
        if kind in ("final", "bare"):
            if block.final is None or _same_epoch_update(block.final_total, block.final, total, metrics):
                block.final, block.final_total = metrics, total
        elif kind == "unknown" and block.final is None:
            block.unknown = metrics
    close(block)
    if not epochs:
        return None
    return _assemble(_number_epochs(epochs))


def _visible_lines(text: str) -> list[str]:
    """The lines as a notebook displays them: ANSI codes gone, ``\\r``/``\\b`` redraws resolved, prefixes stripped."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if "\n" not in text:  # "\r" used as the only line end
        text = text.replace("\r", "\n")
    text = _BARE_SGR_RE.sub("", _ANSI_RE.sub("", text))
    text = _SPACE_RE.sub(" ", text)
    lines = []
    for line in text.split("\n"):
        if "\r" in line or "\b" in line:
            segments = [_apply_backspaces(segment) for segment in line.split("\r")]
            segments = [segment for segment in segments if segment.strip()]
            line = segments[-1] if segments else ""
        if line[:1] in (" ", ">", "#"):
            line = _QUOTE_PREFIX_RE.sub("", line)
        lines.append(line.rstrip())
    return lines


def _apply_backspaces(segment: str) -> str:
    """Resolve backspaces as a terminal does: move the cursor back, later characters overwrite."""
    if "\b" not in segment:
        return segment
    buffer: list[str] = []
    cursor = 0
    for char in segment:
        if char == "\b":
            cursor = max(cursor - 1, 0)
        elif cursor < len(buffer):
            buffer[cursor] = char
            cursor += 1
        else:
            buffer.append(char)
            cursor += 1
    return "".join(buffer)


def _known_epoch_counts(lines: list[str]) -> set[int]:
    """The epoch counts ``M`` of the unglued ``Epoch n/M`` headers."""
    num_epochs = set()
    for line in lines:
        if "Epoch" not in line:
            continue
        for match in _KNOWN_COUNT_RE.finditer(line):
            value = _safe_int(match.group(1))
            if value is not None:
                num_epochs.add(value)
    return num_epochs


def _unglue(line: str, known_num_epochs: set[int]) -> list[str]:
    """Split a visible line into logical lines: one per header, progress line or metric line."""
    if not line:
        return [line]
    if "Epoch" not in line and "Train " not in line:
        return _split_glued_counters(line.strip())
    starts = [match.start() for match in _HEADER_ANYWHERE_RE.finditer(line)]
    cuts = sorted({0, *starts})
    pieces = [line[start:end].strip() for start, end in zip(cuts, [*cuts[1:], len(line)])]
    logical: list[str] = []
    for piece in pieces:
        header = _HEADER_RE.match(piece)
        if header:
            epoch_digits, count_digits, rest = header.groups()
            glued = _GLUED_COUNTER_RE.match(rest)
            if glued:
                split = _split_glued_header(epoch_digits, count_digits, glued.group(1), known_num_epochs)
                if split is None:  # no reading makes sense: keep the epoch, drop the garbled counter
                    logical.append(f"Epoch {epoch_digits}/0")
                    continue
                num_epochs, counter = split
                logical.append(f"Epoch {epoch_digits}/{num_epochs}")
                rest = f"{counter}/{glued.group(1)}{glued.group(2)}"
            elif rest.startswith("/Unknown"):  # "Epoch 1/1000715/Unknown": the counter has no total to split by
                known = [cut for cut in range(1, min(len(count_digits), _MAX_DIGITS + 1))
                         if _safe_int(count_digits[:cut]) in known_num_epochs]
                logical.append(f"Epoch {epoch_digits}/{count_digits[:known[-1]] if known else 0}")
                rest = "1" + rest  # the step count of an unknown-total counter is never used
            else:
                logical.append(f"Epoch {epoch_digits}/{count_digits}")
            piece = rest.strip()
        logical.extend(_split_glued_counters(piece))
    return logical


def _split_glued_header(
    epoch_digits: str, digits: str, total_digits: str, known_num_epochs: set[int]
) -> tuple[int, int] | None:
    """Split the digits of ``Epoch N/<digits>/T`` into the epoch count ``M`` and the step counter ``C``.

    ``known_num_epochs`` holds the ``M`` of unglued headers. Returns ``(M, C)``, or None when no split gives
    ``M >= N`` and ``1 <= C <= T``. See "Glued lines" in the module docstring for the order of preference.
    """
    epoch, total = _safe_int(epoch_digits), _safe_int(total_digits)
    if epoch is None or total is None or len(digits) > 2 * _MAX_DIGITS:
        return None
    candidates = []
    for cut in range(1, len(digits)):
        head, tail = digits[:cut], digits[cut:]
        if head.startswith("0") or tail.startswith("0"):
            continue
        num_epochs, counter = _safe_int(head), _safe_int(tail)
        if num_epochs is None or counter is None or num_epochs < epoch or not 1 <= counter <= total:
            continue
        score = (
            num_epochs in known_num_epochs,
            counter == total,
            len(tail) == len(total_digits),
            -len(head),
        )
        candidates.append((score, num_epochs, counter))
    if not candidates:
        return None
    _, num_epochs, counter = max(candidates)
    return num_epochs, counter


def _split_glued_counters(piece: str) -> list[str]:
    """Put line breaks back before step counters glued to the end of a metric value (``0.6931281/281 ━━``).

    One left-to-right scan (linear in the length of the piece).
    """
    out: list[str] = []
    previous = 0  # where the current logical line starts
    after_slash = 0  # the digits before a "/" cannot reach back past the previous "/"
    slash = piece.find("/", 1)
    while slash != -1:
        before = piece[after_slash:slash]
        start = slash - (len(before) - len(before.rstrip("0123456789")))
        match = _COUNTER_AT_RE.match(piece, start) if previous < start < slash else None
        if match is not None:
            digits, total = match.group(1), match.group(2)
            if len(digits) > len(total) and not piece[start - 1].isspace():
                start = match.end(1) - len(total)  # the counter has as many digits as its total (Keras pads it)
            out.append(piece[previous:start].rstrip())
            previous = start
        after_slash = slash + 1
        slash = piece.find("/", after_slash)
    out.append(piece[previous:])
    return out


def _parse_metric_line(line: str, *, at_text_end: bool) -> tuple[str | None, dict[str, float], int | str | None]:
    """Classify a logical line and read its metrics.

    Returns ``(kind, metrics, total)``: ``"final"`` for an epoch's final ``N/N`` line (``total`` N; also a counter
    past its total, ``1299/1298``), ``"unknown"``
    for ``k/Unknown``, ``"bare"`` for time-led or bare ``name: value`` lines (Keras 1/2 ``verbose=2``; total None),
    ``"intermediate"`` for a ``k/N`` line with ``k < N`` (its values are never used), ``None`` for anything else.
    """
    progress = _PROGRESS_RE.match(line)
    if progress:
        current, total = _safe_int(progress.group(1)), progress.group(2)
        if current is None:
            return None, {}, None
        if total == "Unknown":
            kind, total_value = "unknown", "Unknown"
        else:
            total_value = _safe_int(total)
            if total_value is None or total_value == 0:
                return None, {}, None
            kind = "final" if current >= total_value else "intermediate"  # 1299/1298: a full bar, keras#10063
        if kind == "intermediate":
            return kind, {}, total_value
        return kind, _pairs(progress.group(3), at_text_end=at_text_end), total_value
    if _TIMED_RE.match(line) or _BARE_PAIRS_RE.match(line):
        return "bare", _pairs(line, at_text_end=at_text_end), None
    return None, {}, None


def _pairs(body: str, *, at_text_end: bool) -> dict[str, float]:
    """The ``name: value`` pairs of a progress line (first occurrence of each name).

    Reads what ``_PAIR_RE`` describes, but from the colons found with ``str.find``: a name is the whole run of name
    characters before a colon and must start with a letter or ``_``; its value is matched right after the colon.
    Each character is looked at a bounded number of times, so any line is read in linear time.
    """
    matches: list[tuple[str, str, int]] = []  # (name, value text, end of the value)
    after_colon = 0
    colon = body.find(":")
    while colon != -1:
        before = body[after_colon:colon]
        start = colon - (len(before) - len(before.rstrip(_ASCII_NAME_CHARS)))
        while start > after_colon and _is_name_char(body[start - 1]):  # non-ASCII letters (rare)
            start -= 1
        name = body[start:colon]
        if name and (name[0].isalpha() or name[0] == "_") and name[0].isascii() and (
            start == 0 or not _is_name_char(body[start - 1])
        ) and (not matches or start >= matches[-1][2]):
            value = _VALUE_AT_RE.match(body, colon + 1)
            if value is not None:
                matches.append((name, value.group(1), value.end()))
        after_colon = colon + 1
        colon = body.find(":", after_colon)
    if at_text_end and matches and matches[-1][2] == len(body.rstrip()):
        if not _FULL_VALUE_RE.fullmatch(matches[-1][1]):
            matches.pop()  # the text was cut inside this value
    metrics: dict[str, float] = {}
    for name, value_text, _ in matches:
        if name.lower() in _UNUSED_NAMES or name in metrics:
            continue
        try:
            metrics[name] = float(value_text)
        except (ValueError, OverflowError):
            continue
    return metrics


def _is_name_char(char: str) -> bool:
    return char.isalnum() or char in "_.-/"


def _is_evaluate_output(headerless: list[list[Any]], item: _Epoch) -> bool:
    """Whether headerless lines just before a new fit's ``Epoch 1/M`` are ``evaluate()`` output, not a fit.

    A Keras 3 ``fit(epochs=1)`` prints no header, so a headerless line before ``Epoch 1/M`` may be a one-epoch fit;
    it is taken for ``evaluate()`` output when its counter total differs from the fit's and it lacks some of the
    fit's names (typically ``val_*``).
    """
    return all(
        record[4] != item.total and set(record[2]) < set(item.metrics) for record in headerless
    )


def _number_epochs(found: list[_Epoch]) -> list[tuple[int, int, dict[str, float]]]:
    """Assign runs and epoch numbers (see "Runs" in the module docstring)."""
    records: list[list[Any]] = []  # [run, epoch, metrics, had_header, total]
    current_run: list[list[Any]] = []
    run, previous, run_num_epochs = 0, None, None
    for item in found:
        new_run = run == 0 or (item.starts_fit and bool(current_run))
        if not new_run and item.epoch is not None:
            headerless = current_run and not any(record[3] for record in current_run)
            if headerless and item.epoch - len(current_run) >= 1:
                # a first epoch (or several) printed without header: number them back from this header
                for offset, record in enumerate(current_run):
                    record[1] = item.epoch - len(current_run) + offset
                previous = item.epoch - 1
            elif headerless and _is_evaluate_output(current_run, item):
                del records[len(records) - len(current_run):]
                run, previous, run_num_epochs, current_run = run - 1, None, None, []
                new_run = True
            if previous is not None and item.epoch <= previous:
                new_run = True
            elif run_num_epochs and item.num_epochs and item.num_epochs != run_num_epochs:
                new_run = True
        if new_run:
            run, previous, run_num_epochs, current_run = run + 1, None, None, []
        if item.epoch is not None:
            epoch = item.epoch
        elif previous is not None:
            epoch = previous + 1
        else:  # the first epoch of a run without header: a callback message may have named it
            epoch = item.hint if item.hint is not None and item.hint >= 1 else 1
        if item.num_epochs:
            run_num_epochs = item.num_epochs
        record = [run, epoch, item.metrics, item.epoch is not None, item.total]
        records.append(record)
        current_run.append(record)
        previous = epoch
    return [(record[0], record[1], record[2]) for record in records]


# --------------------------------------------------------------------------------------------- shared
def _assemble(records: list[tuple[int, int, dict[str, float]]]) -> pd.DataFrame:
    """Build the result table from ``(run, epoch, metrics)`` records; metrics in first-seen order."""
    names: dict[str, None] = {}
    for _, _, metrics in records:
        names.update(dict.fromkeys(metrics))
    names.pop("run", None)
    names.pop("epoch", None)
    cells, values = len(records) * len(names), sum(len(metrics) for _, _, metrics in records)
    if cells > 10_000_000 and cells > 50 * values:  # e.g. every epoch with metrics of its own names
        raise ValueError(
            f"{len(records)} epochs with {len(names)} different metric names (first: "
            f"{_short(', '.join(list(names)[:5]))}) would make a table of {cells:,} cells that is almost all empty: "
            f"a training log repeats the same few metric names every epoch"
        )
    data: dict[str, Any] = {
        "run": np.asarray([record[0] for record in records], dtype="int64"),
        "epoch": np.asarray([record[1] for record in records], dtype="int64"),
    }
    for name in names:
        data[name] = np.asarray([record[2].get(name, math.nan) for record in records], dtype="float64")
    return pd.DataFrame(data)


def _format_keras(value: float, *, signed: bool = False) -> str:
    """Keras' progress-bar number format: ``%.4f``, or ``%.4e`` at magnitudes up to 1e-3.

    ``signed=True`` is the ``verbose=2`` variant, which compares the signed value (negatives print as ``%.4e``).
    """
    small = not (value > 1e-3) if signed else not (abs(value) > 1e-3)
    return f"{value:.4e}" if small else f"{value:.4f}"


def _history_table(history: Any) -> pd.DataFrame:
    """Validate and copy a history table for rendering: ``run``, ``epoch`` and float metric columns."""
    if isinstance(history, Mapping) and not isinstance(history, pd.DataFrame):
        try:
            frame = pd.DataFrame({str(name): list(values) for name, values in history.items()})
        except (TypeError, ValueError) as error:
            raise ValueError(f"history must be a dict of equal-length lists; {error}") from None
    elif isinstance(history, pd.DataFrame):
        frame = history.copy()
    else:
        raise TypeError(f"history must be a pandas DataFrame or a history.history dict; got {type(history).__name__}")
    if frame.empty:
        raise ValueError("history has no rows: nothing to render")
    if "run" not in frame.columns:
        frame.insert(0, "run", 1)
    if "epoch" not in frame.columns:
        frame.insert(1, "epoch", frame.groupby("run", sort=False).cumcount() + 1)
    metrics = [name for name in frame.columns if name not in ("run", "epoch")]
    if not metrics:
        raise ValueError("history has no metric column (only 'run'/'epoch'): nothing to render")
    for name in metrics:
        if not pd.api.types.is_numeric_dtype(frame[name]) or pd.api.types.is_bool_dtype(frame[name]):
            raise TypeError(f"metric column {name!r} must be numeric; got dtype {frame[name].dtype}")
        if not re.fullmatch(_NAME, str(name)):
            raise ValueError(f"metric name {name!r} cannot be printed as Keras does (letters, digits, _ . - /)")
    return frame
