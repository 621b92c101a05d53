"""The MNIST tutorial's networks and the helpers its page uses.

- :func:`prepare` turns Keras' uint8 digits into the CNN's input: floats in
  [0, 1] with a channel axis.
- :func:`load_prepared` loads MNIST through :func:`dnncourse.data.load_mnist`
  and holds out the last training images for validation.
- :func:`seed_cnn` is the workshop seed's network (also the exercise's challenge).
- :func:`solution_cnn` is the network of :func:`dnncourse.solutions.solve_mnist`.
- :func:`first_layer_filters` and :func:`feature_maps` look inside a trained CNN.

Keras is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import numpy as np

#: Training images held out for validation: the last 5,000 of the 60,000.
N_VAL = 5000


def prepare(X):
    """Scale uint8 digits to [0, 1] and add the channel axis a Conv2D expects.

    Parameters
    ----------
    X : ndarray, shape (n, 28, 28), uint8 pixel values 0..255

    Returns
    -------
    ndarray, shape (n, 28, 28, 1), float32 values in [0, 1]
    """
    X = np.asarray(X)
    if X.ndim != 3 or X.shape[1:] != (28, 28):
        raise ValueError(f"expected digits of shape (n, 28, 28), got {X.shape}")
    return (X.astype(np.float32) / 255.0)[..., np.newaxis]


def load_prepared(n_val=N_VAL):
    """MNIST ready for a CNN, with a validation set held out from the training data.

    Parameters
    ----------
    n_val : int
        How many of the last training images become the validation set
        (0 for none: then ``X_val`` and ``y_val`` are empty).

    Returns
    -------
    (X_train, y_train), (X_val, y_val), (X_test, y_test)
        ``X_*`` float32 of shape (n, 28, 28, 1) in [0, 1]; ``y_*`` uint8 labels
        0..9 of shape (n,). Sizes 60000 - n_val, n_val and 10000.
    """
    from . import data

    (X, y), (X_test, y_test) = data.load_mnist()
    X = prepare(X)
    cut = len(X) - n_val
    return (X[:cut], y[:cut]), (X[cut:], y[cut:]), (prepare(X_test), y_test)


def seed_cnn(filters=(4, 16), dense=100, dropout=0.4):
    """The workshop seed's CNN (uncompiled): 2 small convolutions, then a dense head.

    BatchNormalization of the input, Conv2D 4 filters 5x5 ReLU, MaxPooling 2x2,
    Conv2D 16 filters 5x5 ReLU, MaxPooling 2x2, Flatten, Dense 100 ReLU,
    Dropout 0.4, Dense 10 softmax.  Feature maps: (28, 28, 1) -> (24, 24, 4)
    -> (12, 12, 4) -> (8, 8, 16) -> (4, 4, 16) -> 256 -> 100 -> 10;
    28,434 parameters (2 of them the input normalisation's running statistics,
    not trained).

    The workshop's solution widened it: ``seed_cnn(filters=(4, 32), dense=500)``
    (see :mod:`dnncourse.workshop`).

    Parameters
    ----------
    filters : (int, int)
        Filters of the two 5x5 convolutions.
    dense : int
        Units of the hidden dense layer.
    dropout : float
        Dropout rate after the hidden dense layer.

    Returns
    -------
    keras.Sequential
        Input (None, 28, 28, 1), output (None, 10) class probabilities.
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.BatchNormalization(),
            layers.Conv2D(filters[0], 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(filters[1], 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(dense, activation="relu"),
            layers.Dropout(dropout),
            layers.Dense(10, activation="softmax"),
        ],
        name="seed_cnn",
    )


#: The seed's training settings (also the exercise's challenge).
SEED_SETTINGS = {"optimizer": "adagrad", "learning_rate": 0.01, "epochs": 5, "batch_size": 100}


def compile_seed(model, optimizer="adagrad", learning_rate=0.01):
    """Compile as the seed does: Adagrad, sparse categorical cross-entropy, accuracy.

    The seed used one-hot labels with ``categorical_crossentropy``; the sparse
    loss on integer labels is the same number without the one-hot copy.

    Parameters
    ----------
    model : keras.Model
    optimizer : {"adagrad", "adam"}
    learning_rate : float
    """
    import keras

    optimizers = {"adagrad": keras.optimizers.Adagrad, "adam": keras.optimizers.Adam}
    model.compile(
        optimizer=optimizers[optimizer](learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def run_seed_cnn(seed=0, verbose=0, callbacks=(), **settings):
    """Train :func:`seed_cnn` as the seed says, on the training images minus the validation set.

    Parameters
    ----------
    seed : int
        Passed to ``keras.utils.set_random_seed``.
    verbose : int
        Passed to ``model.fit``.
    callbacks : sequence of keras.callbacks.Callback
    **settings
        Overrides of :data:`SEED_SETTINGS` (``optimizer``, ``learning_rate``,
        ``epochs``, ``batch_size``).

    Returns
    -------
    model : keras.Sequential
    history : keras.callbacks.History
        ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` per epoch.
    """
    import keras

    s = {**SEED_SETTINGS, **settings}
    keras.utils.set_random_seed(seed)
    (X_train, y_train), (X_val, y_val), _ = load_prepared()
    model = compile_seed(seed_cnn(), s["optimizer"], s["learning_rate"])
    history = model.fit(
        X_train, y_train,
        validation_data=(X_val, y_val),
        epochs=s["epochs"], batch_size=s["batch_size"], verbose=verbose,
        callbacks=list(callbacks),
    )  # fmt: skip
    return model, history


def solution_cnn(filters=(16, 32), dense=128, dropout=0.25):
    """The solution's CNN (uncompiled): two conv blocks with batch normalisation.

    Each block is Conv2D 3x3 (no bias: the BatchNormalization after it has one),
    MaxPooling 2x2, BatchNormalization, ReLU.  Then Flatten, Dropout, Dense ReLU,
    Dropout, Dense 10 softmax.  Feature maps: (28, 28, 1) -> (26, 26, 16) ->
    (13, 13, 16) -> (11, 11, 32) -> (5, 5, 32) -> 800 -> 128 -> 10.

    Normalising inside the network, not only its input, lets a large learning
    rate train it in few epochs.  Pooling comes before normalisation and ReLU
    (ReLU and taking a maximum commute), so those two work on a quarter of the
    numbers: on a CPU that halves the time per epoch.

    Parameters
    ----------
    filters : (int, int)
        Filters of the first and second convolution.
    dense : int
        Units of the hidden dense layer.
    dropout : float
        Dropout rate before each dense layer.

    Returns
    -------
    keras.Sequential
        Input (None, 28, 28, 1), output (None, 10) class probabilities.
    """
    import keras
    from keras import layers

    blocks = []
    for f in filters:
        blocks += [
            layers.Conv2D(f, 3, use_bias=False),
            layers.MaxPooling2D(2),
            layers.BatchNormalization(),
            layers.ReLU(),
        ]
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            *blocks,
            layers.Flatten(),
            layers.Dropout(dropout),
            layers.Dense(dense, activation="relu"),
            layers.Dropout(dropout),
            layers.Dense(10, activation="softmax"),
        ],
        name="solution_cnn",
    )


def first_layer_filters(model):
    """The kernels of the model's first Conv2D layer.

    Returns
    -------
    ndarray, shape (n_filters, kh, kw)
        One 2-D kernel per filter (the input has one channel).
    """
    import keras

    conv = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    W = conv.get_weights()[0]  # (kh, kw, 1, n_filters)
    return np.moveaxis(W[:, :, 0, :], -1, 0)


def feature_maps(model, x, layer_index):
    """The outputs of one layer for one digit.

    Parameters
    ----------
    model : keras.Sequential
    x : ndarray, shape (28, 28, 1) or (28, 28)
    layer_index : int
        Position of the layer in ``model.layers``.

    Returns
    -------
    ndarray, shape (h, w, channels)
    """
    import keras

    out = np.asarray(x, dtype=np.float32).reshape(1, 28, 28, 1)
    for layer in model.layers[: layer_index + 1]:  # the trained layers, in inference mode
        out = layer(out, training=False)
    return keras.ops.convert_to_numpy(out)[0]
