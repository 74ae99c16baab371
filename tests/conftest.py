"""Shared fixtures: quiet TensorFlow, a non-interactive matplotlib backend, figures closed after every test."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import lossacc  # noqa: E402,F401  (sets the TensorFlow environment defaults before Keras loads)
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
