"""The probability film: frames, embedded data, accuracy per frame, size, bad input."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from lossacc.film import FILM_CLASS_COLORS, ProbabilityFilm, probability_film


def _run(num_samples: int = 40, num_epochs: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sigmoid outputs of a toy run: every sample drifts towards its class, with noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, num_samples)
    time = np.linspace(0, 1, num_epochs + 1)[:, None]
    logits = (2 * labels - 1) * 6 * time + rng.normal(0, 1.5, (1, num_samples))
    logits = logits + rng.normal(0, 0.3, (num_epochs + 1, num_samples))
    return 1 / (1 + np.exp(-logits)), labels


def _payload(film: ProbabilityFilm) -> dict:
    html = film.to_html()
    found = re.search(r"var D = (\{.*?\}), G = ", html)
    assert found, "payload not found in the film's script"
    return json.loads(found.group(1))


def _decoded_values(payload: dict) -> np.ndarray:
    steps = np.frombuffer(base64.b64decode(payload["v"]), dtype="<u2").reshape(payload["f"], payload["n"])
    return (payload["base"] + steps.astype("int64")) / 10.0 ** payload["dec"]


def test_frames_and_embedded_data_equal_the_input_rounded():
    outputs, labels = _run()
    original = outputs.copy()
    film = probability_film(outputs, labels, decimals=3)
    assert film.num_frames == len(film.frames) == 13
    assert film.num_samples == 40
    np.testing.assert_array_equal(film.frames, np.round(outputs, 3))
    payload = _payload(film)
    assert (payload["f"], payload["n"]) == (13, 40)
    np.testing.assert_allclose(_decoded_values(payload), np.round(outputs, 3), rtol=0, atol=1e-12)
    labels_back = np.unpackbits(np.frombuffer(base64.b64decode(payload["y"]), np.uint8), bitorder="little")[:40]
    np.testing.assert_array_equal(labels_back, labels)
    np.testing.assert_array_equal(outputs, original)  # not modified
    assert payload["ep"] == list(range(13))


def test_accuracy_per_frame_is_computed_from_the_unrounded_outputs():
    outputs, labels = _run()
    film = probability_film(outputs, labels, threshold=0.5)
    expected = ((outputs > 0.5) == (labels == 1)).mean(axis=1)
    np.testing.assert_array_equal(film.accuracy, expected)
    payload = _payload(film)
    assert payload["acc"] == [round(float(a), 4) for a in expected]
    bits = np.unpackbits(np.frombuffer(base64.b64decode(payload["ok"]), np.uint8).reshape(13, -1), axis=1,
                         bitorder="little")[:, :40]
    np.testing.assert_array_equal(bits.astype(bool), film.correct)
    # the threshold decides: 0.7 turns samples near 0.5-0.7 of class 1 wrong
    high = probability_film(outputs, labels, threshold=0.7)
    np.testing.assert_array_equal(high.accuracy, ((outputs > 0.7) == (labels == 1)).mean(axis=1))


def test_correct_uses_keras_strict_threshold():
    outputs = np.array([[0.5, 0.5, 0.5000001, 0.4999999]])
    labels = np.array([0, 1, 1, 0])
    film = probability_film(outputs, labels)
    assert film.correct.tolist() == [[True, False, True, True]]  # p > 0.5 predicts class 1; 0.5 itself is class 0
    assert film.accuracy.tolist() == [0.75]


def test_given_accuracy_from_a_keras_history_leaves_epoch_zero_empty():
    outputs, labels = _run(num_epochs=4)
    history_accuracy = [0.6, 0.7, 0.8, 0.9]
    film = probability_film(outputs, labels, accuracy=history_accuracy)
    assert np.isnan(film.accuracy[0]) and film.accuracy[1:].tolist() == history_accuracy
    assert _payload(film)["acc"] == [None, 0.6, 0.7, 0.8, 0.9]
    full = probability_film(outputs, labels, accuracy=[0.5, 0.6, 0.7, 0.8, 0.9])
    assert full.accuracy.tolist() == [0.5, 0.6, 0.7, 0.8, 0.9]


def test_logits_and_narrow_bands_keep_enough_decimals():
    outputs, labels = _run()
    logits = np.log(outputs / (1 - outputs))
    film = probability_film(logits, labels, threshold=0.0)
    assert film.scale == "logit"
    assert film.value_range[0] < logits.min() and film.value_range[1] > logits.max()
    np.testing.assert_array_equal(film.frames, np.round(logits, film.decimals))
    narrow = 0.5 + 0.01 * (outputs - 0.5)  # a low learning rate: every output within 0.005 of the threshold
    zoomed = probability_film(narrow, labels, zoom=True)
    assert zoomed.decimals >= 5
    assert len(np.unique(zoomed.frames)) > 100
    assert 0.49 < zoomed.value_range[0] < zoomed.value_range[1] < 0.51
    assert probability_film(narrow, labels).value_range == (0.0, 1.0)


def test_size_of_a_book_sized_film_is_within_budget():
    outputs, labels = _run(num_samples=400, num_epochs=300)
    html = probability_film(outputs, labels).to_html()
    size = len(html.encode("utf-8"))
    assert size < 500_000, f"{size} bytes for 400 samples x 301 frames"  # budget: 2 MB per page
    assert size > 2 * 400 * 301  # the data really are embedded (16 bits per value)


def test_html_is_self_contained_accessible_and_unique_per_film():
    outputs, labels = _run()
    film = probability_film(outputs, labels, title="A <toy> run", alt='Dots "moving" up')
    first, second = film.to_html(), film._repr_html_()
    ids = re.findall(r'id="(lossacc-film-[\w-]+)"', first)
    assert ids and not set(ids) & set(re.findall(r'id="(lossacc-film-[\w-]+)"', second))
    assert 'role="figure"' in first and 'aria-label="Dots &quot;moving&quot; up"' in first
    assert "A &lt;toy&gt; run" in first
    for control in ("first", "prev", "play", "next", "slider", "status"):
        assert f'data-film="{control}"' in first
    assert "http://" not in first.replace("http://www.w3.org/2000/svg", "") and "https://" not in first
    assert "<script src" not in first
    assert all(color in first for color in FILM_CLASS_COLORS)
    default_alt = probability_film(outputs, labels).alt
    assert "40 samples" in default_alt and "epochs 0 to 12" in default_alt and "threshold 0.5" in default_alt
    assert repr(film) == "<ProbabilityFilm: 13 frames (epochs 0-12) x 40 samples, threshold 0.5>"


def test_save_writes_a_page(tmp_path):
    outputs, labels = _run()
    path = probability_film(outputs, labels).save(tmp_path / "film.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and 'class="lossacc-film"' in text


def test_custom_epochs_and_read_only_frames():
    outputs, labels = _run(num_epochs=4)
    film = probability_film(outputs, labels, epochs=[0, 10, 20, 30, 40])
    assert film.epochs.tolist() == [0, 10, 20, 30, 40]
    assert _payload(film)["ep"] == [0, 10, 20, 30, 40]
    with pytest.raises(ValueError):
        film.frames[0, 0] = 1.0


def test_one_unit_column_and_column_labels_are_accepted():
    outputs, labels = _run()
    film = probability_film(outputs[:, :, None], labels[:, None].astype(float))
    np.testing.assert_array_equal(film.frames, probability_film(outputs, labels).frames)


def test_colors_match_the_book_figures():
    from matplotlib.colors import to_hex

    from lossacc.plots import CLASS_COLORS

    assert tuple(to_hex(color) for color in CLASS_COLORS) == FILM_CLASS_COLORS


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"outputs": np.zeros(5)}, ValueError, "shape"),
        ({"outputs": np.zeros((3, 4, 2))}, ValueError, "one-unit"),
        ({"outputs": np.zeros((0, 4))}, ValueError, "empty"),
        ({"outputs": [[0.1, np.nan, 0.2, 0.3]]}, ValueError, "NaN"),
        ({"outputs": [["a", "b", "c", "d"]]}, TypeError, "numeric"),
        ({"labels": [0, 1, 1]}, ValueError, "one 0/1 label per sample"),
        ({"labels": [0, 1, 2, 1]}, ValueError, "binary"),
        ({"threshold": "0.5"}, TypeError, "threshold"),
        ({"threshold": 1.5}, ValueError, r"\[0, 1\]"),
        ({"threshold": float("nan")}, ValueError, "finite"),
        ({"accuracy": [0.5]}, ValueError, "one value per row"),
        ({"accuracy": [0.5, 1.6, 0.2]}, ValueError, r"\[0, 1\]"),
        ({"title": 3}, TypeError, "title"),
        ({"alt": "  "}, ValueError, "alt"),
        ({"epochs": [0, 2, 1]}, ValueError, "increasing"),
        ({"epochs": [0.0, 1.0, 2.0]}, TypeError, "integers"),
        ({"scale": "percent"}, ValueError, "scale"),
        ({"scale": "probability", "outputs": [[-1.0, 0.2, 0.3, 0.4]] * 3}, ValueError, "logit"),
        ({"zoom": "yes"}, TypeError, "zoom"),
        ({"decimals": 9}, ValueError, "too fine"),
        ({"decimals": 2.0}, TypeError, "decimals"),
    ],
)
def test_bad_input(kwargs, error, message):
    arguments = {"outputs": [[0.1, 0.4, 0.6, 0.9]] * 3, "labels": [0, 0, 1, 1]}
    arguments.update(kwargs)
    outputs, labels = arguments.pop("outputs"), arguments.pop("labels")
    with pytest.raises(error, match=message):
        probability_film(outputs, labels, **arguments)


def test_axis_label_names_the_outputs():
    outputs = np.array([[-0.2, 1.3], [-0.4, 1.6]])
    labels = np.array([0, 1])
    default = probability_film(outputs, labels, scale="logit")
    assert default.axis_label == "model output (logit)" and "model output (logit)" in default.to_html()
    named = probability_film(outputs, labels, scale="logit", axis_label="linear output <clipped>")
    assert "linear output &lt;clipped&gt;" in named.to_html() and "model output (logit)" not in named.to_html()
    with pytest.raises(TypeError, match="axis_label must be a string"):
        probability_film(outputs, labels, axis_label=3)
