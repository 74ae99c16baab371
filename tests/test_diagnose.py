"""Tests of lossacc.diagnose: every detector on positives and on its known false positives."""

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import pytest

from lossacc.analyze._noise import find_dips
from lossacc.data import make_two_blobs
from lossacc.diagnosis import FINDING_TEXT, Finding, Thresholds, detect, diagnose, format_epochs, infer_grid
from lossacc.training import build_sigmoid_net, train
from lossacc.watch import ProbabilityTracker

NUM_EPOCHS = 30
EPOCHS = np.arange(1, NUM_EPOCHS + 1)


def healthy_history(train_size=400, val_size=200):
    """Loss falls, accuracy climbs to 1.0 on its 1/n grid; validation follows."""
    loss = 0.7 * np.exp(-EPOCHS / 8) + 0.02
    accuracy = np.minimum(1.0, np.round((0.5 + 0.5 * (1 - np.exp(-EPOCHS / 4))) * train_size) / train_size)
    val_accuracy = np.minimum(1.0, np.round((0.5 + 0.48 * (1 - np.exp(-EPOCHS / 4))) * val_size) / val_size)
    return pd.DataFrame(
        {"epoch": EPOCHS, "loss": loss, "accuracy": accuracy, "val_loss": loss * 1.1, "val_accuracy": val_accuracy}
    )


def names(findings):
    return [finding.name for finding in findings]


# --------------------------------------------------------------------------------------------- Finding


def test_finding_is_frozen_and_prints_all_parts():
    finding = Finding("accuracy_stall", "Accuracy pinned", 2, (1, 2, 3, 7), "acc = 0.5000", "Because.", "Raise it.",
                      "low_learning_rate")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.name = "other"
    text = str(finding)
    assert text.splitlines()[0] == "[accuracy_stall] Accuracy pinned (run 2, epochs 1-3, 7)"
    for part in ("Evidence", "acc = 0.5000", "Why", "Because.", "Check", "Raise it.", "chapters/low_learning_rate"):
        assert part in text


def test_format_epochs():
    assert format_epochs([5]) == "epoch 5"
    assert format_epochs((3, 1, 2, 9, 10)) == "epochs 1-3, 9-10"


# --------------------------------------------------------------------------------------------- healthy


def test_healthy_synthetic_run_gives_no_findings():
    assert diagnose(healthy_history()) == []
    assert diagnose(healthy_history(), val_size=200, train_size=400) == []


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_healthy_real_run_gives_no_findings():
    x, y = make_two_blobs(100, seed=0)
    history = train(lambda: build_sigmoid_net(4, learning_rate=0.1, seed=1), x, y, num_epochs=12, seed=1,
                    validation_split=0.25)
    assert history["accuracy"].iloc[-1] == 1.0
    assert diagnose(history) == []


# --------------------------------------------------------------------------------------------- stall


def stall_history(num_epochs=20, level=0.5):
    epochs = np.arange(1, num_epochs + 1)
    return pd.DataFrame({"epoch": epochs, "loss": 0.72 - 0.001 * epochs, "accuracy": np.full(num_epochs, level)})


def test_stall_at_majority_rate_while_loss_moves():
    findings = diagnose(stall_history(), train_size=400)
    assert names(findings) == ["accuracy_stall"]
    stall = findings[0]
    assert stall.epochs == tuple(range(1, 21))
    assert stall.chapter == "low_learning_rate"
    assert "0.5000 = 200 of 400 samples" in stall.evidence
    assert "0.7190 -> 0.7000" in stall.evidence
    assert "still pinned" in stall.evidence


def test_stall_that_breaks_out_says_when():
    history = stall_history(12)
    history.loc[8:, "accuracy"] = [0.6, 0.8, 0.9, 0.95]
    (stall,) = [f for f in diagnose(history) if f.name == "accuracy_stall"]
    assert stall.epochs == tuple(range(1, 9))
    assert "left 0.5000 at epoch 9 (0.6000)" in stall.evidence


def test_plateau_at_perfect_accuracy_is_not_a_stall():
    history = stall_history(level=1.0)
    assert diagnose(history) == []


def test_constant_accuracy_with_constant_loss_is_not_moving_not_a_stall():
    history = stall_history().assign(loss=0.6931)
    (finding,) = diagnose(history)
    assert finding.name == "not_moving"
    assert "loss = 0.6931 at every one of 20 epochs" in finding.evidence


def test_short_constant_run_is_not_a_stall():
    history = stall_history(4)
    assert diagnose(history) == []


@pytest.mark.slow  # trains Keras models: `make slow`, not `make unit`
def test_stall_from_really_training_a_tiny_model_with_per_sample_evidence():
    x, y = make_two_blobs(200, seed=0)
    tracker = ProbabilityTracker(x)
    history = train(lambda: build_sigmoid_net(2, learning_rate=1e-3, seed=1), x, y, num_epochs=30, seed=1,
                    callbacks=[tracker])
    findings = diagnose(history, tracker.outputs, labels=y, train_size=len(x))
    assert names(findings) == ["accuracy_stall"]
    stall = findings[0]
    assert stall.epochs == tuple(range(1, 31))
    assert "0.5000 = 200 of 400 samples" in stall.evidence
    assert "majority-class rate of the labels" in stall.evidence
    assert "200 of 400 tracked samples sit on the wrong side at epoch 30" in stall.evidence
    assert "0 changed side" in stall.evidence


# --------------------------------------------------------------------------------------------- dips


def test_large_validation_dip_is_not_noise():
    history = healthy_history()
    history.loc[20, "val_accuracy"] = 0.70  # epoch 21, from 0.975
    findings = diagnose(history, val_size=200)
    assert names(findings) == ["validation_dip"]
    dip = findings[0]
    assert dip.epochs == (21,)
    assert dip.chapter == "validation_dips"
    assert "0.9750 -> 0.7000 -> 0.9800" in dip.evidence
    assert "about 55 of 200 samples" in dip.evidence
    sigmas = float(dip.evidence.split("the drop is ")[1].split(" SE")[0])
    assert sigmas > 10


def test_noise_level_dip_is_labelled_noise():
    history = healthy_history()
    history.loc[20, "val_accuracy"] = 0.95  # 0.975 -> 0.95: 5 samples of 200, about 1.9 SE
    findings = diagnose(history, val_size=200)
    assert names(findings) == ["validation_dip_small"]
    assert "the drop is 1.9 SE" in findings[0].evidence
    # the same drop on a validation set of 5000 samples is far beyond noise
    assert names(diagnose(history, val_size=5000)) == ["validation_dip"]


def test_dip_validation_size_inferred_from_the_grid():
    history = healthy_history()
    history.loc[20, "val_accuracy"] = 0.95
    (finding,) = diagnose(history)
    assert "inferred n = 200" in finding.evidence


def test_dip_validation_size_assumed_when_the_grid_is_not_visible():
    history = pd.DataFrame({"val_accuracy": [0.9137, 0.9137, 0.6021, 0.9137, 0.9201]})
    (finding,) = diagnose(history)
    assert finding.name == "validation_dip"
    # three distinct 4-decimal values: no n below 1714 can print all of them, so n >= 1714 (a lower bound)
    assert "assumed n = 1714" in finding.evidence and "pass val_size" in finding.evidence


def test_dip_size_lower_bound_from_printed_values():
    # the validation-dips question: 0.8737 -> 0.6055 -> 0.9023; no set smaller than 768 prints these numbers
    (finding,) = diagnose(pd.DataFrame({"val_acc": [0.8737, 0.6055, 0.9023]}))
    assert finding.name == "validation_dip"
    assert "assumed n = 768" in finding.evidence and "16.9 SE" in finding.evidence


def test_dip_lower_bound_from_steps_when_values_are_simple():
    # 0.5 / 0.25 / 0.75 fit n = 4; the step of 0.25 says the same: a drop of one sample in four is noise
    (finding,) = diagnose(pd.DataFrame({"val_accuracy": [0.75, 0.5, 0.75]}))
    assert finding.name == "validation_dip_small"
    assert "assumed n = 4" in finding.evidence


def test_drop_that_does_not_recover_is_not_a_dip():
    history = healthy_history()
    history.loc[25:, "val_accuracy"] = 0.90
    assert "validation_dip" not in names(diagnose(history, val_size=200))


def test_dip_with_tracked_validation_probabilities_counts_near_and_flipped_samples():
    history = pd.DataFrame({"epoch": [1, 2, 3, 4], "val_accuracy": [0.9, 0.9, 0.5, 0.9]})
    labels = np.array([1] * 5 + [0] * 5)
    base = np.where(labels == 1, 0.9, 0.1)
    near = np.array([0.52, 0.53, 0.51, 0.54, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1])  # 4 class-1 samples just right
    flipped = near.copy()
    flipped[:4] = 0.45
    probabilities = np.stack([base, near, near, flipped, near])
    (dip,) = diagnose(history, probabilities, labels=labels, val_size=10, dip_min_drop=0.3)
    assert "4 of 10 tracked samples were within 0.05 of the threshold" in dip.evidence
    assert "4 flipped to wrong and 0 to right" in dip.evidence
    assert "distance to the threshold before: 0.010 to 0.040, median 0.025" in dip.evidence


# --------------------------------------------------------------------------------------------- plateau


def plateau_history():
    loss = np.linspace(0.40, 0.20, 15)
    accuracy = np.r_[[0.6, 0.75, 0.85], np.full(12, 0.9)]
    accuracy[[6, 9]] = 0.9025  # one sample of 400
    return pd.DataFrame({"epoch": np.arange(1, 16), "loss": loss, "accuracy": accuracy})


def test_plateau_while_loss_falls_is_the_threshold_effect():
    findings = diagnose(plateau_history(), train_size=400)
    assert names(findings) == ["accuracy_plateau"]
    plateau = findings[0]
    assert plateau.epochs == tuple(range(3, 16)) or plateau.epochs == tuple(range(4, 16))
    assert plateau.chapter == "accuracy_plateaus"
    assert "steps of 1/n = 0.0025" in plateau.evidence
    assert "between 360 and 361 of 400 samples correct; 39 still wrong" in plateau.evidence


def test_plateau_at_perfect_accuracy_is_not_flagged():
    history = plateau_history().assign(accuracy=np.r_[[0.8, 0.9, 0.95], np.ones(12)])
    assert diagnose(history) == []


def test_slowly_climbing_accuracy_is_not_a_plateau():
    history = plateau_history().assign(accuracy=np.linspace(0.90, 0.99, 15))
    assert diagnose(history) == []


def test_flat_accuracy_with_flat_loss_is_not_a_plateau():
    history = plateau_history().assign(loss=np.linspace(0.300, 0.295, 15))
    assert diagnose(history) == []


# --------------------------------------------------------------------------------------------- linear output


def test_outputs_keyword_and_its_former_name_probabilities():
    history = pd.DataFrame({"epoch": [1, 2], "loss": [1e-3, 1e-3], "accuracy": [0.5, 0.5]})
    outputs = np.array([[0.1, 0.6], [-0.5, 1.2], [-2.0, 3.5]])
    expected = [f.name for f in diagnose(history, outputs=outputs)]
    assert "output_activation_mismatch" in expected
    with pytest.warns(FutureWarning, match=r"diagnose\(probabilities=...\) is now diagnose\(outputs=...\)"):
        assert [f.name for f in diagnose(history, probabilities=outputs)] == expected
    with pytest.raises(TypeError, match="once"):
        diagnose(history, outputs, probabilities=outputs)


def test_loss_near_zero_while_accuracy_is_half_is_impossible_for_probabilities():
    history = pd.DataFrame({"epoch": [1, 2, 3], "loss": [0.3, 0.01, 0.0], "accuracy": [0.6, 0.55, 0.5]})
    findings = diagnose(history)
    assert names(findings) == ["output_activation_mismatch"]
    assert findings[0].chapter == "linear_output"
    assert findings[0].epochs == (2, 3)  # epoch 1: 0.3 with 40 % wrong is possible
    assert "at least ln 2" in findings[0].evidence


def test_negative_loss_and_collapsing_legacy_accuracy():
    history = pd.DataFrame(
        {"epoch": range(1, 7), "loss": [0.5, 0.2, 0.05, -0.1, -0.3, -0.5], "acc": [0.9, 0.95, 0.9, 0.7, 0.5, 0.4]}
    )
    (finding,) = diagnose(history)
    assert finding.name == "output_activation_mismatch"
    assert "loss < 0 at epochs 4-6" in finding.evidence
    assert "acc collapsed from 0.9500 (epoch 2) to 0.4000" in finding.evidence


def test_tracked_outputs_outside_unit_interval_reveal_a_linear_output():
    history = pd.DataFrame({"epoch": [1, 2], "loss": [0.6, 0.5], "accuracy": [0.7, 0.8]})
    probabilities = np.array([[0.1, 0.6], [-0.5, 1.2], [-2.0, 3.5]])
    (finding,) = diagnose(history, probabilities)
    assert "range from -2 to 3.5" in finding.evidence


def test_high_loss_with_low_accuracy_is_consistent():
    history = pd.DataFrame({"epoch": [1, 2, 3], "loss": [0.69, 0.6, 0.5], "accuracy": [0.5, 0.6, 0.7]})
    assert diagnose(history) == []


# --------------------------------------------------------------------------------------------- overfitting


def test_validation_loss_rising_for_several_epochs_is_overfitting():
    history = healthy_history()
    history["val_loss"] = np.r_[np.linspace(0.7, 0.3, 12), np.linspace(0.31, 0.6, 18)]
    findings = diagnose(history)
    assert names(findings) == ["overfitting"]
    overfit = findings[0]
    assert overfit.epochs == tuple(range(12, 31))
    assert overfit.chapter == "field_guide"
    assert "lowest at epoch 12 (0.3000)" in overfit.evidence
    assert "restore_best_weights=True" in overfit.action


def test_single_validation_loss_spike_is_not_overfitting():
    history = healthy_history()
    history.loc[27, "val_loss"] = history.loc[27, "val_loss"] * 3  # epoch 28 spikes, then recovers
    assert "overfitting" not in names(diagnose(history))


def test_rise_shorter_than_patience_is_not_overfitting():
    history = healthy_history()
    history.loc[27:, "val_loss"] = [0.2, 0.3, 0.4]
    assert "overfitting" not in names(diagnose(history, patience=5))
    assert "overfitting" in names(diagnose(history, patience=2))


def test_validation_loss_rising_with_training_loss_is_not_overfitting():
    history = healthy_history()
    history["val_loss"] = np.r_[np.linspace(0.7, 0.3, 12), np.linspace(0.31, 0.6, 18)]
    history["loss"] = history["val_loss"] * 0.9
    assert "overfitting" not in names(diagnose(history))


# --------------------------------------------------------------------------------------------- inputs


def test_frame_with_several_runs_names_the_run():
    first = healthy_history().rename(columns={"accuracy": "acc", "val_accuracy": "val_acc"})
    second = stall_history(NUM_EPOCHS).assign(val_loss=0.7, val_acc=0.5).rename(columns={"accuracy": "acc"})
    log = pd.concat([first.assign(run=1), second.assign(run=2)], ignore_index=True)
    log = log[["run", "epoch", "loss", "acc", "val_loss", "val_acc"]]
    findings = diagnose(log)
    assert [(f.name, f.run) for f in findings] == [("accuracy_stall", 2)]
    assert "val_acc is pinned too" in findings[0].evidence
    assert "run 2" in str(findings[0])


def test_history_dict_and_keras_history_are_accepted():
    frame = stall_history()
    as_dict = {"loss": frame["loss"].tolist(), "accuracy": frame["accuracy"].tolist()}
    history = keras.callbacks.History()
    history.history = as_dict
    assert names(diagnose(as_dict)) == names(diagnose(history)) == ["accuracy_stall"]
    assert diagnose(as_dict)[0].run is None


def test_truncated_last_row_with_nan_is_skipped():
    history = stall_history()
    history.loc[19, "accuracy"] = np.nan
    (stall,) = diagnose(history)
    assert stall.epochs == tuple(range(1, 20))


def test_caller_frame_is_not_modified():
    history = stall_history()
    before = history.copy()
    diagnose(history)
    pd.testing.assert_frame_equal(history, before)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (([0.5, 0.5],), {}, TypeError, "must be a keras History"),
        ((pd.DataFrame(),), {}, ValueError, "empty"),
        ((pd.DataFrame({"epoch": [1, 2]}),), {}, ValueError, "no metric columns"),
        ((pd.DataFrame({"loss": [0.5, 0.4]}), np.zeros((2, 4))), {}, ValueError, "3 rows for 2 epochs"),
        ((pd.DataFrame({"loss": [0.5, 0.4]}), np.zeros((3, 4))), {"labels": [0, 1]}, ValueError, "one label per"),
        ((pd.DataFrame({"loss": [0.5, 0.4]}),), {"val_size": 0}, ValueError, "val_size"),
        ((pd.DataFrame({"loss": [0.5, 0.4]}),), {"patience": 1.5}, TypeError, "patience"),
        ((pd.DataFrame({"loss": [0.5, 0.4]}),), {"noise_sigmas": 2.0}, TypeError, "unknown threshold"),
        ((pd.DataFrame({"loss": [0.5, 0.4]}),), {"thresholds": {"patience": 2}}, TypeError, "Thresholds"),
        ((pd.DataFrame({"run": [1, 2], "loss": [0.5, 0.4]}), np.zeros((2, 3))), {}, ValueError, "holds 2 runs"),
    ],
)
def test_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        diagnose(*args, **kwargs)


def test_infer_grid():
    values = np.array([137, 150, 171, 190, 199]) / 200
    assert infer_grid(values) == 200
    assert infer_grid(np.round(values, 4)) == 200  # as printed in a log
    assert infer_grid(np.float32(values)) == 200  # as stored by History
    assert infer_grid([0.5, 0.5, 0.6]) is None  # too few distinct values
    assert infer_grid(np.random.default_rng(0).uniform(size=20)) is None


# --------------------------------------------------------------------------------------------- real excerpts
# Tables transcribed from public threads; tests/data/diagnose/MANIFEST.md gives each URL and what the thread says.
REAL = Path(__file__).parent / "data" / "diagnose"


def real(name):
    return pd.read_csv(REAL / f"{name}.csv")


def test_real_nan_from_epoch_2_is_named_not_skipped():
    # alexander-rakhlin/CNN-for-Sentence-Classification-in-Keras#7: loss nan from epoch 2
    findings = diagnose(real("nan_from_epoch_2"))
    assert names(findings) == ["accuracy_collapse", "nonfinite"]
    nonfinite = findings[1]
    assert nonfinite.epochs == tuple(range(2, 8))
    assert "loss = nan at epoch 2 (last finite value 0.6242 at epoch 1)" in nonfinite.evidence
    assert "(to the end)" in nonfinite.evidence


def test_real_nan_loss_with_collapsing_accuracy():
    # tensorflow/tensorflow#26543: loss nan at epoch 3, accuracy 0.82 -> 0.17
    assert names(diagnose(real("accuracy_collapse_with_nan"))) == ["accuracy_collapse", "nonfinite"]


def test_accuracy_collapse_without_a_loss_column_is_still_looked_at():
    # the same thread, pasted with only the accuracy column
    (finding,) = diagnose(real("accuracy_collapse_with_nan")[["epoch", "accuracy"]])
    assert finding.name == "accuracy_collapse"
    assert "accuracy fell from 0.8229 (epoch 2) to 0.1667 (epoch 5); no loss column" in finding.evidence


def test_nonfinite_false_positives_truncated_last_row_and_empty_row():
    history = stall_history().assign(val_accuracy=0.5, val_loss=0.7)
    history.loc[19, "val_accuracy"] = np.nan  # a truncated last line: one missing metric
    assert "nonfinite" not in names(diagnose(history))
    history.loc[19, ["loss", "accuracy", "val_loss"]] = np.nan  # a row with no value at all
    assert "nonfinite" not in names(diagnose(history))


def test_infinite_value_is_nonfinite():
    history = {"loss": [0.7, 0.5, np.inf], "accuracy": [0.5, 0.6, 0.7]}
    (finding,) = [f for f in diagnose(history) if f.name == "nonfinite"]
    assert finding.epochs == (3,)


def test_real_loss_and_accuracy_pinned_is_not_moving():
    # chenzhang.org: loss 1.9105 and acc 0.5378 at epochs 2-10
    (finding,) = diagnose(real("loss_and_accuracy_pinned"))
    assert finding.name == "not_moving"
    assert finding.epochs == tuple(range(2, 11))
    assert "acc = 0.5378" in finding.evidence and "loss = 1.9105" in finding.evidence


def test_converged_run_is_not_not_moving():
    # a run that learned and then settled: loss and accuracy flat at the end, far from chance
    history = pd.DataFrame({"epoch": range(1, 13), "loss": [0.6, 0.3, 0.1] + [0.05] * 9,
                            "accuracy": [0.7, 0.9, 0.97] + [0.98] * 9})
    assert diagnose(history) == []


def test_real_divergence_is_instability():
    # keras-team/keras#21: loss 0.7407 -> 13.3614 -> 26.64 at epoch 11 (listed as "Epoch 10", counted from 0)
    (finding,) = diagnose(real("loss_diverges"))
    assert finding.name == "instability"
    assert finding.epochs == (11, 12, 13)  # the excursion, keyed by its first epoch
    assert "loss rose 0.7407 (epoch 10) -> 26.6453 (epoch 13), x36.0 in 3 epochs" in finding.evidence
    assert "still at 26.6462 at epoch 14" in finding.evidence


def test_spike_and_back_is_instability_but_noisy_small_loss_is_not():
    spike = pd.DataFrame({"loss": [0.9, 0.6, 0.4, 2.5, 0.45, 0.35, 0.3]})
    (finding,) = diagnose(spike)
    assert finding.name == "instability" and "back to 0.4500" in finding.evidence
    healthy = pd.DataFrame({"loss": [0.69, 0.5, 0.3, 0.2, 0.15, 0.16, 0.12, 0.13, 0.1]})
    assert diagnose(healthy) == []


def test_real_validation_accuracy_zero_throughout_is_a_validation_stall():
    # rstudio/keras3#296 (R keras prints Keras' own log lines): val_acc 0.0000e+00 at every epoch
    findings = diagnose(real("val_acc_all_zero"))
    (stall,) = [f for f in findings if f.name == "validation_stall"]
    assert "val_acc is exactly 0 at every one of 9 epochs" in stall.evidence


def test_validation_accuracy_pinned_while_training_accuracy_moves():
    epochs = np.arange(1, 11)
    history = pd.DataFrame({"epoch": epochs, "loss": 0.7 - 0.03 * epochs, "accuracy": 0.5 + 0.04 * epochs,
                            "val_loss": 0.7 - 0.01 * epochs, "val_accuracy": 0.5})
    (finding,) = diagnose(history)
    assert finding.name == "validation_stall"
    assert "val_accuracy = 0.5000 at every one of 10 epochs" in finding.evidence


def test_validation_loss_repeating_one_value():
    epochs = np.arange(1, 9)
    history = pd.DataFrame({"epoch": epochs, "loss": 0.7 - 0.05 * epochs, "val_loss": 17.2185})
    (finding,) = diagnose(history)
    assert finding.name == "validation_stall" and "do not change" in finding.evidence


def test_real_accuracy_above_one_is_an_impossible_value_not_a_linear_output():
    # keras-team/keras#19280: categorical_accuracy 1.6163 with two GPUs (Keras 3.0.5)
    (finding,) = diagnose(real("accuracy_above_one"))
    assert finding.name == "impossible_value"
    assert "categorical_accuracy = 1.6163 at epoch 1" in finding.evidence
    assert "metric or weighting bug" in finding.title


def test_percentages_are_recognised():
    (finding,) = diagnose(pd.DataFrame({"loss": [3.19, 3.19, 3.16], "acc": [5.46, 6.45, 4.96]}))
    assert finding.name == "impossible_value" and "percentage" in finding.evidence


def test_real_overfitting_is_found():
    # derekchen14/snippet_rnn results/0508_results.rb: val_loss 1.8343 (epoch 4) -> 2.4622 while loss falls
    (finding,) = diagnose(real("overfitting_lstm"))
    assert finding.name == "overfitting"
    assert finding.epochs[0] == 4


def test_real_healthy_log_whose_val_loss_wanders_is_not_overfitting():
    history = real("healthy_mnist_wandering_val_loss")
    assert diagnose(history) == []
    # the rise after the minimum (epoch 37) is within the curve's own epoch-to-epoch noise
    assert diagnose(history, rise_noise_sigmas=0.1)[0].name == "overfitting"


# --------------------------------------------------------------------------------------------- one definition of a dip


@pytest.mark.parametrize("val_size", [None, 200, 5000])
def test_diagnose_reports_the_dips_find_dips_reports(val_size):
    history = healthy_history()
    history.loc[[9, 20], "val_accuracy"] = [0.70, 0.95]
    history.loc[25, "val_accuracy"] = history.loc[24, "val_accuracy"] - 0.03
    dips = find_dips(history, "val_accuracy", min_drop=Thresholds().dip_min_drop)
    found = sorted(e for f in diagnose(history, val_size=val_size) if f.name.startswith("validation_dip")
                   for e in f.epochs)
    assert found == dips["epoch"].tolist() and len(found) == 3


# --------------------------------------------------------------------------------------------- API for a live monitor


def test_detect_keys_are_stable_as_the_history_grows():
    history = stall_history(20)
    seen = {}
    for epoch in range(1, 21):
        for finding in detect(history.iloc[:epoch]):
            seen.setdefault(finding.key, epoch)
    assert seen == {("accuracy_stall", None, 1): 5}


def test_detect_gives_each_dip_its_own_finding_and_message_is_one_line():
    history = healthy_history()
    history.loc[[9, 20], "val_accuracy"] = 0.6
    dips = [f for f in detect(history, val_size=200) if f.name == "validation_dip"]
    assert [f.epochs for f in dips] == [(10,), (21,)]
    assert "\n" not in dips[0].message and dips[0].message.startswith("epoch 10: [validation_dip]")
    assert dips[0].advice == dips[0].action


def test_every_finding_name_has_its_text_and_thresholds_are_validated():
    assert {"nonfinite", "not_moving", "accuracy_stall", "validation_stall", "validation_dip", "validation_dip_small",
            "accuracy_plateau", "instability", "impossible_value", "output_activation_mismatch", "accuracy_collapse",
            "overfitting"} == set(FINDING_TEXT)
    with pytest.raises(ValueError, match="patience"):
        Thresholds(patience=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Thresholds().patience = 3


def test_detect_is_cheap_enough_for_every_epoch():
    rng = np.random.default_rng(0)
    epochs = np.arange(1, 101)
    history = pd.DataFrame({"epoch": epochs, "loss": 0.7 * np.exp(-epochs / 30) + rng.normal(0, 0.005, 100),
                            "accuracy": np.round(np.minimum(0.5 + epochs / 150, 0.99) * 400) / 400,
                            "val_loss": 0.75 * np.exp(-epochs / 30) + rng.normal(0, 0.01, 100),
                            "val_accuracy": np.round(np.minimum(0.5 + epochs / 160, 0.98) * 200) / 200})
    detect(history)
    start = time.perf_counter()
    for _ in range(5):
        detect(history, val_size=200, train_size=400)
    per_call = (time.perf_counter() - start) / 5
    assert per_call < 0.05  # measured ~ 5-10 ms for 100 epochs on the shared 2-core machine


def test_reading_and_diagnosing_never_imports_tensorflow():
    code = (
        "import sys\n"
        "from lossacc.diagnosis import diagnose, detect\n"
        "from lossacc.analyze._history import history_frame\n"
        "diagnose({'loss': [0.7, 0.69, 0.68, 0.67, 0.66, 0.65], 'accuracy': [0.5] * 6})\n"
        "detect(history_frame({'loss': [0.7, float('nan')]}))\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]\n"
        "assert not bad, bad[:5]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------------------------- the real-log corpus
# 67 real Keras logs (tests/data/logs/real, MANIFEST.json: URL, Keras version), each with a "diagnosis" written by
# hand from reading its thread: the findings a practitioner sees ("expected"), and whether the run is healthy.
# r01-r48 were read while the detectors were tuned; r49-r68 were collected afterwards as a held-out set (measured
# before any change: 3 of 5 problems named, 5 of 5 healthy logs quiet, one false nonfinite on an unclear log).
import json  # noqa: E402

from lossacc.logs import read_keras_log  # noqa: E402

CORPUS = Path(__file__).parent / "data" / "logs" / "real"
CORPUS_MANIFEST = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
#: Findings that describe a phenomenon of a healthy run rather than a fault: a one-epoch dip of a fixed
#: validation set is a real swing (the validation-dips chapter), so a healthy log may carry one.
DESCRIPTIVE = {"validation_dip", "validation_dip_small"}


def corpus_log(prefix):
    (entry,) = [e for e in CORPUS_MANIFEST if e["file"].startswith(prefix)]
    return read_keras_log((CORPUS / entry["file"]).read_text(encoding="utf-8"))


def test_every_corpus_log_has_a_diagnosis():
    assert len(CORPUS_MANIFEST) == 67
    for entry in CORPUS_MANIFEST:
        diagnosis = entry["diagnosis"]
        assert set(diagnosis) == {"expected", "healthy", "why"}
        assert set(diagnosis["expected"]) <= set(FINDING_TEXT)
        assert not (diagnosis["healthy"] and diagnosis["expected"]) and diagnosis["why"]


@pytest.mark.parametrize("entry", CORPUS_MANIFEST, ids=[entry["file"] for entry in CORPUS_MANIFEST])
def test_corpus_log_gets_its_expected_findings_and_healthy_logs_none(entry):
    history = read_keras_log((CORPUS / entry["file"]).read_text(encoding="utf-8"))
    found = set(names(detect(history)))
    diagnosis = entry["diagnosis"]
    if entry["file"].startswith("r43"):
        # a documented miss: a regression whose loss is flat (2.044e7-2.046e7) because it predicts the mean; the
        # thread shows it only through 'R2: -0.01' printed after fit -- a flat loss alone is also convergence
        assert diagnosis["expected"] == ["not_moving"] and not found
        return
    if entry["file"].startswith("r65"):
        # a documented held-out miss: val_loss lowest 1.0019 at epoch 9, then 1.0440/1.2449/1.0491/1.0459/1.3988 --
        # the median of the 5 epochs after the minimum is 4.7 % above it, under min_rise (5 %), and the spikes make
        # the noise large; the notebook itself calls it memorising. Not tuned away on one log.
        assert diagnosis["expected"] == ["overfitting"] and "overfitting" not in found
        return
    assert set(diagnosis["expected"]) <= found, diagnosis["why"]
    if diagnosis["healthy"]:
        assert found <= DESCRIPTIVE, diagnosis["why"]


def test_corpus_hit_rate():
    clear = [e for e in CORPUS_MANIFEST if e["diagnosis"]["expected"]]
    named = [e for e in clear if set(e["diagnosis"]["expected"]) <= set(names(detect(corpus_log(e["file"][:3]))))]
    assert len(clear) == 15 and len(named) == 13  # misses: r43 (flat regression loss), r65 (a 4.7 % median rise)
    held_out = [e for e in clear if e["file"] >= "r49"]
    assert len(held_out) == 5 and len([e for e in named if e["file"] >= "r49"]) == 4


# --------------------------------------------------------------------------------------------- detectors changed
# for the corpus, each on its real excerpt and on its known false positive


def test_real_all_nan_single_epoch_is_nonfinite():
    # divamgupta/image-segmentation-keras#50: 'loss: nan - acc: nan - val_loss: nan - val_acc: nan', one epoch
    (finding,) = detect(corpus_log("r27"))
    assert finding.name == "nonfinite" and finding.epochs == (1,)
    assert "loss = nan at epoch 1 (never finite)" in finding.evidence
    # false positive kept silent: an empty last row after real values is a truncated line
    assert detect({"loss": [0.7, 0.6, np.nan], "accuracy": [0.5, 0.6, np.nan]}) == []


def test_real_two_epoch_jump_and_back_is_instability():
    # piaic-official/AI-Q2-learning-resources#15: loss 0.6678 -> 0.6955 -> 2.3554 -> 6.0458 -> 0.6173
    (finding,) = detect(corpus_log("r35"))
    assert finding.name == "instability" and finding.epochs == (8, 9, 10)
    assert "0.6678 (epoch 7) -> 6.0458 (epoch 10), x9.1 in 3 epochs" in finding.evidence
    assert "back to 0.6173 at epoch 11" in finding.evidence
    assert "accuracy meanwhile: 0.8048 -> 0.3952" in finding.evidence


def test_real_blow_up_then_dead_is_instability_and_collapse():
    # keras-team/keras#617: loss 2.7128 -> 7.7192 -> 15.4231, acc 0.7091 -> 0.0431
    assert sorted(set(names(detect(corpus_log("r18"))))) == ["accuracy_collapse", "instability"]


def test_instability_false_positives_large_first_loss_and_noisy_small_loss():
    # keras.io multi-output example (r42): loss 22.04 -> 1.65 -> 1.29 -> 1.18 only falls
    assert "instability" not in names(detect(corpus_log("r42")))
    # a noisy small loss never triples
    assert detect({"loss": [0.69, 0.5, 0.3, 0.2, 0.15, 0.16, 0.12, 0.13, 0.1]}) == []


def test_instability_key_is_stable_epoch_by_epoch():
    loss = list(corpus_log("r35")["loss"])
    keys = {f.key for k in range(2, len(loss) + 1) for f in detect({"loss": loss[:k]})}
    assert keys == {("instability", None, 8)}


def test_real_short_validation_accuracy_repeat_is_a_validation_stall():
    # keras-team/keras#12863 'Validation Accuracy is not changing': val_cls3_fc_pose_xyz_acc 0.8663 at epochs 4-6
    (finding,) = detect(corpus_log("r16"))
    assert finding.name == "validation_stall" and finding.epochs == (4, 5, 6)
    assert "val_cls3_fc_pose_xyz_loss moved 0.3980 to 0.4460 (12% of its level)" in finding.evidence


def test_short_repeat_false_positives_converged_run_and_plateau():
    # keras.io Perceiver (r33): val_acc 0.5240 at epochs 42-44 while val_loss stays at 1.8938-1.8939
    assert detect(corpus_log("r33")) == []
    # a validation accuracy that climbed and settled while its loss keeps falling: a plateau, not a stall
    assert "validation_stall" not in names(detect(healthy_history()))


def test_real_late_excerpt_gap_is_overfitting():
    # the-deep-learners/deep-learning-illustrated#15: val_loss 3.2-4.7 against loss 0.10-0.50 at epochs 76-84
    (finding,) = [f for f in detect(corpus_log("r22")) if f.name == "overfitting"]
    assert finding.epochs == tuple(range(76, 85))
    assert "(9.3 to 33.8 times)" in finding.evidence


def test_gap_false_positives_small_gap_and_no_accuracy():
    # keras-team/keras#8680 (r17): val_loss below loss (dropout/augmentation at training time)
    assert "overfitting" not in names(detect(corpus_log("r17")))
    # AUCMEDI docs (r02): val_loss 27x the loss but no accuracy to compare: not judged from the loss alone
    assert "overfitting" not in names(detect(corpus_log("r02")))


def test_output_mismatch_false_positive_sigmoid_outputs_on_the_threshold():
    # reported by a colleague: a sigmoid net whose outputs sit near 0.5; val accuracy 1.0 -> 0.5 while val loss
    # falls only 0.6804 -> 0.6759: no disagreement between loss and metric, no finding
    history = pd.DataFrame({"loss": [0.6931, 0.6890, 0.6850, 0.6820, 0.6800, 0.6790],
                            "accuracy": [0.50, 0.55, 0.60, 0.58, 0.56, 0.55],
                            "val_loss": [0.6850, 0.6804, 0.6790, 0.6780, 0.6770, 0.6759],
                            "val_accuracy": [0.5, 1.0, 1.0, 0.75, 0.5, 0.5]})
    assert "output_activation_mismatch" not in names(detect(history))
    # the same collapse with a loss that really falls is still named
    falling = history.assign(val_loss=[0.6850, 0.6804, 0.60, 0.50, 0.40, 0.30])
    assert "output_activation_mismatch" in names(detect(falling))


def test_output_mismatch_false_positives_from_the_corpus():
    # r12: categorical_accuracy with a per-unit loss over 31 outputs (0.0087 at 95 %): healthy
    assert detect(corpus_log("r12")) == []
    # r29 (tensorflow/tensorflow#34457): val_loss 0.0000e+00 and val_accuracy 0.0000e+00 = nothing measured
    assert "output_activation_mismatch" not in names(detect(corpus_log("r29")))
    # r15 (rstudio/keras3#296): an accuracy near 0 on a regression target is a validation_stall, not a linear output
    assert names(detect(corpus_log("r15"))) == ["validation_stall"]



# --------------------------------------------------------------------------------------------- held-out fixes
# r49-r68 were collected after the detectors were tuned; these are the two detector changes they led to.


def test_real_missing_learning_rate_column_is_not_nonfinite():
    # r66 (Keras 3 notebook): learning_rate printed at epochs 1-13, absent from epoch 14 on (ReduceLROnPlateau);
    # the reader gives NaN for the absent values -- before the fix this was 'nonfinite' at epochs 14-21
    history = corpus_log("r66")
    assert history["learning_rate"].isna().sum() == 9
    assert "nonfinite" not in names(detect(history))
    # a NaN learning rate is a setting that was not printed; a NaN loss next to it is still named
    assert detect({"loss": [0.7, 0.6, 0.5, 0.4], "lr": [1e-3, np.nan, np.nan, np.nan]}) == []
    (finding,) = detect({"loss": [0.7, np.nan, np.nan, np.nan], "lr": [1e-3, 1e-3, 1e-3, 1e-3]})
    assert finding.name == "nonfinite" and finding.epochs == (2, 3, 4)
    assert "lr" not in finding.evidence


def test_real_uniform_output_with_jittering_training_accuracy_is_not_moving():
    # snf/keras-fractalnet#3 (r59): loss 2.3030-2.3028, val_loss 2.3026 and val_acc 0.1000 at epochs 33-42 while the
    # training accuracy jitters 0.0957-0.1011: before the fix only a validation_stall ('the validation outputs
    # move'), and the val_loss branch of validation_stall left it to not_moving, which never saw it
    (finding,) = detect(corpus_log("r59"))
    assert finding.name == "not_moving" and finding.epochs == tuple(range(33, 43))
    assert "val_loss = 2.3026 and val_acc = 0.1000 at every one of 10 epochs (33 to 42)" in finding.evidence
    assert "2.3026 is ln 10" in finding.evidence


def test_validation_not_moving_false_positives():
    base = {"loss": [2.3030, 2.3030, 2.3029, 2.3029, 2.3029, 2.3028],
            "acc": [0.0994, 0.0971, 0.0997, 0.0991, 0.0957, 0.0981],
            "val_loss": [2.3026] * 6, "val_acc": [0.1] * 6}
    assert names(detect(base)) == ["not_moving"]
    # a converged run: validation pinned above chance (0.85) with a still training loss is not 'nothing trains'
    converged = dict(base, val_acc=[0.85] * 6, val_loss=[0.4012] * 6, acc=[0.88, 0.881, 0.879, 0.88, 0.882, 0.88],
                     loss=[0.3301, 0.3300, 0.3299, 0.3300, 0.3298, 0.3299])
    assert "not_moving" not in names(detect(converged))
    # the training loss moves (0.05 in all): the validation is stuck, the training is not -- validation_stall
    moving = dict(base, loss=[0.70, 0.69, 0.68, 0.67, 0.66, 0.65], acc=[0.50, 0.52, 0.55, 0.57, 0.58, 0.60])
    found = names(detect(moving))
    assert "validation_stall" in found and "not_moving" not in found
    # the validation accuracy moves while val_loss repeats: not this finding
    jitter = dict(base, val_acc=[0.10, 0.11, 0.10, 0.09, 0.10, 0.11])
    assert "not_moving" not in names(detect(jitter))


def test_validation_pinned_above_chance_with_still_losses_stays_a_validation_stall():
    """The hand-off to not_moving's validation route is only for windows at chance: above it, nothing else reports."""
    epochs = 8
    history = pd.DataFrame({
        "epoch": range(1, epochs + 1),
        "loss": [0.6000] * epochs,
        "accuracy": np.linspace(0.60, 0.70, epochs),
        "val_loss": [0.5500] * epochs,
        "val_accuracy": [0.7000] * epochs,
    })
    names = [finding.name for finding in diagnose(history)]
    assert "validation_stall" in names and "not_moving" not in names
