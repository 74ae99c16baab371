"""Tests for lossacc.logs._reader: reading Keras logs as people paste them, and rendering histories as logs."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lossacc.logs._reader import _PAIR_RE, LOG_STYLES, _pairs, _split_glued_header, read_keras_log, render_keras_log

DATA = Path(__file__).parent / "data" / "logs"
PRINTED_ATOL = 5.1e-5  # Keras prints 4 decimals


def fixture_text(name: str) -> str:
    """A fixture's text with its carriage returns kept."""
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def expected_history(name: str) -> pd.DataFrame:
    history = json.loads((DATA / name).read_text())
    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    frame.insert(0, "run", 1)
    return frame


def metric_values(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["run", "epoch"])


# ----------------------------------------------------------------------------- real Keras 3 output
@pytest.mark.parametrize(
    ("log_name", "history_name"),
    [
        ("keras3_verbose1.txt", "keras3_verbose1_expected.json"),
        ("keras3_verbose1_raw.txt", "keras3_verbose1_expected.json"),
        ("keras3_verbose2.txt", "keras3_verbose2_expected.json"),
        ("keras3_multi_output.txt", "keras3_multi_output_expected.json"),
    ],
)
def test_keras3_logs_match_the_recorded_history(log_name, history_name):
    frame = read_keras_log(DATA / log_name)
    expected = expected_history(history_name)
    assert list(frame.columns[:2]) == ["run", "epoch"]
    assert sorted(frame.columns[2:]) == sorted(expected.columns[2:])
    assert frame["run"].tolist() == [1] * len(expected)
    assert frame["epoch"].tolist() == expected["epoch"].tolist()
    assert all(frame[name].dtype == "float64" for name in frame.columns[2:])
    for name in expected.columns[2:]:
        np.testing.assert_allclose(frame[name], expected[name], atol=PRINTED_ATOL, err_msg=name)


def test_keras3_columns_in_printed_order():
    assert list(read_keras_log(DATA / "keras3_verbose1.txt").columns) == [
        "run", "epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert list(read_keras_log(DATA / "keras3_multi_output.txt").columns) == [
        "run", "epoch", "loss", "out_a_accuracy", "out_a_loss", "out_b_loss", "out_b_mae"]


def test_raw_capture_reads_like_the_displayed_text():
    raw = fixture_text("keras3_verbose1_raw.txt")
    assert "\r" in raw and "\b" in raw and "\x1b[" in raw  # a real capture: Keras 3 redraws with \b, \r, ANSI
    displayed = read_keras_log(DATA / "keras3_verbose1.txt")
    pd.testing.assert_frame_equal(read_keras_log(raw), displayed)
    pd.testing.assert_frame_equal(read_keras_log(DATA / "keras3_verbose1_raw.txt"), displayed)
    # the same capture read with universal newlines: every intermediate state is now a line of its own
    pd.testing.assert_frame_equal(read_keras_log(raw.replace("\r", "\n")), displayed)
    # the escape characters lost in a paste, leaving "[1m" and "[0m"
    pd.testing.assert_frame_equal(read_keras_log(raw.replace("\x1b", "").replace("\r", "\n")), displayed)


def test_intermediate_states_never_leak():
    raw = fixture_text("keras3_verbose1_raw.txt")
    frame = read_keras_log(raw)
    intermediate_losses = {0.6726, 0.7038, 0.6920, 0.6784}  # printed on the 1/8..7/8 states of epoch 1
    assert intermediate_losses.isdisjoint(set(frame["loss"].round(4)))
    assert len(frame) == 3


def test_two_fit_calls_are_two_runs():
    frame = read_keras_log(DATA / "keras3_two_runs.txt")
    assert frame["run"].tolist() == [1, 1, 1, 2, 2]
    assert frame["epoch"].tolist() == [1, 2, 3, 1, 2]
    assert frame["val_loss"].tolist() == [0.3562, 0.3093, 0.2658, 0.2259, 0.1905]


def test_csvlogger_file_is_one_based_and_exact():
    frame = read_keras_log(DATA / "keras3_csvlogger.csv")
    expected = expected_history("keras3_history.json")
    assert frame["epoch"].tolist() == [1, 2, 3]  # CSVLogger writes 0, 1, 2
    pd.testing.assert_frame_equal(frame, expected[frame.columns])
    pd.testing.assert_frame_equal(read_keras_log(DATA / "keras3_history.json"), frame)
    # the printed log of the same fit agrees to 4 decimals
    printed = read_keras_log(DATA / "keras3_two_runs.txt").query("run == 1")
    np.testing.assert_allclose(metric_values(printed), metric_values(frame), atol=PRINTED_ATOL)


# ----------------------------------------------------------------------------- Keras 1/2 formats
def test_keras1_samples_without_step_time():
    frame = read_keras_log(DATA / "keras1_samples.txt")
    assert list(frame.columns) == ["run", "epoch", "loss", "acc", "val_loss", "val_acc"]
    assert frame["epoch"].tolist() == [1, 2, 3]
    assert frame["acc"].tolist() == [0.5, 0.5475, 0.6025]
    assert frame["val_acc"].tolist() == [0.48, 0.56, 0.63]


def test_keras2_steps_header():
    frame = read_keras_log(DATA / "keras2_steps.txt")
    assert frame["run"].tolist() == [1, 1, 1]
    assert frame["loss"].tolist() == [0.6931, 0.6918, 0.6904]
    assert frame["val_accuracy"].tolist() == [0.51, 0.51, 0.51]


def test_keras2_raw_terminal_capture():
    raw = fixture_text("keras2_raw.txt")
    frame = read_keras_log(raw)
    assert frame["loss"].tolist() == [0.6931, 0.6918, 0.6904]
    assert frame["accuracy"].tolist() == [0.5, 0.5025, 0.505]
    assert frame["val_loss"].tolist() == [0.6925, 0.6911, 0.6897]
    # intermediate "ETA" states (loss 0.7104, 0.6512, ...) are gone, whatever the line ends became
    pd.testing.assert_frame_equal(read_keras_log(raw.replace("\r", "\n")), frame)
    pd.testing.assert_frame_equal(read_keras_log(raw.replace("\b", "")), frame)


KERAS2_LINE = "13/13 [==============================] - 0s 5ms/step - loss: {loss} - accuracy: {acc}"


@pytest.mark.parametrize(
    "text",
    [
        # Keras 2.0 verbose=2
        "Epoch 1/2\n - 0s - loss: 0.6931 - acc: 0.5000\nEpoch 2/2\n - 0s - loss: 0.6000 - acc: 0.7500\n",
        # Keras 1 verbose=2
        "Epoch 1/2\n0s - loss: 0.6931 - acc: 0.5000\nEpoch 2/2\n1s - loss: 0.6000 - acc: 0.7500\n",
        # tf.keras 2.7+ verbose=2 (times at the end)
        "Epoch 1/2\n13/13 - 0s - loss: 0.6931 - acc: 0.5000 - 131ms/epoch - 10ms/step\n"
        "Epoch 2/2\n13/13 - 0s - loss: 0.6000 - acc: 0.7500 - 95ms/epoch - 7ms/step\n",
        # Keras 3 verbose=2
        "Epoch 1/2\n13/13 - 0s - 8ms/step - loss: 0.6931 - acc: 0.5000\nEpoch 2/2\n"
        "13/13 - 0s - 8ms/step - loss: 0.6000 - acc: 0.7500\n",
        # samples with tf 2.0's per-sample time
        "Train on 400 samples\nEpoch 1/2\n"
        "400/400 [==============================] - 0s 50us/sample - loss: 0.6931 - acc: 0.5000\n"
        "Epoch 2/2\n400/400 [==============================] - 0s 48us/sample - loss: 0.6000 - acc: 0.7500\n",
        # metrics in another order on each line
        "Epoch 1/2\n8/8 [====] - 0s - acc: 0.5000 - loss: 0.6931\nEpoch 2/2\n"
        "8/8 [====] - 0s - loss: 0.6000 - acc: 0.7500\n",
        # windows line ends, blank lines and trailing spaces
        "Epoch 1/2\r\n\r\n8/8 [====] - 0s - loss: 0.6931 - acc: 0.5000   \r\n\r\n\r\nEpoch 2/2\r\n"
        "8/8 [====] - 0s - loss: 0.6000 - acc: 0.7500\r\n",
        # markdown: indented code block and a quote
        "    Epoch 1/2\n    8/8 [====] - 0s - loss: 0.6931 - acc: 0.5000\n    Epoch 2/2\n"
        "    8/8 [====] - 0s - loss: 0.6000 - acc: 0.7500\n",
        "> Epoch 1/2\n> 8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6931 - acc: 0.5000\n>\n> Epoch 2/2\n"
        "> 8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6000 - acc: 0.7500\n",
        "```\nEpoch 1/2\n8/8 [====] - 0s - loss: 0.6931 - acc: 0.5000\nEpoch 2/2\n"
        "8/8 [====] - 0s - loss: 0.6000 - acc: 0.7500\n```\n",
        # first epoch without its header
        "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6931 - acc: 0.5000\nEpoch 2/2\n"
        "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6000 - acc: 0.7500\n",
        # the header on the same line as its progress line, with and without a space
        "Epoch 1/2 8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6931 - acc: 0.5000\n"
        "Epoch 2/28/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6000 - acc: 0.7500\n",
        # a callback's predict() progress line (no metrics) and ModelCheckpoint chatter inside the epochs
        "Epoch 1/2\n1/1 ━━━━━━━━━━━━━━━━━━━━ 0s 20ms/step\n"
        "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6931 - acc: 0.5000\n"
        "Epoch 1: val_loss improved from inf to 0.69310, saving model to best.keras\n"
        "Epoch 2/2\n8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6000 - acc: 0.7500\n",
        # steps unknown in the first epoch (a generator), known afterwards
        "Epoch 1/2\n      8/Unknown 1s 5ms/step - loss: 0.6931 - acc: 0.5000\nEpoch 2/2\n"
        "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6000 - acc: 0.7500\n",
        # lines from a logger with timestamps
        "2024-05-01 12:00:00 INFO Epoch 1/2\n2024-05-01 12:00:01 INFO 8/8 [====] - 0s - loss: 0.6931 - acc: 0.5000\n"
        "2024-05-01 12:00:01 INFO Epoch 2/2\n2024-05-01 12:00:02 INFO 8/8 [====] - 0s - loss: 0.6000 - acc: 0.7500\n",
        # non-breaking spaces and tabs from a web page
        "Epoch 1/2\n8/8\u00a0[====]\t-\u00a00s - loss:\u00a00.6931 - acc: 0.5000\nEpoch 2/2\n"
        "8/8 [====] - 0s - loss: 0.6000 - acc: 0.7500\n",
    ],
    ids=["keras20-v2", "keras1-v2", "tf27-v2", "keras3-v2", "samples", "order", "crlf", "indent", "quote", "fence",
         "no-first-header", "header-same-line", "chatter", "unknown-steps", "timestamps", "nbsp"],
)
def test_two_epoch_variants(text):
    frame = read_keras_log(text)
    assert frame["run"].tolist() == [1, 1]
    assert frame["epoch"].tolist() == [1, 2]
    assert frame["loss"].tolist() == [0.6931, 0.6]
    assert frame["acc"].tolist() == [0.5, 0.75]


def test_number_formats():
    text = (
        "Epoch 1/3\n8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.0000e+00 - acc: 1.0000 - lr: 1.0000e-04\n"
        "Epoch 2/3\n8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: nan - acc: 0.5000 - lr: 1.2345e-05\n"
        "Epoch 3/3\n8/8 - 0s - 5ms/step - loss: inf - acc: -5.0000e-01 - lr: -inf\n"
    )
    frame = read_keras_log(text)
    assert frame["loss"].iloc[0] == 0.0
    assert math.isnan(frame["loss"].iloc[1])
    assert frame["loss"].iloc[2] == math.inf
    assert frame["acc"].tolist() == [1.0, 0.5, -0.5]
    assert frame["lr"].tolist()[:2] == [1e-4, 1.2345e-05]
    assert frame["lr"].iloc[2] == -math.inf


def test_metrics_missing_in_some_epochs_are_nan():
    text = "Epoch 1/2\n8/8 [====] - 0s - loss: 0.6931\nEpoch 2/2\n8/8 [====] - 0s - loss: 0.6000 - val_loss: 0.7000\n"
    frame = read_keras_log(text)
    assert math.isnan(frame["val_loss"].iloc[0]) and frame["val_loss"].iloc[1] == 0.7


# ----------------------------------------------------------------------------- glued pastes
def test_glued_paste_fixture():
    frame = read_keras_log(DATA / "keras2_glued.txt")
    assert frame["epoch"].tolist() == [1, 2, 3]
    assert frame["run"].tolist() == [1, 1, 1]
    assert frame["loss"].tolist() == [0.6932, 0.6930, 0.6929]
    assert frame["val_accuracy"].tolist() == [0.4766] * 3


BAR = "[==============================] - 4s 14ms/step"


def glued(first_header: str, *epochs: str) -> str:
    return first_header + "".join(epochs)


@pytest.mark.parametrize(
    ("text", "epochs", "losses"),
    [
        # every header glued to its counter, the first one too: "10281" = 10 epochs + counter 281 (= the total)
        (f"Epoch 1/10281/281 {BAR} - loss: 0.6932Epoch 2/10281/281 {BAR} - loss: 0.6930", [1, 2], [0.6932, 0.693]),
        # "Epoch 3/5" + "123/123": splits 5|123, 51|23 and 512|3 all fit; the counter equal to the total wins
        (f"Epoch 3/5123/123 {BAR} - loss: 0.5000Epoch 4/5123/123 {BAR} - loss: 0.4000", [3, 4], [0.5, 0.4]),
        # full-batch training, 1 step: "Epoch 2/2" + "1/1", "Epoch 12/12" + "1/1"
        (f"Epoch 1/21/1 {BAR} - loss: 0.6000Epoch 2/21/1 {BAR} - loss: 0.5000", [1, 2], [0.6, 0.5]),
        (f"Epoch 11/121/1 {BAR} - loss: 0.6000Epoch 12/121/1 {BAR} - loss: 0.5000", [11, 12], [0.6, 0.5]),
        # 100 epochs of 1 step: "1001" is 100|1, not 10|01 (no leading zeros) or 1|001
        (f"Epoch 1/1001/1 {BAR} - loss: 0.6000Epoch 2/1001/1 {BAR} - loss: 0.5000", [1, 2], [0.6, 0.5]),
        # the epoch count as wide as the counter: "Epoch 10/10" + "99/99" (109|9 is also possible but not final)
        (f"Epoch 9/1099/99 {BAR} - loss: 0.6000Epoch 10/1099/99 {BAR} - loss: 0.5000", [9, 10], [0.6, 0.5]),
        # Keras 3 bars and verbose=2 lines glue the same way
        ("Epoch 1/38/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.6000Epoch 2/38/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - "
         "loss: 0.5000Epoch 3/38/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.4000", [1, 2, 3], [0.6, 0.5, 0.4]),
        ("Epoch 1/28/8 - 0s - 5ms/step - loss: 0.6000Epoch 2/28/8 - 0s - 5ms/step - loss: 0.5000", [1, 2], [0.6, 0.5]),
        # single-epoch Keras 3 fits print no header: a counter glued to the previous value takes the total's width
        ("281/281 ━━━━━━━━━━━━━━━━━━━━ 3s 9ms/step - loss: 0.6931281/281 ━━━━━━━━━━━━━━━━━━━━ 3s 9ms/step - loss: "
         "0.5000", [1, 2], [0.6931, 0.5]),
        ("8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 6.9310e-018/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.5000",
         [1, 2], [0.6931, 0.5]),
        # "Train for N steps" glued to the first header
        (f"Train for 281 steps, validate for 71 stepsEpoch 1/10281/281 {BAR} - loss: 0.6932", [1], [0.6932]),
    ],
    ids=["all-glued", "5|123", "full-batch", "full-batch-12", "100-epochs", "wide-count", "keras3", "verbose2",
         "value-glue", "value-glue-exp", "train-for"],
)
def test_glued_epochs_are_split(text, epochs, losses):
    frame = read_keras_log(text)
    assert frame["epoch"].tolist() == epochs
    assert frame["loss"].tolist() == losses
    assert frame["run"].nunique() == 1


def test_known_epoch_count_decides_an_ambiguous_split():
    # with an unglued "Epoch 1/51" header the digits "5123" must be 51|23: step 23 of 123, an intermediate state
    intermediate = (
        "Epoch 1/51\n123/123 [====] - 1s - loss: 0.7000Epoch 2/5123/123 [=========>....] - ETA: 1s - loss: 0.9999"
    )
    frame = read_keras_log(intermediate + "\n123/123 [====] - 1s - loss: 0.6000\n")
    assert frame["epoch"].tolist() == [1, 2]
    assert frame["loss"].tolist() == [0.7, 0.6]  # 0.9999 was the intermediate state
    assert frame["run"].tolist() == [1, 1]
    # without the header, the final-state reading (5 epochs, step 123/123) is the likely one
    frame = read_keras_log("Epoch 2/5123/123 [====] - 1s - loss: 0.6000\n")
    assert frame["loss"].tolist() == [0.6]


@pytest.mark.parametrize(
    ("epoch", "digits", "total", "known", "expected"),
    [
        ("2", "10281", "281", set(), (10, 281)),
        ("2", "10281", "281", {1028}, (1028, 1)),  # "Epoch 2/1028" + unpadded "1/281"
        ("3", "5123", "123", set(), (5, 123)),
        ("3", "5123", "123", {51}, (51, 23)),
        ("3", "5123", "123", {512}, (512, 3)),
        ("12", "1281", "281", set(), (12, 81)),  # 1|281 is impossible (fewer epochs than 12); no final reading
        ("12", "1281", "281", {128}, (128, 1)),
        ("2", "21", "1", set(), (2, 1)),
        ("2", "1001", "1", set(), (100, 1)),
        ("20", "10", "5", set(), None),  # no split gives at least 20 epochs
    ],
)
def test_glued_header_disambiguation(epoch, digits, total, known, expected):
    assert _split_glued_header(epoch, digits, total, known) == expected


# ----------------------------------------------------------------------------- truncation, runs
def test_truncated_last_line_keeps_complete_pairs():
    frame = read_keras_log(DATA / "keras2_truncated.txt")
    assert frame["epoch"].tolist() == [1, 2]
    assert frame.loc[1, ["loss", "accuracy"]].tolist() == [0.6918, 0.5]
    assert math.isnan(frame.loc[1, "val_loss"]) and math.isnan(frame.loc[1, "val_accuracy"])


def test_truncated_value_is_dropped_but_a_complete_last_value_kept():
    head = "Epoch 1/1\n8/8 [====] - 0s - loss: 0.6931 - acc: "
    assert list(read_keras_log(head + "0.50").columns) == ["run", "epoch", "loss"]  # cut inside "0.5000"
    assert "acc" not in read_keras_log(head + "5.0000e-0").columns  # cut inside "5.0000e-01"
    assert read_keras_log(head + "0.5000")["acc"].iloc[0] == 0.5  # no final newline, but complete
    assert read_keras_log(head + "0.50\n")["acc"].iloc[0] == 0.5  # the line was finished
    assert read_keras_log(head + "nan")["acc"].isna().all()


def test_unfinished_last_epoch_gives_no_row():
    text = fixture_text("keras3_verbose1_raw.txt")
    cut = text[: text.index("Epoch 3/3")] + text[text.index("Epoch 3/3"):][:700]  # stops at an intermediate state
    frame = read_keras_log(cut)
    assert frame["epoch"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("text", "runs", "epochs"),
    [
        ("Epoch 1/2\n8/8 [==] - loss: 0.5000\nEpoch 2/2\n8/8 [==] - loss: 0.4000\n"
         "Epoch 1/2\n8/8 [==] - loss: 0.3000\nEpoch 2/2\n8/8 [==] - loss: 0.2000\n", [1, 1, 2, 2], [1, 2, 1, 2]),
        # a second fit(initial_epoch=2, epochs=4): the epoch count in the header changes
        ("Epoch 1/2\n8/8 [==] - loss: 0.5000\nEpoch 2/2\n8/8 [==] - loss: 0.4000\n"
         "Epoch 3/4\n8/8 [==] - loss: 0.3000\nEpoch 4/4\n8/8 [==] - loss: 0.2000\n", [1, 1, 2, 2], [1, 2, 3, 4]),
        # "Train on" opens each fit
        ("Train on 8 samples\nEpoch 1/1\n8/8 [==] - loss: 0.5000\nTrain on 8 samples\nEpoch 1/1\n"
         "8/8 [==] - loss: 0.4000\n",
         [1, 2], [1, 1]),
        # a 1-epoch Keras 3 fit (no header) followed by a 2-epoch fit
        ("8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.5000\nEpoch 1/2\n"
         "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.4000\n"
         "Epoch 2/2\n8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.3000\n", [1, 2, 2], [1, 1, 2]),
        # a paste that starts in the middle of a run: the headerless epoch is the one before the first header
        ("8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.5000\nEpoch 5/6\n"
         "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.4000\n",
         [1, 1], [4, 5]),
        # model.evaluate() after fit is not an epoch
        ("Epoch 1/2\n8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.5000\nEpoch 2/2\n"
         "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - "
         "loss: 0.4000\n2/2 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - loss: 0.4500\n", [1, 1], [1, 2]),
    ],
    ids=["restart", "initial-epoch", "train-on", "single-epoch-fit", "mid-run", "evaluate"],
)
def test_runs(text, runs, epochs):
    frame = read_keras_log(text)
    assert frame["run"].tolist() == runs
    assert frame["epoch"].tolist() == epochs


# ----------------------------------------------------------------------------- CSV and JSON
def test_csvlogger_append_mode_and_missing_values():
    text = "epoch,accuracy,loss,val_loss\n0,0.5,0.69,NA\n1,0.6,0.6,0.65\n0,0.7,0.5,0.55\n1,0.8,0.4,\n"
    frame = read_keras_log(text)
    assert frame["run"].tolist() == [1, 1, 2, 2]
    assert frame["epoch"].tolist() == [1, 2, 1, 2]
    assert frame["val_loss"].isna().tolist() == [True, False, False, True]


@pytest.mark.parametrize(
    "text",
    [
        "epoch;loss;acc\r\n0;0.69;0.5\r\n1;0.6;0.75\r\n",  # another separator, Windows line ends
        ",loss,acc\n0,0.69,0.5\n1,0.6,0.75\n",  # pandas DataFrame(history.history).to_csv()
        "loss,acc\n0.69,0.5\n0.6,0.75",  # to_csv(index=False)
        "\ufeffepoch,loss,acc\n0,0.69,0.5\n1,0.6,0.75\n",  # a byte-order mark
    ],
)
def test_csv_variants(text):
    frame = read_keras_log(text)
    assert frame["epoch"].tolist() == [1, 2]
    assert frame["loss"].tolist() == [0.69, 0.6]
    assert frame["acc"].tolist() == [0.5, 0.75]


def test_csv_of_a_read_table_round_trips():
    frame = read_keras_log(DATA / "keras3_two_runs.txt")
    pd.testing.assert_frame_equal(read_keras_log(frame.to_csv(index=False)), frame)


@pytest.mark.parametrize(
    "text",
    [
        '{"loss": [0.69, 0.6], "acc": [0.5, 0.75]}',
        "{'loss': [np.float32(0.69), np.float64(0.6)], 'acc': [0.5, 0.75]}",  # print(history.history), numpy 2
        '{"history": {"loss": [0.69, 0.6], "acc": [0.5, 0.75]}}',
        '{"loss": [0.69, 0.6], "acc": [0.5, 0.75], "epoch": [0, 1]}',
    ],
)
def test_history_dumps(text):
    frame = read_keras_log(text)
    assert list(frame.columns) == ["run", "epoch", "loss", "acc"]
    assert frame["epoch"].tolist() == [1, 2]
    assert frame["loss"].tolist() == [0.69, 0.6]


def test_history_dump_special_values():
    frame = read_keras_log("{'loss': [nan, inf, -inf, None]}")
    assert np.isnan(frame["loss"].iloc[0]) and frame["loss"].iloc[1:3].tolist() == [math.inf, -math.inf]
    assert np.isnan(read_keras_log('{"loss": [NaN, 1]}')["loss"].iloc[0])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"loss": [0.69, 0.6], "acc": [0.5]}', "one value per epoch"),
        ('{"loss": [0.69, "high"]}', "non-numeric"),
        ('{"loss": [[0.69]]}', "non-numeric"),
        ('{"loss": []}', "no training epochs"),
    ],
)
def test_bad_history_dumps(text, match):
    with pytest.raises(ValueError, match=match):
        read_keras_log(text)


# ----------------------------------------------------------------------------- sources and errors
def test_path_and_str_sources(tmp_path, monkeypatch):
    text = fixture_text("keras2_steps.txt")
    expected = read_keras_log(text)
    path = tmp_path / "train.log"
    path.write_text(text)
    pd.testing.assert_frame_equal(read_keras_log(path), expected)
    pd.testing.assert_frame_equal(read_keras_log(str(path)), expected)
    monkeypatch.chdir(tmp_path)
    pd.testing.assert_frame_equal(read_keras_log("train.log"), expected)
    utf16 = tmp_path / "powershell.log"  # `python train.py > log` in Windows PowerShell writes UTF-16
    utf16.write_bytes(text.encode("utf-16"))
    pd.testing.assert_frame_equal(read_keras_log(utf16), expected)


def test_missing_path_object_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such log file"):
        read_keras_log(tmp_path / "missing.log")
    with pytest.raises(FileNotFoundError):
        read_keras_log(tmp_path)  # a directory


def test_missing_path_string_is_text_with_a_hint(tmp_path):
    with pytest.raises(ValueError, match="no such file exists"):
        read_keras_log(str(tmp_path / "missing.log"))


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "hello world", "Epoch 1/3\n", "Epoch 1/3\n3/8 [==>....] - ETA: 1s - loss: 0.7000\n",
     "loss,acc\n", "Model: sequential\nTotal params: 17 (68.00 B)\n", '{"a": 1}', "8/8 [====] - 0s 5ms/step\n"],
    ids=["empty", "blank", "prose", "header-only", "intermediate-only", "csv-header", "summary", "json-not-history",
         "no-metrics"],
)
def test_text_without_epochs_raises_value_error(text):
    with pytest.raises(ValueError, match="no training epochs found: expected a Keras training log") as info:
        read_keras_log(text)
    if text.strip():
        assert repr(text[:20])[1:-1][:10] in str(info.value)  # an excerpt of what was given


@pytest.mark.parametrize("source", [None, 3, b"Epoch 1/1", ["Epoch 1/1"], {"loss": [0.5]}])
def test_wrong_type_raises_type_error(source):
    with pytest.raises(TypeError, match="source must be a path"):
        read_keras_log(source)


# ----------------------------------------------------------------------------- rendering
HISTORY = pd.DataFrame({"epoch": [1, 2], "loss": [0.7013, 0.0], "acc": [0.5, 1.0]})


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("keras2", "Epoch 2/2\n"
         "8/8 [==============================] - 0s 966us/step - loss: 0.0000e+00 - acc: 1.0000\n"),
        ("keras2_notime", "Epoch 2/2\n8/8 [==============================] - 0s - loss: 0.0000e+00 - acc: 1.0000\n"),
        ("keras3", "Epoch 2/2\n8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.0000e+00 - acc: 1.0000\n"),
        ("keras3_verbose2", "Epoch 2/2\n8/8 - 0s - 5ms/step - loss: 0.0000e+00 - acc: 1.0000\n"),
        ("csv", "1,0.0,1.0\n"),
        ("json", '{"loss": [0.7013, 0.0], "acc": [0.5, 1.0]}\n'),
    ],
)
def test_render_styles(style, expected):
    text = render_keras_log(HISTORY, style)
    assert text.endswith(expected)
    assert text.startswith({"csv": "epoch,loss,acc\n0,", "json": "{"}.get(style, "Epoch 1/2\n"))


def test_render_details():
    assert not render_keras_log({"loss": [0.5]}, "keras3").startswith("Epoch")  # Keras 3 prints no "Epoch 1/1"
    assert render_keras_log({"loss": [0.5]}, "keras2").startswith("Epoch 1/1\n")
    assert render_keras_log({"loss": [-0.5]}, "keras3_verbose2").endswith("loss: -5.0000e-01\n")
    assert render_keras_log({"loss": [0.5]}, "keras3", steps=281).startswith("281/281 ")
    frame = HISTORY.copy()
    render_keras_log(frame, "csv")
    pd.testing.assert_frame_equal(frame, HISTORY)  # not modified


@pytest.mark.parametrize(
    ("history", "kwargs", "error"),
    [
        (HISTORY, {"style": "keras4"}, ValueError),
        (HISTORY, {"style": 2}, TypeError),
        (HISTORY, {"steps": 0}, ValueError),
        ([0.5, 0.4], {}, TypeError),
        (pd.DataFrame({"epoch": [1]}), {}, ValueError),
        (pd.DataFrame({"loss": ["high"]}), {}, TypeError),
        (pd.DataFrame({"loss": []}), {}, ValueError),
        (pd.DataFrame({"run": [1, 2], "epoch": [1, 1], "loss": [0.5, 0.4]}), {"style": "json"}, ValueError),
    ],
)
def test_render_bad_input(history, kwargs, error):
    with pytest.raises(error):
        render_keras_log(history, **kwargs)


# ----------------------------------------------------------------------------- properties
METRIC_NAMES = ["loss", "acc", "accuracy", "binary_accuracy", "auc", "precision", "recall", "mae", "mse", "lr",
                "learning_rate", "sparse_categorical_accuracy", "dense_1_loss", "dense_1_accuracy", "out_b_mae",
                "f1_score", "precision_1", "top_k_categorical_accuracy"]
VALUES = st.one_of(
    st.floats(0, 10),
    st.floats(1e-12, 1e-3),
    st.floats(1e3, 1e9),
    st.floats(-10, 0),
    st.sampled_from([0.0, 1.0, 0.5, 1e-3, -1e-3, 0.00099995, math.nan, math.inf, -math.inf]),
)


@st.composite
def histories(draw, max_runs=2):
    names = draw(st.lists(st.sampled_from(METRIC_NAMES), min_size=1, max_size=5, unique=True))
    if draw(st.booleans()):
        names = names + ["val_" + name for name in names]
    num_runs = draw(st.integers(1, max_runs))
    rows = []
    for run in range(1, num_runs + 1):
        num_epochs = draw(st.integers(2 if num_runs > 1 else 1, 30))
        for epoch in range(1, num_epochs + 1):
            rows.append({"run": run, "epoch": epoch, **{name: draw(VALUES) for name in names}})
    frame = pd.DataFrame(rows)
    return frame.astype({name: "float64" for name in names}).astype({"run": "int64", "epoch": "int64"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), style=st.sampled_from([s for s in LOG_STYLES if s != "json"]), steps=st.integers(1, 999))
def test_rendered_history_reads_back(history, style, steps):
    frame = read_keras_log(render_keras_log(history, style, steps=steps))
    assert list(frame.columns) == list(history.columns)
    assert frame["run"].tolist() == history["run"].tolist()
    assert frame["epoch"].tolist() == history["epoch"].tolist()
    if style == "csv":  # full precision
        pd.testing.assert_frame_equal(frame, history)
    else:  # 4 decimals, or 4 significant digits in e-notation
        np.testing.assert_allclose(metric_values(frame), metric_values(history), rtol=1e-4, atol=PRINTED_ATOL)


@settings(max_examples=15, deadline=None)
@given(history=histories(max_runs=1))
def test_rendered_json_reads_back_exactly(history):
    pd.testing.assert_frame_equal(read_keras_log(render_keras_log(history, "json")), history)


def read_or_value_error(text):
    try:
        frame = read_keras_log(text)
    except ValueError:
        return
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns[:2]) == ["run", "epoch"] and len(frame) > 0


@settings(max_examples=150, deadline=None)
@given(text=st.text())
def test_any_text_gives_a_table_or_value_error(text):
    read_or_value_error(text)


LOG_PIECES = st.sampled_from([
    "Epoch ", "Epoch 1/3", "Epoch 2/", "1/", "8/8", "/8", "281", "0", "12", " ━━━━", " [====]", " [=>..]", " - ", "0s",
    " 5ms/step", " - loss: ", "acc: ", "val_loss:", "0.6931", "1.0000e-04", "nan", "-inf", "e-0", "\n", "\r", "\b",
    "\x1b[1m", "[0m", "> ", "    ", "Train on 8 samples", "Train for 1 steps", "Unknown", "ETA: 1s", ",", "epoch,loss",
    "{", "}", '"loss": [', "]", "'", "np.float32(", ")", "None", "\ufeff", " ",
])


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.one_of(LOG_PIECES, st.text(max_size=3)), max_size=40).map("".join))
def test_log_like_text_gives_a_table_or_value_error(text):
    read_or_value_error(text)


# ----------------------------------------------------------------------------- the corpus of real pasted logs
# tests/data/logs/real: logs pasted in public issue threads, Q&A pages, READMEs, notebooks and keras.io, quoted
# exactly; MANIFEST.json gives each one's source, Keras version and the values written by hand from reading it.
# tests/data/logs/not_logs: texts that are not training logs (tables, prose, tracebacks, other frameworks' logs).
REAL = DATA / "real"
NOT_LOGS = DATA / "not_logs"
REAL_MANIFEST = json.loads((REAL / "MANIFEST.json").read_text(encoding="utf-8"))
NOT_LOGS_MANIFEST = json.loads((NOT_LOGS / "MANIFEST.json").read_text(encoding="utf-8"))


def same_value(got: float, expected: float | str) -> bool:
    if expected == "nan":
        return math.isnan(got)
    return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


def test_corpus_manifests_list_every_file():
    assert len(REAL_MANIFEST) >= 40 and len(NOT_LOGS_MANIFEST) >= 10
    for folder, manifest in ((REAL, REAL_MANIFEST), (NOT_LOGS, NOT_LOGS_MANIFEST)):
        listed = {entry["file"] for entry in manifest}
        assert listed == {path.name for path in folder.iterdir() if path.name != "MANIFEST.json"}
        assert all(entry["url"] and entry["seen"] for entry in manifest)


@pytest.mark.parametrize("entry", REAL_MANIFEST, ids=[entry["file"] for entry in REAL_MANIFEST])
def test_real_log_reads_as_written_by_hand(entry):
    frame = read_keras_log(REAL / entry["file"])
    runs = [run for _, run in frame.groupby("run", sort=False)]
    assert [[int(run["epoch"].iloc[0]), int(run["epoch"].iloc[-1])] for run in runs] == entry["runs"]
    for run, (first, last) in zip(runs, entry["runs"]):
        assert run["epoch"].tolist() == list(range(first, last + 1))
    assert sorted(frame.columns[2:]) == sorted(entry["metrics"])
    for row, expected in ((frame.iloc[0], entry["first"]), (frame.iloc[-1], entry["last"])):
        for name, value in expected.items():
            assert same_value(float(row[name]), value), (name, row[name], value)
    for check in entry["checks"]:
        row = frame[frame["epoch"] == check["epoch"]].iloc[0]
        for name, value in check.items():
            assert same_value(float(row[name]), value), (check["epoch"], name, row[name], value)


@pytest.mark.parametrize("entry", NOT_LOGS_MANIFEST, ids=[entry["file"] for entry in NOT_LOGS_MANIFEST])
def test_text_that_is_not_a_log_is_refused(entry):
    with pytest.raises(ValueError, match="not a training history|no training epochs found"):
        read_keras_log(NOT_LOGS / entry["file"])


# ----------------------------------------------------------------------------- the patterns of issue 10
def test_the_last_complete_line_of_an_epoch_wins():
    text = (  # TF 2.2-2.4: a line before validation, callback messages, then the line with val_* and lr
        "Epoch 1/2\n"
        "4/4 [==============================] - ETA: 0s - loss: 0.7000 - accuracy: 0.5000\n"
        "Epoch 00001: val_loss improved from inf to 0.69000, saving model to best.h5\n"
        "Epoch 00001: ReduceLROnPlateau reducing learning rate to 0.0005.\n"
        "4/4 [==============================] - 1s 9ms/step - loss: 0.7000 - accuracy: 0.5000 - val_loss: 0.6900"
        " - val_accuracy: 0.5500 - lr: 1.0000e-03\n"
        "Epoch 2/2\n"  # keras.io's Keras 3 rendering: before and after validation
        " 4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.6000 - loss: 0.6500\n"
        " 4/4 ━━━━━━━━━━━━━━━━━━━━ 1s 9ms/step - accuracy: 0.6000 - loss: 0.6500 - val_accuracy: 0.6000"
        " - val_loss: 0.6400 - learning_rate: 5.0000e-04\n"
    )
    frame = read_keras_log(text)
    assert frame["epoch"].tolist() == [1, 2]
    assert frame["val_loss"].tolist() == [0.69, 0.64]
    assert frame["lr"].tolist()[0] == 1e-3 and frame["learning_rate"].tolist()[1] == 5e-4


@pytest.mark.parametrize(
    "text",
    [
        # evaluate() of another model before the fit (other step count, no val_*)
        "2/2 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - loss: 0.9000\nEpoch 1/2\n"
        "8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.5000 - val_loss: 0.6000\n"
        "Epoch 2/2\n8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.4000 - val_loss: 0.5500\n",
        # evaluate() after the fit, also with an unknown step count (tf.data of unknown cardinality)
        "Epoch 1/2\n8/8 [====] - 0s 5ms/step - loss: 0.5000 - val_loss: 0.6000\n"
        "Epoch 2/2\n8/8 [====] - 0s 5ms/step - loss: 0.4000 - val_loss: 0.5500\n"
        "2/2 [====] - 0s 3ms/step - loss: 0.9000\n    715/Unknown - 9s 12ms/step - loss: 0.9100\n",
        # predict() bars and a printed score after the fit
        "Epoch 1/2\n8/8 - 0s - 5ms/step - loss: 0.5000 - val_loss: 0.6000\nEpoch 2/2\n"
        "8/8 - 0s - 5ms/step - loss: 0.4000 - val_loss: 0.5500\n1563/1563 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step\n"
        "loss: 0.9\n",
    ],
    ids=["evaluate-before", "evaluate-after-unknown", "predict-after"],
)
def test_epoch_shaped_text_that_is_not_a_fit_epoch_gives_no_rows(text):
    frame = read_keras_log(text)
    assert frame["run"].tolist() == [1, 1]
    assert frame["epoch"].tolist() == [1, 2]
    assert frame["loss"].tolist() == [0.5, 0.4]
    assert frame["val_loss"].tolist() == [0.6, 0.55]


@pytest.mark.parametrize(
    ("text", "runs", "epochs", "losses"),
    [
        # a header glued onto a counter of unknown total (tf.data of unknown cardinality)
        ("Epoch 1/1000715/Unknown - 45s 60ms/step - loss: 0.5000\nEpoch 2/1000\n"
         "715/715 [====] - 40s 56ms/step - loss: 0.4000\n", [1, 1], [1, 2], [0.5, 0.4]),
        # a restart: the interrupted epoch 58 gives no row, the new fit's "Epoch 1/1000" glued onto its
        # intermediate line starts run 2
        ("Epoch 57/1000\n715/715 [====] - 40s - loss: 0.3000\nEpoch 58/1000\n"
         " 12/715 [>...] - ETA: 1:00 - loss: 0.2900Epoch 1/1000\n715/715 [====] - 40s - loss: 0.5000\n",
         [1, 2], [57, 1], [0.3, 0.5]),
    ],
    ids=["glued-unknown", "restart"],
)
def test_glued_headers_after_restarts_and_unknown_counters(text, runs, epochs, losses):
    frame = read_keras_log(text)
    assert frame["run"].tolist() == runs
    assert frame["epoch"].tolist() == epochs
    assert frame["loss"].tolist() == losses


def test_headerless_lines_evaluate_output_or_the_same_epoch():
    # after a headerless epoch: the same counter with more names is the same epoch after validation, another
    # counter total is evaluate() output; a callback message names the epoch
    text = (
        "Epoch 00021: ReduceLROnPlateau reducing learning rate to 0.025.\n"
        "4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.3000\n"
        "4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 8ms/step - loss: 0.3000 - val_loss: 0.3500\n"
        "2/2 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - loss: 0.3400\n"
    )
    frame = read_keras_log(text)
    assert frame["epoch"].tolist() == [21]
    assert frame["val_loss"].tolist() == [0.35]


@pytest.mark.parametrize(
    "line",
    [
        "8/8 [====] - 0s - loss: 0.1760, val_loss: 0.2032",
        "8/8 [====] - 0s - loss: 0.1760 - val_loss: 0.2032`",
        "8/8 [====] - 0s - loss: 0.1760 - **val_loss: 0.2032**",
        "8/8 [====] - 0s - loss: 0.1760 - val_loss: 0.2032</code></pre>",
        "8/8 [====] - 0s - loss: 0.1760; val_loss: 0.2032.",
        "8/8 [====] - 0s - (loss: 0.1760) [val_loss: 0.2032]",
    ],
)
def test_values_followed_by_punctuation_are_read(line):
    frame = read_keras_log(f"Epoch 1/1\n{line}\n")
    assert frame["loss"].tolist() == [0.176] and frame["val_loss"].tolist() == [0.2032]


def test_keras0_headers_comment_prefixes_and_verbose2():
    frame = read_keras_log("Epoch 0\n2s - loss: 0.5000 - acc: 0.7\nEpoch 1\n2s - loss: 0.4000 - acc: 0.8\n")
    assert frame["epoch"].tolist() == [1, 2] and frame["loss"].tolist() == [0.5, 0.4]
    frame = read_keras_log("# Epoch 1/2\n# 8/8 [====] - 0s - loss: 0.5000\n# Epoch 2/2\n# 8/8 [==] - 0s - loss: 0.4\n")
    assert frame["loss"].tolist() == [0.5, 0.4]


def test_csvlogger_file_in_a_markdown_fence_is_read():
    text = "The log:\n\n```csv\nepoch,accuracy,loss\n0,0.5,0.69\n1,0.75,0.6\n```\n\nand more prose, 1, 2, 3.\n"
    frame = read_keras_log(text)
    assert frame["epoch"].tolist() == [1, 2] and frame["loss"].tolist() == [0.69, 0.6]


@pytest.mark.parametrize(
    "text",
    ["date,region,units,unit_price,revenue\n2024-03-01,north,12,9.99,119.88\n2024-03-02,south,3,9.99,29.97\n",
     "```\nheight,weight\n1.80,75\n1.65,60\n```\n"],
)
def test_csv_without_an_epoch_or_loss_like_column_is_refused(text):
    with pytest.raises(ValueError, match=r"not a training history: .*'epoch' column or loss/metric columns") as info:
        read_keras_log(text)
    assert "height" in str(info.value) or "revenue" in str(info.value)  # says what was given


# ----------------------------------------------------------------------------- adversarial input (linear time)
# each must finish fast; the tests assert the result, benchmarks/logs_speed.py reports the times
MEGABYTE = 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,  # a 100,000-digit line (was quadratic in the glued-counter split)
        "12/" + "3" * 100_000 + " ━━━━",
        "Epoch 1/" + "9" * 100_000 + "/281 [====]",
        "x" * MEGABYTE,  # a 1 MB line
        "loss: " * (MEGABYTE // 6),
        "a" * MEGABYTE + ":",
        "[" * MEGABYTE,  # deep nesting of brackets
        "{" + "[" * 100_000 + "]" * 100_000 + "}",
        "[" + "1;" * 100_000,  # a colour code that never ends
        bytes(range(256)).decode("latin-1") * 4000,  # binary bytes
        "\x00\xff\ufffd" * 100_000,
        "epoch,loss\n0," + "1" * MEGABYTE,
        "".join(f"Epoch 1/1\n1/1 [=] - m{i}: 1\n" for i in range(40_000)),  # a table of 1.6e9 empty cells
    ],
    ids=["digits", "digits-counter", "digits-header", "1MB-line", "colons", "long-name", "brackets",
         "nested-json", "sgr", "binary", "nul", "csv-field", "distinct-names"],
)
def test_adversarial_text_gives_value_error(text):
    with pytest.raises(ValueError, match="no training epochs found|not a training history|almost all empty"):
        read_keras_log(text)


def test_long_noise_before_a_log_and_a_1mb_paste():
    frame = read_keras_log("9" * MEGABYTE + "\n" + "x" * MEGABYTE + "\nEpoch 1/1\n8/8 [====] - 0s - loss: 0.5000\n")
    assert frame["loss"].tolist() == [0.5]
    epoch = (
        "Epoch {n}/5000\n422/422 [==============================] - ETA: 0s - loss: 0.5000 - accuracy: 0.9000\n"
        "Epoch {n:05d}: val_loss improved from 0.10000 to 0.09000, saving model to model.h5\n"
        "422/422 [==============================] - 13s 29ms/step - loss: 0.5000 - accuracy: 0.9000"
        " - val_loss: 0.0780 - val_accuracy: 0.9780 - lr: 1.0000e-04\n"
    )
    text = "".join(epoch.format(n=n) for n in range(1, 3101))
    assert len(text) > MEGABYTE
    frame = read_keras_log(text)
    assert frame["epoch"].tolist() == list(range(1, 3101))
    assert (frame["lr"] == 1e-4).all() and (frame["val_loss"] == 0.078).all()


PAIR_PIECES = st.sampled_from(
    list("ab_:. -/,*`<0123456789eE+xnaif\tЖé") + [": ", " - ", "loss", "nan", "Inf", "0.5", "1e-4"]
)


@settings(max_examples=300, deadline=None)
@given(body=st.lists(PAIR_PIECES, max_size=25).map("".join))
def test_linear_pair_scan_reads_what_the_pair_pattern_describes(body):
    expected: dict[str, float] = {}
    for match in _PAIR_RE.finditer(body):
        if match.group(1).lower() != "eta" and match.group(1) not in expected:
            expected[match.group(1)] = float(match.group(2))
    assert str(_pairs(body, at_text_end=False)) == str(expected)


# ----------------------------------------------------------------------------- held-out logs (r49-r68)
def test_a_counter_past_its_total_is_a_full_bar():
    # keras-team/keras#10063 (r60, Keras 2.1) prints '1299/1298 [=====]' at every epoch: the reader refused the whole
    # log ('no training epochs found') before this was read as a final line
    text = (
        "Epoch 1/2\n1299/1298 [==============================] - 27s 21ms/step - loss: 0.5580 - acc: 0.7216"
        " - val_loss: 0.5227 - val_acc: 0.7386\n"
        "Epoch 2/2\n1299/1298 [==============================] - 27s 21ms/step - loss: 0.5260 - acc: 0.7466"
        " - val_loss: 0.5321 - val_acc: 0.7298\n"
        "Keras CNN #1C - accuracy: 0.7538994800234126 \n"
    )
    frame = read_keras_log(text)
    assert frame["epoch"].tolist() == [1, 2]
    assert frame["val_acc"].tolist() == [0.7386, 0.7298]
    # an intermediate state stays intermediate, and a counter below its total gives no row
    frame = read_keras_log("Epoch 1/1\n 500/1298 [====>....] - ETA: 9s - loss: 0.9000\n"
                           "1298/1298 [==========] - 27s - loss: 0.5580\n")
    assert frame["loss"].tolist() == [0.558]


def test_real_learning_rate_column_dropped_after_reduce_lr_is_nan():
    # r66 (Keras 3 notebook): epochs 1-13 print learning_rate, epochs 14-22 do not; the rows keep their other values
    entry = next(e for e in REAL_MANIFEST if e["file"].startswith("r66"))
    frame = read_keras_log(REAL / entry["file"])
    assert frame["learning_rate"].notna().tolist() == [True] * 13 + [False] * 9
    assert frame.loc[frame["epoch"] == 14, "val_loss"].item() == 1.1313
