"""The probability film: every sample's predicted probability, epoch by epoch, as a player in the page.

A self-contained HTML widget (inline SVG and a short script: no server, no network, no external
JavaScript) that the reader can play, pause, step and scrub. It is the moving companion of the
static "look under the curve" figures of ``lossacc.plots``.

Plain NumPy (no Keras import).
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from lossacc._validation import check_bool, check_choice, check_number
from lossacc.analyze._correctness import binary_correct

__all__ = ["ProbabilityFilm", "probability_film"]

#: Colours of class 0 and class 1: seaborn's "colorblind" palette, as :data:`lossacc.plots.CLASS_COLORS`
#: (written out here so that the film does not import matplotlib or seaborn; a test keeps them equal).
FILM_CLASS_COLORS = ("#0173b2", "#de8f05")
SCALES = ("auto", "probability", "logit")
_MAX_LEVELS = 65000  # values are stored as uint16 steps above the smallest one (with a margin for rounding)
_WIDTH, _STRIP_HEIGHT, _CHART_HEIGHT = 640, 330, 96
_LEFT, _RIGHT, _TOP = 56, 16, 12
_film_counter = itertools.count(1)


def _check_threshold(threshold: Any) -> float:
    return check_number("threshold", threshold)


def _check_text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None; got {value!r} ({type(value).__name__})")
    if not value.strip():
        raise ValueError(f"{name} must not be empty; give a description or None")
    return value.strip()


def _as_outputs(outputs: Any) -> np.ndarray:
    try:
        array = np.array(outputs, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"outputs must be a numeric array; got {type(outputs).__name__}: {error}") from None
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim != 2:
        raise ValueError(
            "outputs must have shape (epochs + 1, samples), one value per sample of a one-unit output "
            f"(ProbabilityTracker.outputs); got shape {array.shape}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"outputs is empty (shape {array.shape}); give at least one epoch and one sample")
    finite = np.isfinite(array)
    if not finite.all():
        bad_rows = np.flatnonzero(~finite.all(axis=1))
        raise ValueError(
            f"outputs contain NaN or infinite values in rows {bad_rows[:5].tolist()}"
            f"{' ...' if len(bad_rows) > 5 else ''}; pass only the rows before the run diverged "
            f"(e.g. outputs[:{bad_rows[0]}])"
        )
    return array


def _as_binary_labels(labels: Any, num_samples: int) -> np.ndarray:
    try:
        array = np.array(labels, dtype="float64", copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"labels must be a numeric array of 0/1; got {type(labels).__name__}: {error}") from None
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.shape != (num_samples,):
        raise ValueError(f"labels must have one 0/1 label per sample ({num_samples}); got shape {array.shape}")
    if not np.all(np.isin(array, (0.0, 1.0))):
        found = np.unique(array[~np.isin(array, (0.0, 1.0))])[:5].tolist()
        raise ValueError(f"labels must be binary 0/1; found {found}")
    return array.astype("int8")


def _as_epochs(epochs: Any, num_frames: int) -> np.ndarray:
    if epochs is None:
        return np.arange(num_frames)
    array = np.asarray(epochs)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"epochs must be integers, one per row of outputs; got dtype {array.dtype}")
    if array.shape != (num_frames,):
        raise ValueError(f"epochs must have one entry per row of outputs ({num_frames}); got shape {array.shape}")
    if num_frames > 1 and not np.all(np.diff(array) > 0):
        raise ValueError("epochs must be strictly increasing")
    return array.astype("int64")


def _as_accuracy(accuracy: Any, num_frames: int) -> np.ndarray | None:
    if accuracy is None:
        return None
    try:
        array = np.array(accuracy, dtype="float64", copy=True).reshape(-1)
    except (TypeError, ValueError) as error:
        raise TypeError(f"accuracy must be a numeric array; got {type(accuracy).__name__}: {error}") from None
    if array.shape == (num_frames - 1,) and num_frames > 1:
        array = np.concatenate([[np.nan], array])  # a Keras history: no value before training
    if array.shape != (num_frames,):
        raise ValueError(
            f"accuracy must have one value per row of outputs ({num_frames}), or one per epoch ({num_frames - 1}, "
            f"as in a Keras history); got {array.size} values"
        )
    given = array[~np.isnan(array)]
    if not np.all(np.isfinite(given)) or given.min(initial=0) < 0 or given.max(initial=0) > 1:
        raise ValueError("accuracy must hold values in [0, 1]")
    return array


def _auto_decimals(span: float) -> int:
    """At least 3 decimals, and at least 1000 steps across the values' range, within uint16."""
    decimals = 3 if span <= 0 else max(3, math.ceil(math.log10(1000.0 / span)))
    decimals = min(decimals, 12)
    while span * 10.0**decimals > _MAX_LEVELS:
        decimals -= 1
    return decimals


def _round_to_grid(values: np.ndarray, decimals: int) -> tuple[np.ndarray, np.ndarray]:
    """``values`` as integers on the grid of ``10**-decimals`` and the rounded values (as ``np.round``)."""
    if decimals >= 0:
        scale = 10.0**decimals
        steps = np.rint(values * scale)
        return steps.astype("int64"), steps / scale
    scale = 10.0**-decimals
    steps = np.rint(values / scale)
    return steps.astype("int64"), steps * scale


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low
    raw = span / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + k * step, 12) for k in range(int((high - first) / step + 1e-9) + 1)]


def _format_tick(value: float, ticks: list[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    digits = 0
    while digits < 12 and abs(step * 10**digits - round(step * 10**digits)) > 1e-6:
        digits += 1
    return f"{value:.{digits}f}"


class ProbabilityFilm:
    """A playable film of tracked outputs; made by :func:`lossacc.probability_film`.

    Explained in :doc:`/chapters/low_learning_rate`.

    Shown by Jupyter (and by the book) as ``text/html``; ``to_html()`` gives the fragment.

    Attributes
    ----------
    frames : numpy.ndarray, shape (frames, samples)
        The values the film draws: the outputs rounded to ``decimals`` decimals (read-only).
    labels : numpy.ndarray of int8, shape (samples,)
    epochs : numpy.ndarray of int, shape (frames,)
        The epoch shown on each frame.
    correct : numpy.ndarray of bool, shape (frames, samples)
        Which samples sit on their class's side of the threshold (computed from the unrounded outputs).
    accuracy : numpy.ndarray of float, shape (frames,)
        The accuracy printed on each frame (``nan`` where none was given).
    threshold : float
    decimals : int
    scale : {"probability", "logit"}
    title, alt : str
    """

    def __init__(
        self,
        frames: np.ndarray,
        steps: np.ndarray,
        labels: np.ndarray,
        epochs: np.ndarray,
        correct: np.ndarray,
        accuracy: np.ndarray,
        *,
        threshold: float,
        decimals: int,
        scale: str,
        value_range: tuple[float, float],
        title: str | None,
        alt: str,
        axis_label: str,
    ) -> None:
        for array in (frames, labels, epochs, correct, accuracy):
            array.flags.writeable = False
        self.frames = frames
        self.labels = labels
        self.epochs = epochs
        self.correct = correct
        self.accuracy = accuracy
        self.threshold = threshold
        self.decimals = decimals
        self.scale = scale
        self.value_range = value_range
        self.title = title
        self.alt = alt
        self.axis_label = axis_label
        self._steps = steps

    @property
    def num_frames(self) -> int:
        """Number of frames (rows of the outputs)."""
        return int(self.frames.shape[0])

    @property
    def num_samples(self) -> int:
        """Number of samples drawn on each frame."""
        return int(self.frames.shape[1])

    def __repr__(self) -> str:
        return (
            f"<ProbabilityFilm: {self.num_frames} frames (epochs {int(self.epochs[0])}-{int(self.epochs[-1])}) "
            f"x {self.num_samples} samples, threshold {self.threshold:g}>"
        )

    # -- data embedded in the page -------------------------------------------------------------
    def _payload(self) -> dict[str, Any]:
        base = int(self._steps.min())
        values = (self._steps - base).astype("<u2")
        correct_bits = np.packbits(self.correct, axis=1, bitorder="little")
        label_bits = np.packbits(self.labels.astype(bool), bitorder="little")
        return {
            "n": self.num_samples,
            "f": self.num_frames,
            "base": base,
            "dec": self.decimals,
            "v": base64.b64encode(values.tobytes()).decode("ascii"),
            "ok": base64.b64encode(correct_bits.tobytes()).decode("ascii"),
            "y": base64.b64encode(label_bits.tobytes()).decode("ascii"),
            "acc": [None if np.isnan(a) else round(float(a), 4) for a in self.accuracy],
            "ep": self.epochs.tolist(),
            "thr": self.threshold,
        }

    # -- static parts of the picture -----------------------------------------------------------
    def _svg(self, uid: str) -> str:
        low, high = self.value_range
        plot_width = _WIDTH - _LEFT - _RIGHT
        strip_bottom = _TOP + _STRIP_HEIGHT

        def y_of(value: float) -> float:
            return strip_bottom - (value - low) / (high - low) * _STRIP_HEIGHT

        parts = [
            f'<svg viewBox="0 0 {_WIDTH} {_TOP + _STRIP_HEIGHT + 40 + _CHART_HEIGHT + 28}" width="100%" '
            'aria-hidden="true" focusable="false" style="display:block;max-width:100%;height:auto;'
            'font-family:inherit;font-size:12px">'
        ]
        ticks = _nice_ticks(low, high)
        axis_label = html.escape(self.axis_label)
        for tick in ticks:
            y = y_of(tick)
            parts.append(
                f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="currentColor" '
                f'stroke-opacity="0.12"/><text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="currentColor">'
                f"{_format_tick(tick, ticks)}</text>"
            )
        parts.append(
            f'<text transform="translate(14 {_TOP + _STRIP_HEIGHT / 2:.0f}) rotate(-90)" text-anchor="middle" '
            f'fill="currentColor">{axis_label}</text>'
        )
        for cls in (0, 1):
            centre = _LEFT + plot_width * (0.25 + 0.5 * cls)
            count = int((self.labels == cls).sum())
            parts.append(
                f'<text x="{centre:.0f}" y="{strip_bottom + 16}" text-anchor="middle" fill="{FILM_CLASS_COLORS[cls]}"'
                f' font-weight="bold">class {cls} ({count} samples)</text>'
            )
        threshold_y = y_of(self.threshold)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{threshold_y:.1f}" y2="{threshold_y:.1f}" '
            'stroke="currentColor" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{_LEFT + plot_width / 2:.0f}" y="{threshold_y - 5:.1f}" text-anchor="middle" '
            f'fill="currentColor">threshold {self.threshold:g}</text>'
        )
        parts.append(f'<g id="{uid}-points"></g>')
        # the accuracy of every frame, with a cursor on the frame shown
        chart_top = strip_bottom + 40
        chart_bottom = chart_top + _CHART_HEIGHT
        parts.append(
            f'<text x="{_LEFT - 6}" y="{chart_top + 4}" text-anchor="end" fill="currentColor">1</text>'
            f'<text x="{_LEFT - 6}" y="{chart_bottom + 4}" text-anchor="end" fill="currentColor">0</text>'
            f'<text transform="translate(14 {chart_top + _CHART_HEIGHT / 2:.0f}) rotate(-90)" text-anchor="middle" '
            'fill="currentColor">accuracy</text>'
            f'<rect x="{_LEFT}" y="{chart_top}" width="{plot_width}" height="{_CHART_HEIGHT}" fill="none" '
            'stroke="currentColor" stroke-opacity="0.25"/>'
        )
        half_y = chart_bottom - 0.5 * _CHART_HEIGHT
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{half_y}" y2="{half_y}" stroke="currentColor" '
            'stroke-opacity="0.12"/>'
        )
        last = max(self.num_frames - 1, 1)
        points = [
            f"{_LEFT + plot_width * k / last:.1f},{chart_bottom - a * _CHART_HEIGHT:.1f}"
            for k, a in enumerate(self.accuracy)
            if not np.isnan(a)
        ]
        if points:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
            )
        parts.append(
            f'<line id="{uid}-cursor" x1="{_LEFT}" x2="{_LEFT}" y1="{chart_top}" y2="{chart_bottom}" '
            'stroke="#cc3311" stroke-width="2"/>'
            f'<text x="{_LEFT}" y="{chart_bottom + 16}" fill="currentColor">epoch {int(self.epochs[0])}</text>'
            f'<text x="{_WIDTH - _RIGHT}" y="{chart_bottom + 16}" text-anchor="end" fill="currentColor">'
            f"epoch {int(self.epochs[-1])}</text>"
        )
        parts.append("</svg>")
        return "".join(parts)

    def to_html(self) -> str:
        """The film as an HTML fragment (a ``div`` with inline SVG and script); new element ids on every call."""
        payload = json.dumps(self._payload(), separators=(",", ":"))
        digest = hashlib.sha1(payload.encode("ascii")).hexdigest()[:8]
        uid = f"lossacc-film-{digest}-{next(_film_counter)}"
        geometry = json.dumps(
            {
                "left": _LEFT, "width": _WIDTH - _LEFT - _RIGHT, "top": _TOP, "height": _STRIP_HEIGHT,
                "low": self.value_range[0], "high": self.value_range[1], "colors": FILM_CLASS_COLORS,
            },
            separators=(",", ":"),
        )
        title = f'<div style="font-weight:bold;margin-bottom:4px">{html.escape(self.title)}</div>' if self.title else ""
        button = (
            'style="font:inherit;min-width:2.6em;padding:2px 8px;margin:0 2px;border:1px solid currentColor;'
            'border-radius:4px;background:transparent;color:inherit;cursor:pointer"'
        )
        legend = (
            f'<span style="color:{FILM_CLASS_COLORS[0]}">&#9679;</span> class 0 &nbsp; '
            f'<span style="color:{FILM_CLASS_COLORS[1]}">&#9679;</span> class 1 &nbsp; '
            "filled: on its class's side of the threshold &nbsp; &#9675; hollow: on the wrong side"
        )
        return (
            f'<div class="lossacc-film" id="{uid}" role="figure" aria-label="{html.escape(self.alt)}" '
            'style="max-width:660px;width:100%;box-sizing:border-box;margin:0.5em 0;font-size:14px;line-height:1.4;'
            'overflow:hidden">'
            f"{title}{self._svg(uid)}"
            f'<div style="font-size:12px;margin:2px 0 6px {_LEFT}px">{legend}</div>'
            '<div style="display:flex;flex-wrap:wrap;align-items:center;gap:4px">'
            + "".join(
                f'<button type="button" data-film="{act}" aria-label="{name}" title="{name}" {button}>{glyph}</button>'
                for act, name, glyph in (
                    ("first", "first epoch", "&#124;&#9664;"),
                    ("prev", "previous epoch", "&#9664;"),
                    ("play", "play", "play"),
                    ("next", "next epoch", "&#9654;"),
                )
            )
            + f'<input type="range" data-film="slider" min="0" max="{self.num_frames - 1}" step="1" value="0" '
            'aria-label="epoch" style="flex:1 1 160px;min-width:120px">'
            "</div>"
            '<div data-film="status" aria-live="polite" style="font-variant-numeric:tabular-nums;margin-top:4px">'
            f"epoch {int(self.epochs[0])}</div>"
            "<noscript>The film needs JavaScript; the static figures show the same data.</noscript>"
            f"<script>{_SCRIPT.replace('__UID__', uid).replace('__DATA__', payload).replace('__GEOM__', geometry)}"
            "</script></div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def save(self, path: str | Path) -> Path:
        """Write the film as a stand-alone HTML page (UTF-8) and return its path."""
        path = Path(path)
        title = html.escape(self.title or "probability film")
        path.write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{self.to_html()}</body></html>",
            encoding="utf-8",
        )
        return path


# The player. Placeholders: __UID__ (the film's element id), __DATA__ (the payload), __GEOM__ (layout).
_SCRIPT = r"""
(function () {
  "use strict";
  var root = document.getElementById("__UID__") ||
    (document.currentScript && document.currentScript.closest(".lossacc-film"));
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var D = __DATA__, G = __GEOM__, NS = "http://www.w3.org/2000/svg";
  function bytes(b64) { var s = atob(b64), a = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i); return a; }
  var raw = bytes(D.v), q = new Uint16Array(raw.buffer, 0, D.n * D.f);
  var ok = bytes(D.ok), ys = bytes(D.y), rowBytes = Math.ceil(D.n / 8);
  var unit = Math.pow(10, -D.dec);
  function value(k, i) { return (D.base + q[k * D.n + i]) * unit; }
  function label(i) { return (ys[i >> 3] >> (i & 7)) & 1; }
  function good(k, i) { return (ok[k * rowBytes + (i >> 3)] >> (i & 7)) & 1; }
  function yOf(v) { return G.top + G.height - (v - G.low) / (G.high - G.low) * G.height; }
  var group = root.querySelector('[id="__UID__-points"]'), dots = [], seen = [0, 0];
  var radius = D.n > 2000 ? 1.6 : D.n > 600 ? 2.2 : 3;
  for (var i = 0; i < D.n; i++) {
    var c = label(i), rank = seen[c]++;
    var jitter = ((rank * 0.6180339887) % 1) - 0.5;
    var dot = document.createElementNS(NS, "circle");
    dot.setAttribute("cx", (G.left + G.width * (0.25 + 0.5 * c + 0.36 * jitter)).toFixed(1));
    dot.setAttribute("r", radius);
    dot.setAttribute("stroke", G.colors[c]);
    dot.setAttribute("stroke-width", 1);
    group.appendChild(dot); dots.push(dot);
  }
  var slider = root.querySelector('[data-film="slider"]'), status = root.querySelector('[data-film="status"]');
  var playButton = root.querySelector('[data-film="play"]'), cursor = root.querySelector('[id="__UID__-cursor"]');
  var frame = 0, timer = null, last = D.f - 1;
  var delay = Math.max(40, Math.min(400, Math.round(9000 / Math.max(D.f, 1))));
  function show(k) {
    frame = Math.max(0, Math.min(last, k));
    var wrong = 0;
    for (var i = 0; i < D.n; i++) {
      var g = good(frame, i), c = label(i);
      if (!g) wrong++;
      dots[i].setAttribute("cy", yOf(value(frame, i)).toFixed(1));
      dots[i].setAttribute("fill", g ? G.colors[c] : "none");
      dots[i].setAttribute("fill-opacity", g ? 0.65 : 0);
    }
    slider.value = frame;
    var x = G.left + G.width * (last ? frame / last : 0);
    cursor.setAttribute("x1", x.toFixed(1)); cursor.setAttribute("x2", x.toFixed(1));
    var acc = D.acc[frame];
    status.textContent = "epoch " + D.ep[frame] + " of " + D.ep[last] +
      " \u00b7 accuracy " + (acc === null ? "\u2013" : acc.toFixed(3)) +
      " \u00b7 " + wrong + " of " + D.n + " samples on the wrong side of " + D.thr;
    root.dataset.frame = frame;
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; }
    playButton.textContent = "play"; playButton.setAttribute("aria-label", "play");
    status.setAttribute("aria-live", "polite"); }
  function play() { if (frame >= last) show(0);
    playButton.textContent = "pause"; playButton.setAttribute("aria-label", "pause");
    status.setAttribute("aria-live", "off");
    timer = setInterval(function () { if (frame >= last) stop(); else show(frame + 1); }, delay); }
  root.addEventListener("click", function (event) {
    var act = event.target.closest("[data-film]"); if (!act) return;
    var what = act.getAttribute("data-film");
    if (what === "play") { if (timer) stop(); else play(); }
    else if (what === "prev") { stop(); show(frame - 1); }
    else if (what === "next") { stop(); show(frame + 1); }
    else if (what === "first") { stop(); show(0); }
  });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  show(0);
})();
"""


def probability_film(
    outputs: Any,
    labels: Any,
    *,
    threshold: float = 0.5,
    accuracy: Any = None,
    title: str | None = None,
    alt: str | None = None,
    epochs: Any = None,
    scale: str = "auto",
    zoom: bool = False,
    decimals: int | None = None,
    axis_label: str | None = None,
) -> ProbabilityFilm:
    """A film of every sample's predicted probability (or logit), epoch by epoch, to play in the page.

    Explained in :doc:`/chapters/low_learning_rate`.

    The film draws one dot per sample, in a column per class (jittered sideways), at the height of
    its output, with the threshold as a dashed line; dots on the wrong side of the threshold are
    hollow. Below it, the accuracy of every frame with a cursor on the frame shown. The reader plays,
    pauses, steps and scrubs the epochs. It is one self-contained HTML fragment (inline SVG and a
    short script: no server, no network, no external JavaScript), so it works in Jupyter, Colab and
    the static book. Several films can share a page.

    The data are embedded compactly: the outputs rounded to ``decimals`` decimals, stored as 16-bit
    steps in base64, plus one bit per sample and frame for "correct". About 330 kB for 400 samples
    x 301 frames (2.7 bytes per value); keep ``frames x samples`` under about 750,000 for a 2 MB
    page budget (subsample the rows and pass ``epochs``).

    In a notebook the film is ``text/html`` output whose bytes (element ids, script) nbval would
    compare: tag the cell ``nbval-ignore-output``.

    Parameters
    ----------
    outputs : array-like, shape (frames, samples)
        :attr:`lossacc.ProbabilityTracker.outputs` of a one-unit output: row 0 before
        training, row ``k`` after epoch ``k``. Probabilities (sigmoid) or logits (linear output).
        Not modified.
    labels : array-like of 0/1, shape (samples,)
        The class of each sample.
    threshold : float, default 0.5
        A sample counts as class 1 when its output is ``> threshold`` (Keras' ``binary_accuracy``;
        ``"accuracy"`` keeps 0.5 even for logits, pass ``threshold=0`` to show a sigmoid's decision).
    accuracy : array-like, optional
        Accuracy to print on each frame: one value per row, or one per epoch (a Keras history's
        ``accuracy``, no value before training). Default: computed from ``outputs`` and
        ``threshold`` (end-of-epoch accuracy on the tracked samples).
    title : str, optional
        Shown above the film.
    alt : str, optional
        What the film shows, for screen readers (``aria-label``). Default: a description built from
        the data (number of samples, epochs, threshold).
    epochs : array-like of int, optional
        The epoch of each row (increasing), if the rows are not epochs 0, 1, 2, ...
    scale : {"auto", "probability", "logit"}, default "auto"
        Axis of the outputs: ``auto`` takes probability when every value is in [0, 1].
    zoom : bool, default False
        Probabilities: limit the axis to the range the values take (plus the threshold) instead of
        [0, 1]. Logits always use their range.
    decimals : int, optional
        Decimals kept. Default: at least 3, and at least 1000 steps across the values' range
        (a narrow band near the threshold keeps more decimals).
    axis_label : str, optional
        The label of the outputs' axis. Default: "predicted probability" or "model output (logit)" by
        ``scale``; name the outputs yourself when they are neither (e.g. a linear output trained with a
        clipped cross-entropy).

    Returns
    -------
    ProbabilityFilm
        Displayed by Jupyter; ``film.to_html()`` is the fragment, ``film.frames`` the rounded
        values it draws, ``film.accuracy`` the accuracy per frame, ``film.save(path)`` a page.

    Raises
    ------
    TypeError
        Non-numeric ``outputs``/``labels``/``accuracy``, a non-number ``threshold``, non-string text.
    ValueError
        ``outputs`` not (frames, samples) or with NaN/inf, labels not 0/1 or of another length,
        probabilities with a threshold outside [0, 1], ``decimals`` too fine for the values' range.

    Examples
    --------
    >>> import numpy as np
    >>> from lossacc.film import probability_film
    >>> epochs = np.arange(11)[:, None]
    >>> labels = np.array([0, 0, 1, 1])
    >>> outputs = 0.5 + (2 * labels - 1) * 0.04 * epochs  # every sample drifts away from 0.5
    >>> film = probability_film(outputs, labels, title="A toy film")
    >>> film.num_frames, film.num_samples
    (11, 4)
    >>> film.accuracy[[0, 1, 10]].tolist()
    [0.5, 1.0, 1.0]
    >>> film  # in a notebook: the player
    <ProbabilityFilm: 11 frames (epochs 0-10) x 4 samples, threshold 0.5>
    """
    values = _as_outputs(outputs)
    num_frames, num_samples = values.shape
    label_array = _as_binary_labels(labels, num_samples)
    threshold = _check_threshold(threshold)
    scale = check_choice("scale", scale, SCALES)
    zoom = check_bool("zoom", zoom)
    title = _check_text("title", title)
    alt = _check_text("alt", alt)
    epoch_array = _as_epochs(epochs, num_frames)
    given_accuracy = _as_accuracy(accuracy, num_frames)

    in_unit_interval = bool(values.min() >= 0.0 and values.max() <= 1.0)
    if scale == "auto":
        scale = "probability" if in_unit_interval else "logit"
    if scale == "probability":
        if not in_unit_interval:
            raise ValueError(
                f"scale='probability' but outputs range from {values.min():.4g} to {values.max():.4g}; "
                "pass scale='logit' (or 'auto') for a linear output"
            )
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1] for probabilities; got {threshold}")

    span = float(values.max() - values.min())
    if decimals is None:
        decimals = _auto_decimals(span)
    else:
        if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)):
            raise TypeError(f"decimals must be an integer or None; got {decimals!r} ({type(decimals).__name__})")
        decimals = int(decimals)
        if span * 10.0**decimals > _MAX_LEVELS or not -6 <= decimals <= 12:
            raise ValueError(
                f"decimals={decimals} is too fine for outputs spanning {span:.4g}: at most {_MAX_LEVELS} steps "
                f"are stored; use decimals <= {_auto_decimals(span) if span else 12} or leave it None"
            )
    steps, rounded = _round_to_grid(values, decimals)

    correct = binary_correct(values, label_array, threshold)  # the accuracy rule, (frames, samples)
    frame_accuracy = correct.mean(axis=1) if given_accuracy is None else given_accuracy

    if scale == "probability" and not zoom:
        low, high = 0.0, 1.0
    else:
        low, high = min(values.min(), threshold), max(values.max(), threshold)
        pad = 0.05 * (high - low) or 0.01
        low, high = low - pad, high + pad
        if scale == "probability":
            low, high = max(low, 0.0), min(high, 1.0)

    if axis_label is None:
        axis_label = "predicted probability" if scale == "probability" else "model output (logit)"
    elif not isinstance(axis_label, str):
        raise TypeError(f"axis_label must be a string; got {type(axis_label).__name__}")
    if alt is None:
        what = "predicted probability" if scale == "probability" else "output (logit)"
        alt = (
            f"Animated strip plot of the {what} of each of {num_samples} samples, one column per class, at "
            f"epochs {int(epoch_array[0])} to {int(epoch_array[-1])} ({num_frames} frames), with the threshold "
            f"{threshold:g} as a dashed line and hollow dots for samples on the wrong side; below, the accuracy "
            "of every epoch. Play, step or drag the slider to move through the epochs."
        )
    return ProbabilityFilm(
        rounded,
        steps,
        label_array,
        epoch_array,
        correct,
        np.asarray(frame_accuracy, dtype="float64"),
        threshold=threshold,
        decimals=decimals,
        scale=scale,
        value_range=(float(low), float(high)),
        title=title,
        alt=alt,
        axis_label=axis_label,
    )
