"""Helpers for the page "Training by gradient descent": toy problems and descent paths.

* A 2-D quadratic "bowl" (an elongated, tilted valley) with its exact gradient,
  and plain gradient descent on it.
* A least-squares line fit (two parameters, slope and intercept) with mini-batch
  stochastic gradient descent written in NumPy, so that the path can be drawn.

NumPy and Matplotlib only.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from dnncourse.plots import MARKERS, OKABE_ITO

# --------------------------------------------------------------------------- the bowl

#: The bowl's curvatures, the eigenvalues of its Hessian. The valley is 10 times
#: steeper across than along, like most real loss surfaces near a minimum.
BOWL_CURVATURES = (1.0, 10.0)
#: Angle (radians) of the valley's floor against the w1 axis.
BOWL_ANGLE = math.pi / 6
#: Where the bowl has its lowest point (loss 0).
BOWL_MINIMUM = np.array([1.0, 0.5])


def bowl_hessian():
    """The constant Hessian ``H`` of the bowl, shape (2, 2), symmetric positive definite."""
    c, s = math.cos(BOWL_ANGLE), math.sin(BOWL_ANGLE)
    R = np.array([[c, -s], [s, c]])
    return R @ np.diag(BOWL_CURVATURES) @ R.T


def bowl_loss(W):
    """Loss ``L(w) = 1/2 (w - w*)^T H (w - w*)`` of the bowl.

    Parameters
    ----------
    W : array_like, shape (..., 2)
        One point ``(w1, w2)`` or a grid of them.

    Returns
    -------
    ndarray, shape (...)
    """
    D = np.asarray(W, dtype=float) - BOWL_MINIMUM
    return 0.5 * np.einsum("...i,ij,...j->...", D, bowl_hessian(), D)


def bowl_gradient(W):
    """Gradient ``H (w - w*)`` of :func:`bowl_loss`, shape (..., 2) like ``W``."""
    return (np.asarray(W, dtype=float) - BOWL_MINIMUM) @ bowl_hessian()


def critical_learning_rate():
    """Largest learning rate for which gradient descent on the bowl converges: 2 / max curvature."""
    return 2.0 / max(BOWL_CURVATURES)


def gradient_descent(gradient, w0, learning_rate, n_steps):
    """Plain gradient descent ``w <- w - learning_rate * gradient(w)``.

    Parameters
    ----------
    gradient : callable
        Maps a point of shape (d,) to the gradient there, shape (d,).
    w0 : array_like, shape (d,)
        Starting point.
    learning_rate : float
    n_steps : int

    Returns
    -------
    ndarray, shape (n_steps + 1, d)
        The path: the start and the point after every step.
    """
    path = [np.asarray(w0, dtype=float)]
    for _ in range(n_steps):
        path.append(path[-1] - learning_rate * gradient(path[-1]))
    return np.array(path)


# --------------------------------------------------------------------------- least squares


def make_line_data(n=1000, slope=2.0, intercept=-1.0, noise=0.5, seed=0):
    """Points scattered about a straight line: ``y = slope * x + intercept + noise``.

    ``x`` is uniform on [0, 2], not centred, so slope and intercept are
    correlated and the loss surface is a tilted valley, as it usually is.

    Returns
    -------
    X : ndarray, shape (n, 1), float32
    y : ndarray, shape (n,), float32
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 2.0, n)
    y = slope * x + intercept + noise * rng.normal(size=n)
    return x[:, None].astype("float32"), y.astype("float32")


def line_loss(X, y, W):
    """Mean squared error of the line ``y_hat = w x + b`` for parameters ``W = (w, b)``.

    Parameters
    ----------
    X : ndarray, shape (n, 1)
    y : ndarray, shape (n,)
    W : array_like, shape (..., 2)
        One ``(w, b)`` pair or a grid of them.

    Returns
    -------
    ndarray, shape (...)
    """
    W = np.asarray(W, dtype=float)
    x = X[:, 0].astype(float)
    # Expand the square so a whole grid costs three sums, not one pass per grid point.
    m1, m2 = x.mean(), (x**2).mean()
    my, my2, mxy = y.mean(), (y.astype(float) ** 2).mean(), (x * y).mean()
    w, b = W[..., 0], W[..., 1]
    return w**2 * m2 + b**2 + 2 * w * b * m1 - 2 * w * mxy - 2 * b * my + my2


def line_sgd(X, y, w0, learning_rate, batch_size, n_epochs, seed=0):
    """Mini-batch stochastic gradient descent on :func:`line_loss`.

    Each epoch shuffles the points and takes one step per batch of
    ``batch_size`` points (the last batch may be smaller), as ``model.fit`` does.
    ``batch_size = len(X)`` is full-batch gradient descent.

    Returns
    -------
    ndarray, shape (n_steps + 1, 2)
        ``(w, b)`` at the start and after every step, with
        ``n_steps = n_epochs * iterations_per_epoch(len(X), batch_size)``.
    """
    rng = np.random.default_rng(seed)
    x, t = X[:, 0].astype(float), y.astype(float)
    W = np.asarray(w0, dtype=float).copy()
    path = [W.copy()]
    for _ in range(n_epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start : start + batch_size]
            residual = W[0] * x[rows] + W[1] - t[rows]
            grad = 2 * np.array([(residual * x[rows]).mean(), residual.mean()])
            W = W - learning_rate * grad
            path.append(W.copy())
    return np.array(path)


def iterations_per_epoch(n_samples, batch_size):
    """Steps (weight updates) in one epoch: ``ceil(n_samples / batch_size)``."""
    return math.ceil(n_samples / batch_size)


def plot_paths(loss, paths, labels, extent, ax=None, levels=None, title=None):
    """Contours of a 2-parameter loss with descent paths drawn over them.

    Parameters
    ----------
    loss : callable
        Maps a grid of shape (k, k, 2) to losses of shape (k, k).
    paths : sequence of ndarray, each shape (n_i, 2)
    labels : sequence of str, one per path
    extent : (xmin, xmax, ymin, ymax)
        The window drawn; a path that leaves it is clipped.
    ax : Matplotlib axes, optional
    levels : sequence of float, optional
        Contour levels; by default 12 levels spaced evenly on a log scale.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 4.2))
    x0, x1, y0, y1 = extent
    G1, G2 = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    Z = loss(np.stack([G1, G2], axis=-1))
    if levels is None:
        levels = np.geomspace(Z.min() + 1e-3 * (Z.max() - Z.min()) + 1e-12, Z.max(), 12)
    ax.contour(G1, G2, Z, levels=levels, colors="0.6", linewidths=0.7)
    for k, (path, label) in enumerate(zip(paths, labels, strict=True)):
        ax.plot(path[:, 0], path[:, 1], color=OKABE_ITO[(4, 5, 2, 0, 6)[k % 5]],
                marker=MARKERS[k % len(MARKERS)], markersize=3.5, linewidth=1.2,
                linestyle=("-", "--", ":", "-.")[k % 4], label=label)  # fmt: skip
    ax.plot(*paths[0][0], "k*", markersize=10)  # the start of the first path
    ax.set(xlim=(x0, x1), ylim=(y0, y1))
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    return ax.figure
