"""Tests of the ``lossacc`` command (lossacc/cli.py): in-process through ``main`` and, for the real entry point,
``python -m lossacc`` in subprocesses (started together, once per module, to keep the TensorFlow imports cheap)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from lossacc.cli import build_parser, main
from lossacc.logs._reader import read_keras_log, render_keras_log

LOGS = Path(__file__).parent / "data" / "logs"
ROOT = Path(__file__).resolve().parents[1]
TWO_RUNS = LOGS / "keras3_two_runs.txt"


def stall_history(num_epochs: int = 20, run: int = 1) -> pd.DataFrame:
    """Accuracy pinned at 0.5 while the loss creeps down: the low-learning-rate stall."""
    loss = np.round(0.70 - 0.0006 * np.arange(num_epochs), 4)
    return pd.DataFrame(
        {
            "run": run,
            "epoch": np.arange(1, num_epochs + 1),
            "loss": loss,
            "accuracy": 0.5,
            "val_loss": np.round(loss + 0.002, 4),
            "val_accuracy": 0.5,
        }
    )


@pytest.fixture
def stall_log(tmp_path: Path) -> Path:
    path = tmp_path / "stall.log"
    path.write_text(render_keras_log(stall_history(), "keras3"), encoding="utf-8")
    return path


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_error_line(status: int, err: str) -> None:
    assert status == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("lossacc: error: ")
    assert err.endswith("\n")


def read_image(path: Path) -> np.ndarray:
    assert path.is_file() and path.stat().st_size > 0
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    return image


# --------------------------------------------------------------------------------------------- diagnose
def test_diagnose_stall_prints_numbered_finding_with_all_parts(capsys, stall_log):
    status, out, err = run_main(capsys, "diagnose", stall_log, "--val-size", "100")
    assert status == 0 and err == ""
    assert out.startswith(f"Read 20 epochs from {stall_log}.\nMetrics: loss, accuracy, val_loss, val_accuracy.\n")
    assert "\n1. [accuracy_stall] Accuracy pinned at 0.5000 while the loss moves (epochs 1-20)\n" in out
    assert "\n2. " not in out
    for label in ("Evidence", "Why", "Check", "Read"):
        assert f"   {label}" in out
    assert "0.7000 -> 0.6886" in out  # the numbers of the log are in the evidence
    assert "chapters/low_learning_rate" in out
    assert "1 finding." in out
    assert "No known puzzle" not in out


def test_diagnose_numbers_findings_of_several_runs_and_selects_one_run(capsys, tmp_path):
    history = pd.concat([stall_history(12, run=1), stall_history(15, run=2)], ignore_index=True)
    path = tmp_path / "two_stalls.log"
    path.write_text(render_keras_log(history, "keras2"), encoding="utf-8")

    status, out, _ = run_main(capsys, "diagnose", path)
    assert status == 0
    assert "Read 27 epochs in 2 runs" in out
    assert "\n1. [accuracy_stall] Accuracy pinned at 0.5000 while the loss moves (run 1, epochs 1-12)" in out
    assert "\n2. [accuracy_stall] Accuracy pinned at 0.5000 while the loss moves (run 2, epochs 1-15)" in out
    assert "2 findings." in out

    status, out, _ = run_main(capsys, "diagnose", path, "--run", "2")
    assert status == 0
    assert "Read 15 epochs from" in out
    assert "\n1. [accuracy_stall]" in out and "\n2. " not in out
    assert "(epochs 1-15)" in out  # a single run: no run number


def test_diagnose_report_fits_the_books_code_column(capsys, tmp_path):
    # several findings with long evidence (dips, an output mismatch, a stall of the validation loss ...)
    epochs = np.arange(1, 41)
    accuracy = np.where(epochs % 3 == 0, 0.55, 0.9)
    history = pd.DataFrame({"epoch": epochs, "loss": np.round(0.05 * np.exp(-epochs / 20), 4), "accuracy": 0.6,
                            "val_loss": np.round(0.5 + 0.01 * epochs, 4), "val_accuracy": accuracy})
    path = tmp_path / "long.log"
    path.write_text(render_keras_log(history, "keras3"), encoding="utf-8")
    status, out, _ = run_main(capsys, "diagnose", path, "--val-size", "200")
    assert status == 0 and "4 findings." in out
    lines = out.splitlines()
    assert lines[0] == f"Read 40 epochs from {path}."  # the path alone on its line (it cannot be wrapped)
    assert max(len(line) for line in lines[1:]) <= 88
    assert "0.9000 -> 0.5500 -> 0.9000" in out  # an arrow never starts or ends a line


def test_diagnose_healthy_log_says_nothing_found_and_summarises_curves(capsys):
    status, out, err = run_main(capsys, "diagnose", TWO_RUNS)
    assert status == 0 and err == ""
    assert "No known puzzle found" in out
    assert "Run 1, epochs 1 to 3:" in out and "Run 2, epochs 1 to 2:" in out
    assert "  loss          0.4700 -> 0.3609  (lowest 0.3609 at epoch 3)" in out
    assert "  val_accuracy  0.9000 -> 0.9750  (highest 0.9750 at epoch 2)" in out


def test_diagnose_with_plot_writes_the_curves(capsys, stall_log, tmp_path):
    output = tmp_path / "curves.png"
    status, out, err = run_main(capsys, "diagnose", stall_log, "--plot", output)
    assert status == 0 and err == ""
    assert f"Curves written to {output}" in out
    read_image(output)


@pytest.mark.parametrize("name", ["keras3_verbose1_raw.txt", "keras2_glued.txt", "keras3_csvlogger.csv",
                                  "keras3_history.json", "keras1_samples.txt"])
def test_diagnose_reads_every_log_style(capsys, name):
    status, out, err = run_main(capsys, "diagnose", LOGS / name)
    assert status == 0 and err == ""
    epochs = len(read_keras_log(LOGS / name))
    assert out.startswith(f"Read {epochs} epoch")


# --------------------------------------------------------------------------------------------- stdin
def test_log_from_stdin_bytes_keeps_raw_terminal_redraws(capsys, monkeypatch):
    raw = (LOGS / "keras3_verbose1_raw.txt").read_bytes()
    assert b"\r" in raw or b"\x08" in raw
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    status, out, err = run_main(capsys, "diagnose", "-")
    expected = read_keras_log(LOGS / "keras3_verbose1_raw.txt")
    assert status == 0 and err == ""
    assert out.startswith(f"Read {len(expected)} epochs from standard input.\nMetrics: ")


def test_log_from_text_stdin_and_empty_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(TWO_RUNS.read_text(encoding="utf-8")))
    status, out, _ = run_main(capsys, "diagnose", "-")
    assert status == 0 and "Read 5 epochs in 2 runs from standard input" in out

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    status, out, err = run_main(capsys, "diagnose", "-")
    assert_one_error_line(status, err)
    assert "standard input" in err and out == ""


# --------------------------------------------------------------------------------------------- plot
def test_plot_writes_png_without_touching_pyplot_or_rcparams(capsys, tmp_path):
    before = dict(matplotlib.rcParams)
    output = tmp_path / "one.png"
    status, out, err = run_main(capsys, "plot", LOGS / "keras1_samples.txt", "-o", output)
    assert status == 0 and err == ""
    assert out == f"Curves of loss, acc written to {output}\n"
    read_image(output)
    assert plt.get_fignums() == []  # drawn on a Figure of its own, no pyplot figure left open
    assert dict(matplotlib.rcParams) == before  # the book style was applied in a context only


def test_plot_metrics_aliases_and_one_row_per_run(capsys, tmp_path):
    single, several = tmp_path / "run1.png", tmp_path / "runs.png"
    status, out, _ = run_main(capsys, "plot", TWO_RUNS, "-o", single, "--run", "1", "--metrics", "acc", "val_loss")
    assert status == 0
    assert out.startswith("Curves of accuracy, loss written")  # acc -> accuracy; val_loss drawn with loss
    status, _, _ = run_main(capsys, "plot", TWO_RUNS, "-o", several, "--metrics", "loss", "accuracy")
    assert status == 0
    one_row, two_rows = read_image(single), read_image(several)
    assert two_rows.shape[0] > 1.5 * one_row.shape[0]


def test_plot_overlays_many_runs_on_one_row(capsys, tmp_path):
    history = pd.concat([stall_history(6, run=run) for run in range(1, 9)], ignore_index=True)
    path, output = tmp_path / "eight.log", tmp_path / "eight.png"
    path.write_text(render_keras_log(history, "keras3_verbose2"), encoding="utf-8")
    status, _, err = run_main(capsys, "plot", path, "-o", output)
    assert status == 0 and err == ""
    image = read_image(output)
    assert image.shape[0] < image.shape[1]  # one row of two panels, not eight rows


def test_plot_other_formats_and_validation_only_metric(capsys, tmp_path):
    output = tmp_path / "curves.svg"
    status, _, err = run_main(capsys, "plot", TWO_RUNS, "-o", output, "--metrics", "val_loss", "--run", "2")
    assert status == 0 and err == ""
    assert output.read_text(encoding="utf-8").lstrip().startswith("<?xml")


# --------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["diagnose", "{tmp}/missing.log"], "no such log file"),
        (["diagnose", "{tmp}"], "is a folder"),
        (["diagnose", "{tmp}/notes.txt"], "no training epochs found"),
        (["diagnose", "{two}", "--val-size", "0"], "argument --val-size: expected a whole number >= 1, got '0'"),
        (["diagnose", "{two}", "--val-size", "abc"], "got 'abc'"),
        (["diagnose", "{two}", "--train-size", "-3"], "argument --train-size"),
        (["diagnose", "{two}", "--run", "3"], "no run 3"),
        (["diagnose", "{two}", "--plot", "{tmp}/no/such/folder/out.png"], "does not exist"),
        (["diagnose", "{two}", "--plot", "{tmp}/out.xyz"], "unknown image format 'xyz'"),
        (["diagnose", "{two}", "--bogus"], "unrecognized arguments: --bogus"),
        (["diagnose"], "required: LOG"),
        (["plot", "{two}"], "required: -o/--output"),
        (["plot", "{two}", "-o", "{tmp}/out.png", "--metrics", "f1"], "unknown metric 'f1'"),
        (["plot", "{two}", "-o", "{tmp}/missing/out.png"], "does not exist"),
        (["plot", "{two}", "-o", "{tmp}"], "it is a folder"),
        (["explain", "{two}"], "invalid choice: 'explain'"),
        ([], "required: COMMAND"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys, tmp_path, argv, fragment):
    (tmp_path / "notes.txt").write_text("These are my notes.\nNo epochs here.\n", encoding="utf-8")
    argv = [arg.format(tmp=tmp_path, two=TWO_RUNS) for arg in argv]
    status, out, err = run_main(capsys, *argv)
    assert_one_error_line(status, err)
    assert fragment in err
    assert out == ""
    assert not list(tmp_path.glob("**/*.png"))  # nothing written on error


def test_unreadable_file_is_one_line_error(capsys, tmp_path):
    path = tmp_path / "binary.log"
    path.write_bytes(bytes(range(256)) * 4)
    status, _, err = run_main(capsys, "diagnose", path)
    assert_one_error_line(status, err)
    assert "cannot read the log" in err


# --------------------------------------------------------------------------------------------- help
def test_help_lists_commands_and_examples(capsys):
    status, out, err = run_main(capsys, "--help")
    assert status == 0 and err == ""
    for text in ("diagnose", "plot", "examples:", "lossacc diagnose training.log --plot curves.png",
                 "lossacc diagnose -", "--version"):
        assert text in out
    for command, example in (("diagnose", "--val-size 200"), ("plot", "-o curves.png")):
        status, out, _ = run_main(capsys, command, "--help")
        assert status == 0
        assert out.startswith(f"usage: lossacc {command}")
        assert "examples:" in out and example in out


def test_version(capsys):
    from lossacc import __version__

    status, out, _ = run_main(capsys, "--version")
    assert status == 0 and out == f"lossacc {__version__}\n"


def test_parser_prog_is_lossacc():
    assert build_parser().prog == "lossacc"


# --------------------------------------------------------------------------------------------- real processes
@pytest.fixture(scope="module")
def subprocess_results(tmp_path_factory):
    """Run ``python -m lossacc`` twice at the same time (each start imports TensorFlow, ~5 s of CPU)."""
    folder = tmp_path_factory.mktemp("cli")
    log = folder / "stall.log"
    log.write_text(render_keras_log(stall_history(), "keras3"), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "lossacc"]
    ok = subprocess.Popen(
        [*command, "diagnose", "-", "--val-size", "100", "--plot", str(folder / "curves.png")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=folder,
    )
    missing = subprocess.Popen(
        [*command, "plot", str(folder / "missing.log"), "-o", str(folder / "x.png")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=folder,
    )
    results = {
        "ok": ok.communicate(log.read_bytes(), timeout=120),
        "missing": missing.communicate(timeout=120),
    }
    codes = {"ok": ok.returncode, "missing": missing.returncode}
    return folder, {key: (codes[key], out.decode(), err.decode()) for key, (out, err) in results.items()}


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_python_m_lossacc_diagnoses_stdin(subprocess_results):
    folder, results = subprocess_results
    status, out, err = results["ok"]
    assert status == 0, err
    assert err == ""  # no traceback, and no library warnings either
    assert "1. [accuracy_stall]" in out and "chapters/low_learning_rate" in out
    read_image(folder / "curves.png")


def test_python_m_lossacc_error_is_one_line(subprocess_results):
    folder, results = subprocess_results
    status, out, err = results["missing"]
    assert_one_error_line(status, err)
    assert "no such log file" in err and out == ""
    assert not (folder / "x.png").exists()


def test_reading_and_diagnosing_a_log_does_not_load_keras():
    """The package facade is lazy: `lossacc diagnose LOG` must not pay for importing Keras/TensorFlow."""
    import subprocess
    import sys
    from pathlib import Path

    log = Path(__file__).parent / "data" / "logs" / "keras3_verbose1.txt"
    code = (
        "import sys, lossacc\n"
        f"table = lossacc.read_keras_log({str(log)!r})\n"
        "lossacc.diagnose(table)\n"
        "from lossacc.cli import main\n"
        "print('keras' in sys.modules, 'tensorflow' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"
