"""Figures used on more than one page, drawn with colour-blind-safe colours.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008), which stays
distinguishable under the common forms of colour blindness; classes are told
apart by marker shape as well as colour.  Every function returns the
Matplotlib figure, so a page can add to it or save it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

#: Okabe-Ito colours: orange, sky blue, bluish green, yellow, blue, vermilion, reddish purple, black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def plot_regression_data(
    X_train, y_train, X_test=None, y_test=None, surface=None, surface_label="model", ax=None
):
    """3-D scatter of the regression points, optionally with a fitted surface.

    Parameters
    ----------
    X_train : ndarray, shape (n, 2)
    y_train : ndarray, shape (n,)
    X_test, y_test : ndarray, shapes (m, 2) and (m,), optional
    surface : callable, optional
        Maps an array of shape (k, 2) to predictions of shape (k,) or (k, 1);
        drawn as a wireframe on a 25x25 grid over the unit square.
    surface_label : str
        Legend entry of the surface.
    ax : a 3-D Matplotlib axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        fig = plt.figure(figsize=(6.4, 4.8))
        ax = fig.add_subplot(projection="3d")
    fig = ax.figure
    ax.scatter(*X_train.T, y_train, color=OKABE_ITO[4], marker="o", label="training")
    if X_test is not None:
        ax.scatter(*X_test.T, y_test, color=OKABE_ITO[5], marker="^", label="test")
    if surface is not None:
        g = np.linspace(0.0, 1.0, 25)
        G1, G2 = np.meshgrid(g, g)
        Z = np.asarray(surface(np.column_stack([G1.ravel(), G2.ravel()]))).reshape(G1.shape)
        ax.plot_wireframe(G1, G2, Z, color=OKABE_ITO[0], linewidth=0.6, label=surface_label)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", zlabel="$y$")
    ax.legend(loc="upper left")
    return fig


def pair_plot(X, y, feature_names, class_names):
    """Scatter every pair of features against each other; histograms on the diagonal.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,), integer class labels 0..len(class_names)-1
    feature_names : sequence of d str
    class_names : sequence of str

    Returns
    -------
    matplotlib.figure.Figure
    """
    d = X.shape[1]
    fig, axes = plt.subplots(d, d, figsize=(1.9 * d, 1.9 * d), layout="constrained")
    for i in range(d):
        bins = np.histogram_bin_edges(X[:, i], bins=15)  # shared, so the classes compare
        for j in range(d):
            ax = axes[i, j]
            for c, name in enumerate(class_names):
                rows = y == c
                if i == j:
                    ax.hist(X[rows, i], bins=bins, color=OKABE_ITO[c], alpha=0.6, label=name)
                else:
                    ax.scatter(X[rows, j], X[rows, i], s=9, color=OKABE_ITO[c],
                               marker=MARKERS[c], label=name)  # fmt: skip
            if i == d - 1:
                ax.set_xlabel(feature_names[j])
            if j == 0:
                ax.set_ylabel(feature_names[i])
            ax.tick_params(labelsize=7)
    handles, labels = axes[0, 1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=len(class_names))
    return fig


def show_digits(images, labels, predicted=None, ncols=10, title=None):
    """A grid of digit images with their labels (and predictions, when given).

    Parameters
    ----------
    images : ndarray, shape (n, 28, 28) or (n, 28, 28, 1)
    labels : ndarray, shape (n,)
    predicted : ndarray, shape (n,), optional
        When given, each title reads "true 3 / pred 5".
    ncols : int
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    images = np.asarray(images).reshape(len(images), 28, 28)
    nrows = int(np.ceil(len(images) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.1 * ncols, 1.35 * nrows), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if k >= len(images):
            continue
        ax.imshow(images[k], cmap="gray_r")
        text = str(labels[k]) if predicted is None else f"true {labels[k]}\npred {predicted[k]}"
        ax.set_title(text, fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_history(history, metrics=("loss",), title=None, logy=False, ax=None):
    """Learning curves: training and validation values per epoch.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)`` 's return value, or its ``.history`` dict
        (keys like ``"loss"`` and ``"val_loss"``, each a list of length n_epochs).
    metrics : sequence of str
        Which curves to draw, one panel each (e.g. ``("loss", "accuracy")``).
    title : str, optional
    logy : bool
        Log scale on the y axis (useful when the loss falls by orders of magnitude).
    ax : Matplotlib axes or array of axes, optional
        One per metric; created when omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    h = getattr(history, "history", history)
    if ax is None:
        fig, axes = plt.subplots(1, len(metrics), figsize=(4.6 * len(metrics), 3.4), squeeze=False)
        axes = axes.ravel()
    else:
        axes = np.atleast_1d(ax)
        fig = axes[0].figure
    for a, metric in zip(axes, metrics, strict=True):
        epochs = np.arange(1, len(h[metric]) + 1)
        a.plot(epochs, h[metric], color=OKABE_ITO[4], label=f"training {metric}")
        if f"val_{metric}" in h:
            a.plot(epochs, h[f"val_{metric}"], color=OKABE_ITO[5], linestyle="--",
                   label=f"validation {metric}")  # fmt: skip
        a.set(xlabel="epoch", ylabel=metric)
        a.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        if logy:
            a.set_yscale("log")
        a.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion(confusion, class_names, ax=None, title=None):
    """A confusion matrix as a grid of counts: rows true classes, columns predicted classes.

    Parameters
    ----------
    confusion : ndarray, shape (k, k), int
        ``confusion[i, j]``: how many samples of class i were predicted as class j.
    class_names : sequence of k str
    ax : Matplotlib axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.4, 3.8))
    k = len(class_names)
    ax.imshow(confusion, cmap="cividis", vmin=0)
    ax.set(xticks=range(k), yticks=range(k), xticklabels=class_names, yticklabels=class_names)
    ax.set(xlabel="predicted class", ylabel="true class")
    for i in range(k):
        for j in range(k):
            dark = confusion[i, j] < max(confusion.max(), 1) / 2  # cividis is dark at low counts
            color = "white" if dark else "black"
            ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=13, color=color)
    if title:
        ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure


def plot_decision_regions(
    predict, X, y, class_names, feature_names, features=(2, 3), ax=None, title=None, n=150
):
    """Predicted class regions of a classifier in the plane of two features.

    The classifier sees all the features: the two plotted ones vary over a grid,
    the others are held at their means over ``X``.  So the picture is a slice
    through the model, and a point whose other features are far from their
    means may lie in a region of another class yet be classified correctly.

    Parameters
    ----------
    predict : callable
        Maps an array of shape (m, d) (float32) to class probabilities (m, k).
    X : ndarray, shape (n_samples, d)
        The samples drawn as points; they also set the grid's range and the
        values of the features held fixed.
    y : ndarray, shape (n_samples,), int
        Their classes 0..k-1 (colour and marker).
    class_names, feature_names : sequences of str
    features : pair of int
        Which two features span the plane (default: petal length and width of iris).
    ax : Matplotlib axes, optional
    title : str, optional
    n : int
        Grid points per axis.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.8, 4.0))
    i, j = features
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0))
    g1 = np.linspace(X[:, i].min() - pad[i], X[:, i].max() + pad[i], n)
    g2 = np.linspace(X[:, j].min() - pad[j], X[:, j].max() + pad[j], n)
    G1, G2 = np.meshgrid(g1, g2)
    grid = np.tile(X.mean(axis=0), (G1.size, 1))
    grid[:, i], grid[:, j] = G1.ravel(), G2.ravel()
    regions = np.asarray(predict(grid.astype("float32"))).argmax(axis=1).reshape(G1.shape)
    k = len(class_names)
    ax.contourf(G1, G2, regions, levels=np.arange(k + 1) - 0.5, colors=OKABE_ITO[:k], alpha=0.3)
    ax.contour(G1, G2, regions, levels=np.arange(1, k) - 0.5, colors="black", linewidths=0.8)
    for c, name in enumerate(class_names):
        rows = y == c
        style = {"color": OKABE_ITO[c], "marker": MARKERS[c], "edgecolors": "black"}
        ax.scatter(X[rows, i], X[rows, j], s=16, linewidths=0.4, label=name, **style)
    ax.set(xlabel=feature_names[i], ylabel=feature_names[j])
    ax.legend(loc="upper left", fontsize=8)
    if title:
        ax.set_title(title)
    return ax.figure
