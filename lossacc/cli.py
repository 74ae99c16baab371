"""The ``lossacc`` command: diagnose and plot a Keras training log from the shell.

::

    lossacc diagnose LOG [--val-size N] [--train-size N] [--run K] [--plot out.png]
    lossacc plot LOG -o out.png [--metrics loss accuracy] [--run K]
    lossacc --help | --version

``LOG`` is a file holding what ``fit()`` printed (Keras 1/2/3, pasted or captured raw), a ``CSVLogger``
file or a ``history.history`` JSON dump (see :func:`lossacc.read_keras_log`), or ``-`` to read
standard input.

Every error the user can cause (missing or unreadable log, unknown metric, bad option value, output
folder missing) prints exactly one line ``lossacc: error: ...`` on standard error and exits with
status 2; there is no traceback.

Figures are drawn on a ``matplotlib.figure.Figure`` created without ``matplotlib.pyplot``:
saving renders through Agg whatever the current backend, opens no window, and leaves the pyplot
state (and the backend of a notebook calling ``main``) untouched. When run as a command
(``argv`` not given) the backend is also set to Agg, so no GUI toolkit is ever loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["main"]

PROG = "lossacc"
EXIT_USAGE = 2

_MAX_ROWS = 6  # more runs than this are overlaid on one row of panels instead of one row per run

_MAIN_EPILOG = """\
examples:
  lossacc diagnose training.log                      name what the curves show
  lossacc diagnose training.log --val-size 200       ... with the validation-set size for the noise test
  lossacc diagnose training.log --plot curves.png    ... and save the learning curves
  lossacc plot training.log -o curves.png            only the learning curves
  python train.py 2>&1 | lossacc diagnose -          read the log from standard input

LOG is what model.fit() printed (Keras 1, 2 or 3, verbose=1 or 2, pasted from a notebook or a
raw terminal capture), a keras.callbacks.CSVLogger file, or a history.history JSON dump.
Run 'lossacc COMMAND --help' for the options of a command.
"""

_DIAGNOSE_EPILOG = """\
examples:
  lossacc diagnose training.log
  lossacc diagnose training.log --val-size 200 --train-size 800
  lossacc diagnose training.log --run 2 --plot run2.png
  python train.py 2>&1 | lossacc diagnose - --plot curves.png

Detected: accuracy pinned while the loss moves (too-small learning rate), one-epoch validation dips
(binomial noise or not), accuracy plateaus while the loss falls (threshold effect), loss/accuracy
impossible for probabilities (output-activation mismatch) and overfitting. Each finding gives the
evidence, why it happens, what to check and the chapter of the book that explains it.
Exit status: 0 whether or not something was found, 2 on an error.
"""

_PLOT_EPILOG = """\
examples:
  lossacc plot training.log -o curves.png
  lossacc plot training.log -o curves.pdf --metrics loss val_accuracy
  lossacc plot history.json -o curves.svg --run 1

One panel per metric, training solid and validation dashed (val_<metric> is drawn with <metric>;
asking for val_<metric> draws the same panel). 'acc' and 'accuracy' stand for each other. Several
runs (fit() calls) in the log: one row of panels per run (overlaid when there are more than 6).
The format follows the file extension (png, pdf, svg, ...; PNG when there is none).
"""


# --------------------------------------------------------------------------------------------- errors
class CommandError(Exception):
    """An error caused by the user's input: reported as one ``lossacc: error:`` line, exit status 2."""


def _one_line(message: Any) -> str:
    """``message`` with its whitespace (line breaks included) collapsed: an error is always one line."""
    return " ".join(str(message).split())


def _report_error(message: Any) -> int:
    sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")
    sys.stderr.flush()
    return EXIT_USAGE


class _ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one ``lossacc: error: ...`` line (no usage block)."""

    def error(self, message: str) -> NoReturn:
        hint = f" (see '{self.prog} --help')"
        self.exit(EXIT_USAGE, f"{PROG}: error: {_one_line(message)}{hint}\n")


# --------------------------------------------------------------------------------------------- option types
def _positive_int(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def _nonempty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a file name, got an empty string")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``lossacc`` command (subcommands ``diagnose`` and ``plot``).

    Returns
    -------
    argparse.ArgumentParser
    """
    from lossacc import __version__

    formatter = argparse.RawDescriptionHelpFormatter
    parser = _ArgumentParser(
        prog=PROG,
        description="Diagnose loss-vs-accuracy puzzles in a Keras training log and plot its learning curves.",
        epilog=_MAIN_EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    commands.required = True

    log_help = "training log file (printed fit() output, CSVLogger file or history JSON); '-' reads standard input"
    run_help = "use only run K (the K-th fit() call found in the log, from 1)"

    diagnose = commands.add_parser(
        "diagnose",
        help="name the phenomena in a training log, with evidence and the chapter that explains them",
        description="Read a training log and print what its curves show: each finding with its evidence,\n"
        "an explanation, a suggested check and the chapter of the book that explains it.",
        epilog=_DIAGNOSE_EPILOG,
        formatter_class=formatter,
    )
    diagnose.add_argument("log", metavar="LOG", help=log_help)
    diagnose.add_argument(
        "--val-size", type=_positive_int, metavar="N",
        help="number of validation samples (sets the 1/N accuracy grid and the binomial noise of a dip; "
        "inferred from the accuracy values when omitted)",
    )
    diagnose.add_argument(
        "--train-size", type=_positive_int, metavar="N", help="number of training samples (the same, for training)"
    )
    diagnose.add_argument("--run", type=_positive_int, metavar="K", help=run_help)
    diagnose.add_argument(
        "--plot", type=_nonempty, metavar="FILE",
        help="also save the learning curves (loss and accuracy, with validation) to FILE, e.g. curves.png",
    )
    diagnose.set_defaults(handler=_run_diagnose)

    plot = commands.add_parser(
        "plot",
        help="save the learning curves of a training log as an image",
        description="Save the learning curves of a training log as an image.",
        epilog=_PLOT_EPILOG,
        formatter_class=formatter,
    )
    plot.add_argument("log", metavar="LOG", help=log_help)
    plot.add_argument("-o", "--output", required=True, type=_nonempty, metavar="FILE",
                      help="image to write (format from the extension: png, pdf, svg, ...)")
    plot.add_argument(
        "--metrics", nargs="+", metavar="METRIC",
        help="metrics to draw, one panel each (default: loss and the accuracy column of the log)",
    )
    plot.add_argument("--run", type=_positive_int, metavar="K", help=run_help)
    plot.set_defaults(handler=_run_plot)
    return parser


# --------------------------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lossacc`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` when omitted (then the command runs
        as a program: the matplotlib backend is set to Agg).

    Returns
    -------
    int
        Exit status: 0 on success, 2 on any error (reported as one ``lossacc: error: ...`` line on
        standard error). ``--help`` and ``--version`` return 0. Never raises ``SystemExit``.

    Examples
    --------
    >>> from lossacc.cli import main
    >>> main(["diagnose", "training.log", "--val-size", "200"])  # doctest: +SKIP
    """
    if argv is None:
        import matplotlib

        matplotlib.use("Agg")  # a command line run: never load a GUI toolkit
        argv = sys.argv[1:]
    try:
        parser = build_parser()
        try:
            arguments = parser.parse_args(list(argv))
        except SystemExit as stop:  # --help, --version and usage errors (already printed)
            return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else EXIT_USAGE)
        return arguments.handler(arguments)
    except CommandError as error:
        return _report_error(error)
    except BrokenPipeError:  # e.g. `lossacc diagnose log | head -3`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130


# --------------------------------------------------------------------------------------------- commands
def _run_diagnose(arguments: argparse.Namespace) -> int:
    from lossacc.diagnosis import diagnose
    from lossacc.diagnosis._findings import REPORT_WIDTH  # the book's code column

    if arguments.plot is not None:
        _check_output(arguments.plot)
    history, name = _load(arguments.log, arguments.run)
    try:
        findings = diagnose(history, val_size=arguments.val_size, train_size=arguments.train_size)
    except (TypeError, ValueError) as error:
        raise CommandError(f"cannot diagnose {name}: {error}") from None

    out = sys.stdout
    out.write(_describe(history, name) + "\n\n")
    if findings:
        for number, finding in enumerate(findings, start=1):
            prefix = f"{number}. "
            out.write(_numbered(number, finding.format(width=REPORT_WIDTH - len(prefix))) + "\n\n")
        count = len(findings)
        out.write(f"{count} finding{'s' if count != 1 else ''}. The chapters are in the book 'Loss vs. Accuracy'.\n")
    else:
        out.write("No known puzzle found: none of the book's phenomena shows in these curves.\n")
        out.write(_summary(history) + "\n")
    if arguments.plot is not None:
        _save_curves(history, _default_metrics(history), arguments.plot, title=name)
        out.write(f"Curves written to {arguments.plot}\n")
    out.flush()
    return 0


def _run_plot(arguments: argparse.Namespace) -> int:
    _check_output(arguments.output)
    history, name = _load(arguments.log, arguments.run)
    if arguments.metrics:
        metrics = _resolve_metrics(history, arguments.metrics)
    else:
        metrics = _default_metrics(history)
    _save_curves(history, metrics, arguments.output, title=name)
    sys.stdout.write(f"Curves of {', '.join(metrics)} written to {arguments.output}\n")
    return 0


# --------------------------------------------------------------------------------------------- input
def _load(log: str, run: int | None) -> tuple[Any, str]:
    """Read ``log`` (a path or ``-``) into a history table, optionally keeping one run; returns (table, name)."""
    from lossacc.logs._reader import read_keras_log

    if log == "-":
        name = "standard input"
        text = _read_stdin()
        source: Any = text
    else:
        name = log
        path = Path(log)
        if not path.exists():
            raise CommandError(f"no such log file: {log!r}")
        if path.is_dir():
            raise CommandError(f"{log!r} is a folder, not a log file")
        source = path
    try:
        history = read_keras_log(source)
    except (ValueError, OSError, UnicodeError) as error:
        raise CommandError(f"cannot read the log {name}: {error}") from None
    if run is not None:
        runs = sorted(int(value) for value in history["run"].unique())
        if run not in runs:
            if len(runs) == 1:
                found = f"only run {runs[0]}"
            elif len(runs) <= 10:
                found = f"runs {', '.join(map(str, runs[:-1]))} and {runs[-1]}"
            else:
                found = f"runs {runs[0]} to {runs[-1]}"
            raise CommandError(f"argument --run: no run {run} in {name}; it holds {found}")
        history = history[history["run"] == run].reset_index(drop=True)
    return history, name


def _read_stdin() -> str:
    if sys.stdin is None:
        raise CommandError("cannot read the log from standard input: there is none")
    try:
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream (e.g. io.StringIO)
            return sys.stdin.read()
        data = buffer.read()  # bytes: keep the \r and \b redraws of a raw terminal capture
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read the log from standard input: {error}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def _check_output(output: str) -> None:
    """Fail early (before reading the log) when ``output`` cannot be written."""
    from matplotlib.figure import Figure

    path = Path(output)
    folder = path.parent
    if not folder.exists():
        raise CommandError(f"cannot write {output!r}: the folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise CommandError(f"cannot write {output!r}: {str(folder)!r} is not a folder")
    if path.is_dir():
        raise CommandError(f"cannot write {output!r}: it is a folder")
    extension = path.suffix.lower().lstrip(".")
    supported = Figure().canvas.get_supported_filetypes()
    if extension and extension not in supported:
        raise CommandError(
            f"cannot write {output!r}: unknown image format {extension!r}; use one of {', '.join(sorted(supported))}"
        )


# --------------------------------------------------------------------------------------------- metrics
def _metric_columns(history: Any) -> list[str]:
    return [column for column in history.columns if column not in ("run", "epoch")]


def _default_metrics(history: Any) -> list[str]:
    """Loss and the accuracy column (training when present, else validation); else the first metrics."""
    from lossacc.plots import default_curve_metrics

    return default_curve_metrics(_metric_columns(history))


def _resolve_metrics(history: Any, requested: Sequence[str]) -> list[str]:
    """Map the metrics asked for to the log's columns (``acc``/``accuracy`` alike; ``val_x`` drawn with ``x``)."""
    columns = _metric_columns(history)
    aliases = {"acc": "accuracy", "accuracy": "acc", "val_acc": "val_accuracy", "val_accuracy": "val_acc"}
    resolved: list[str] = []
    for metric in requested:
        name = metric if metric in columns else aliases.get(metric)
        if name not in columns:
            raise CommandError(f"unknown metric {metric!r}; the log has {', '.join(columns)}")
        if name.startswith("val_") and name[4:] in columns:
            name = name[4:]  # the panel of x draws val_x too
        if name not in resolved:
            resolved.append(name)
    return resolved


# --------------------------------------------------------------------------------------------- text
def _numbered(number: int, text: str) -> str:
    prefix = f"{number}. "
    lines = text.splitlines()
    return "\n".join([prefix + lines[0], *(" " * len(prefix) + line if line else line for line in lines[1:])])


def _describe(history: Any, name: str) -> str:
    runs = history["run"].nunique()
    epochs = len(history)
    what = f"{epochs} epoch{'s' if epochs != 1 else ''}" + (f" in {runs} runs" if runs > 1 else "")
    # (the name on a line of its own: a path is one long word that cannot be wrapped)
    return f"Read {what} from {name}.\n" + _wrap(f"Metrics: {', '.join(_metric_columns(history))}.")


def _wrap(text: str) -> str:
    import textwrap

    from lossacc.diagnosis._findings import REPORT_WIDTH

    return textwrap.fill(text, width=REPORT_WIDTH, subsequent_indent="  ", break_long_words=False,
                         break_on_hyphens=False)


def _summary(history: Any) -> str:
    """First -> last value and the best epoch of each metric, per run."""
    import math

    columns = _metric_columns(history)
    width = max(len(column) for column in columns)
    several = history["run"].nunique() > 1
    lines = []
    for run, part in history.groupby("run", sort=True):
        first, last = int(part["epoch"].iloc[0]), int(part["epoch"].iloc[-1])
        lines.append(f"{'Run ' + str(run) + ', e' if several else 'E'}pochs {first} to {last}:")
        for column in columns:
            values = part[["epoch", column]].dropna()
            if values.empty:
                lines.append(f"  {column:<{width}}  (no values)")
                continue
            series = values[column]
            lowest_is_best = "loss" in column or "error" in column
            best = series.idxmin() if lowest_is_best else series.idxmax()
            word = "lowest" if lowest_is_best else "highest"
            start, end, top = float(series.iloc[0]), float(series.iloc[-1]), float(series.loc[best])
            if not all(math.isfinite(value) for value in (start, end, top)):
                lines.append(f"  {column:<{width}}  {start:.4f} -> {end:.4f}")
                continue
            lines.append(
                f"  {column:<{width}}  {start:.4f} -> {end:.4f}  ({word} {top:.4f} at epoch "
                f"{int(values.loc[best, 'epoch'])})"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- figure
def _save_curves(history: Any, metrics: Sequence[str], output: str, *, title: str) -> None:
    """Draw ``metrics`` with :func:`lossacc.plots.plot_log_curves` in the book style and save to ``output``."""
    from matplotlib.figure import Figure

    from lossacc.plots import plot_log_curves, set_book_style

    with set_book_style():  # restores the caller's matplotlib settings on leaving
        try:
            figure = Figure(layout="constrained")  # no pyplot: no window, no change to the caller's figures
            plot_log_curves(history, metrics, title=Path(title).name if title != "standard input" else title,
                            figure=figure, max_rows=_MAX_ROWS)
            figure.savefig(output)
        except (TypeError, ValueError) as error:
            raise CommandError(f"cannot plot {title}: {error}") from None
        except OSError as error:
            raise CommandError(f"cannot write {output!r}: {error.strerror or error}") from None
