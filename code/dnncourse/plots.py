"""Figures used on more than one page, drawn with colour-blind-safe colours.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008), which stays
distinguishable under the common forms of colour blindness; classes are told
apart by marker shape as well as colour.  Every function returns the
Matplotlib figure, so a page can add to it or save it.

Every function checks its arguments before it makes a figure: arrays of the
wrong shape, length or kind, labels without a class name, a metric the history
did not record, a ``surface`` or ``predict`` function whose output does not fit
the grid, each raise one ``TypeError`` or ``ValueError`` naming the argument,
what was expected, what was got and the fix (``dnncourse._args``).
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ._args import Arguments, describe, number

#: Okabe-Ito colours: orange, sky blue, bluish green, yellow, blue, vermilion, reddish purple, black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: The most digits :func:`show_digits` draws (each is a small panel of its own).
MAX_DIGITS = 400


def plot_regression_data(
    X_train,
    y_train,
    X_test=None,
    y_test=None,
    surface=None,
    surface_label="model",
    ax=None,
    grid=None,
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
    grid : tuple (G1, G2, Y_hat) of ndarrays, each of shape (m, m), optional
        A surface already evaluated on a grid (``G1, G2 = np.meshgrid(...)`` and
        the predictions there), drawn as a wireframe instead of ``surface``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before a figure is made (see the module's docstring).
    """
    _check_regression_data(X_train, y_train, X_test, y_test, surface, surface_label, ax)
    if surface is not None and grid is not None:
        raise ValueError(
            "plot_regression_data: expected surface= (a function) or grid= (G1, G2, Y_hat), "
            "got both; pass one of them."
        )
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
        Z = _surface_values(surface, G1, G2)
        grid = (G1, G2, Z)
    if grid is not None:
        G1, G2, Z = (np.asarray(a, dtype=float) for a in grid)
        if not G1.shape == G2.shape == Z.shape or G1.ndim != 2:
            raise ValueError(
                "plot_regression_data: expected grid=(G1, G2, Y_hat), three arrays of the same "
                f"shape (m, m), got shapes {G1.shape}, {G2.shape}, {Z.shape}; reshape the "
                "predictions with .reshape(G1.shape)."
            )
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

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before a figure is made (see the module's docstring).
    """
    X, y = _check_pair_plot(X, y, feature_names, class_names)
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

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before a figure is made (see the module's docstring).
    """
    images, labels, predicted = _check_digits(images, labels, predicted, ncols, title)
    images = images.reshape(len(images), 28, 28)
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

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before a figure is made (see the module's docstring).
    """
    h, metrics = _check_history(history, metrics, title, logy, ax)
    if ax is None:
        fig, axes = plt.subplots(1, len(metrics), figsize=(4.6 * len(metrics), 3.4), squeeze=False)
        axes = axes.ravel()
    else:
        axes = np.ravel(np.asarray(ax, dtype=object))  # one axes, a list, or a grid of them
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

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before a figure is made (see the module's docstring).
    """
    confusion = _check_confusion(confusion, class_names, ax, title)
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

    Raises
    ------
    TypeError, ValueError
        Naming the argument, before a figure is made (see the module's docstring).
    """
    X, y, (i, j) = _check_decision_regions(
        predict, X, y, class_names, feature_names, features, ax, title, n
    )
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0))
    g1 = np.linspace(X[:, i].min() - pad[i], X[:, i].max() + pad[i], n)
    g2 = np.linspace(X[:, j].min() - pad[j], X[:, j].max() + pad[j], n)
    G1, G2 = np.meshgrid(g1, g2)
    grid = np.tile(X.mean(axis=0), (G1.size, 1))
    grid[:, i], grid[:, j] = G1.ravel(), G2.ravel()
    # predict before drawing: an output of the wrong shape leaves no empty figure behind
    regions = _predicted_classes(predict, grid.astype("float32"), len(class_names))
    regions = regions.reshape(G1.shape)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.8, 4.0))
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


# --- argument checks: every mistake named before a figure is made -----------------------


def _axes(door, name, ax, three_d=False, count=None):
    """None, a Matplotlib Axes (3-D when asked), or ``count`` of them."""
    if ax is None:
        return None
    if count is not None:
        items = [ax] if isinstance(ax, Axes) else list(np.ravel(np.asarray(ax, dtype=object))) \
            if isinstance(ax, (list, tuple, np.ndarray)) else None  # fmt: skip
        if items is None or len(items) != count or not all(isinstance(a, Axes) for a in items):
            door.fail(name, f"{count} Matplotlib axes (one per metric) or None", describe(ax),
                      "Pass ax=None to make the figure, or one axes per metric.", TypeError)  # fmt: skip
        return ax
    kind = "a 3-D Matplotlib axes" if three_d else "a Matplotlib axes"
    if not isinstance(ax, Axes) or (three_d and getattr(ax, "name", "") != "3d"):
        fix = "fig.add_subplot(projection='3d')" if three_d else "fig, ax = plt.subplots()"
        door.fail(name, f"{kind} or None", describe(ax), f"Pass ax=None, or an axes from {fix}.",
                  TypeError)  # fmt: skip
    return ax


def _class_names(door, names):
    names = door.names("class_names", names, example=("setosa", "versicolor"))
    if len(names) > len(OKABE_ITO):
        door.fail("class_names", f"at most {len(OKABE_ITO)} classes (one colour each)",
                  f"{len(names)}", "Plot a subset of the classes.")  # fmt: skip
    return names


def _check_regression_data(X_train, y_train, X_test, y_test, surface, surface_label, ax):
    door = Arguments("plot_regression_data")
    for xn, X, yn, y, low in (("X_train", X_train, "y_train", y_train, 1),
                              ("X_test", X_test, "y_test", y_test, 0)):  # fmt: skip
        if low == 0 and X is None and y is None:
            continue
        if low == 0 and (X is None) != (y is None):
            missing = yn if y is None else xn
            door.fail(missing, f"an array since {xn if y is None else yn} is given", "None",
                      "Pass both X_test and y_test, or neither.", TypeError)  # fmt: skip
        X = door.array(xn, X, shape=(None, 2), low_rows=low or 1)
        y = door.array(yn, y, ndim=1)
        door.same_length((xn, X), (yn, y))
    if surface is not None:
        door.function("surface", surface, "surface=lambda X: model.predict(X, verbose=0)")
    door.text("surface_label", surface_label, example="model")
    _axes(door, "ax", ax, three_d=True)


def _surface_values(surface, G1, G2):
    """``surface`` on the grid, shaped like it; its output checked, not trusted."""
    Z = surface(np.column_stack([G1.ravel(), G2.ravel()]))
    door = Arguments("plot_regression_data")
    Z = door.array("surface", Z, what=f"predictions for the {G1.size} grid points",
                   fix="Return one prediction per row of the (k, 2) array the function gets.")  # fmt: skip
    if Z.size != G1.size or Z.ndim > 2:
        door.fail("surface", f"a function returning {G1.size} predictions, shape "
                  f"({G1.size},) or ({G1.size}, 1)", f"shape {Z.shape}",
                  "Return one prediction per row of the (k, 2) array the function gets.")  # fmt: skip
    return Z.reshape(G1.shape)


def _check_pair_plot(X, y, feature_names, class_names):
    door = Arguments("pair_plot")
    X = door.array("X", X, ndim=2, low_rows=1)
    if X.shape[1] < 2:
        door.fail("X", "at least 2 features (columns) to pair", f"shape {X.shape}",
                  "Pass X with 2 or more columns.")  # fmt: skip
    class_names = _class_names(door, class_names)
    y = door.labels("y", y, len(class_names), class_names=class_names)
    door.same_length(("X", X), ("y", y))
    door.names("feature_names", feature_names, count=X.shape[1],
               example=tuple(f"x{i + 1}" for i in range(X.shape[1])))  # fmt: skip
    return X, y


def _check_digits(images, labels, predicted, ncols, title):
    door = Arguments("show_digits")
    images = door.array("images", images, ndim=(3, 4), low_rows=1, what="digit images")
    if images.shape[1:] not in ((28, 28), (28, 28, 1)):
        door.fail("images", "digit images of shape (n, 28, 28) or (n, 28, 28, 1)",
                  f"an array of shape {images.shape}", "Pass MNIST digits, e.g. x_train[:20].")  # fmt: skip
    if len(images) > MAX_DIGITS:
        door.fail("images", f"at most {MAX_DIGITS} digits (one small panel each)",
                  f"{len(images)}", "Pass a slice, e.g. images[:20], labels[:20].")  # fmt: skip
    labels = door.array("labels", labels, ndim=1)
    door.same_length(("images", images), ("labels", labels))
    if predicted is not None:
        predicted = door.array("predicted", predicted, ndim=1)
        door.same_length(("images", images), ("predicted", predicted))
    door.integer("ncols", ncols, low=1, high=50, example=10)
    door.text("title", title, allow_none=True, example="Some digits")
    return images, labels, predicted


def _check_history(history, metrics, title, logy, ax):
    door = Arguments("plot_history")
    h = getattr(history, "history", history)
    if not isinstance(h, Mapping):
        door.fail("history", "what model.fit returns (a History) or its .history dict",
                  describe(history), "Pass history = model.fit(...), or history.history.",
                  TypeError)  # fmt: skip
    if isinstance(metrics, str):
        metrics = (metrics,)  # one metric named on its own: what else could it mean
    metrics = door.names("metrics", metrics, example=("loss",))
    recorded = ", ".join(map(str, h)) or "nothing"
    logy = door.boolean("logy", logy)
    for metric in metrics:
        if metric not in h:
            door.fail("metrics", f"names the history recorded ({recorded})", repr(metric),
                      f"Pass metrics among {recorded}; to record {metric!r}, compile with "
                      f"metrics=[{metric!r}].")  # fmt: skip
        for key in (metric, f"val_{metric}"):
            if key in h:
                values = door.array(f"history[{key!r}]", h[key], ndim=1, low_rows=1,
                                    finite=False, what="one value per epoch")  # fmt: skip
                if logy and (values[np.isfinite(values)] <= 0).any():
                    door.fail("logy", f"positive {key} values for a log scale",
                              f"{number(values[values <= 0][0])}", "Pass logy=False.")  # fmt: skip
    door.text("title", title, allow_none=True, example="Learning curves")
    _axes(door, "ax", ax, count=len(metrics))
    return h, metrics


def _check_confusion(confusion, class_names, ax, title):
    door = Arguments("plot_confusion")
    k = len(door.names("class_names", class_names, example=("setosa", "versicolor")))
    counts = door.array("confusion", confusion, shape=(k, k), what="a square table of counts",
                        fix=f"Pass a ({k}, {k}) table of counts, a row and a column per name "
                        "in class_names.")  # fmt: skip
    whole = np.array_equal(counts, np.round(counts))
    if (counts < 0).any() or not whole:
        bad = counts[(counts < 0) | (counts != np.round(counts))][0]
        door.fail("confusion", "whole counts >= 0", number(bad),
                  "Count how many samples of each class were predicted as each class.")  # fmt: skip
    _axes(door, "ax", ax)
    door.text("title", title, allow_none=True, example="Validation")
    return counts


def _check_decision_regions(predict, X, y, class_names, feature_names, features, ax, title, n):
    door = Arguments("plot_decision_regions")
    door.function("predict", predict, "predict=lambda X: model.predict(X, verbose=0)")
    X = door.array("X", X, ndim=2, low_rows=1)
    d = X.shape[1]
    if d < 2:
        door.fail("X", "at least 2 features (columns)", f"shape {X.shape}",
                  "Pass X with 2 or more columns.")  # fmt: skip
    class_names = _class_names(door, class_names)
    y = door.labels("y", y, len(class_names), class_names=class_names)
    door.same_length(("X", X), ("y", y))
    door.names("feature_names", feature_names, count=d)
    fix = f"Pass two different column numbers from 0 to {d - 1}, e.g. features=(0, 1)."
    if not isinstance(features, (tuple, list)) or len(features) != 2:
        door.fail("features", "a pair of column numbers", describe(features), fix, TypeError)
    i, j = (door.integer(f"features[{k}]", f, low=0, high=d - 1, fix=fix)
            for k, f in enumerate(features))  # fmt: skip
    if i == j:
        door.fail("features", "two different columns", f"({i}, {j})", fix)
    _axes(door, "ax", ax)
    door.text("title", title, allow_none=True, example="Decision regions")
    door.integer("n", n, low=2, high=1000, example=150)
    return X, y, (i, j)


def _predicted_classes(predict, grid, k):
    """The class of highest probability ``predict`` gives each grid row, output checked."""
    door = Arguments("plot_decision_regions")
    P = door.array("predict", predict(grid), what=f"class probabilities, one row per point "
                   f"and one column per class ({k})", finite=True,
                   fix="Return model.predict(X)-like probabilities of shape (m, k).")  # fmt: skip
    if P.shape != (len(grid), k):
        door.fail("predict", f"a function returning shape ({len(grid)}, {k}) for {len(grid)} "
                  f"points and {k} classes", f"shape {P.shape}",
                  "Return one row of class probabilities per point.")  # fmt: skip
    return P.argmax(axis=1)
