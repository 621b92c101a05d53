"""Helpers for the page "Underfitting and overfitting": a noisy wave and its fits.

The data are a smooth 1-D function (:func:`wave`) plus Gaussian noise; the page
trains models of several sizes on a few dozen points with
:func:`dnncourse.training.fit` and draws them with :func:`plot_fit`.
NumPy and Matplotlib only.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dnncourse.plots import OKABE_ITO


def wave(x):
    """The noise-free function behind :func:`make_wave_data`: ``sin(4 x)``."""
    return np.sin(4.0 * np.asarray(x))


def make_wave_data(n, noise=0.3, seed=0):
    """Noisy samples of :func:`wave` at uniform random ``x`` in [-1, 1].

    Returns
    -------
    X : ndarray, shape (n, 1), float32
    y : ndarray, shape (n,), float32
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n)
    y = wave(x) + noise * rng.normal(size=n)
    return x[:, None].astype("float32"), y.astype("float32")


def plot_fit(model, X_train, y_train, X_val=None, y_val=None, ax=None, title=None):
    """The data, the true function :func:`wave` and a model's predictions on [-1, 1].

    Parameters
    ----------
    model : callable
        Maps an array of shape (k, 1) to predictions of shape (k, 1) or (k,).
    X_train, X_val : ndarray, shape (n, 1)
    y_train, y_val : ndarray, shape (n,)

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 3.4))
    grid = np.linspace(-1.0, 1.0, 300, dtype="float32")[:, None]
    ax.plot(grid[:, 0], wave(grid[:, 0]), color="0.5", linestyle=":", label="true function")
    ax.scatter(X_train[:, 0], y_train, s=14, color=OKABE_ITO[4], marker="o", label="training")
    if X_val is not None:
        ax.scatter(X_val[:, 0], y_val, s=18, color=OKABE_ITO[5], marker="^", label="validation")
    y_hat = np.asarray(model(grid)).reshape(-1)
    ax.plot(grid[:, 0], y_hat, color=OKABE_ITO[0], linewidth=2, label="model")
    ax.set(xlabel="$x$", ylabel="$y$", ylim=(-2.0, 2.0))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=7, loc="lower left")
    return ax.figure
