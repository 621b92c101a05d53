"""The MNIST exercise's solution: a CNN that passes 99 % test accuracy in a few epochs."""

from __future__ import annotations


def solve_mnist(seed=0, verbose=0, epochs=4, batch_size=128, peak_learning_rate=3e-3):
    """Train the solution CNN on MNIST; 5,000 training images are held out for validation.

    The network is :func:`dnncourse.cnn.solution_cnn` (two 3x3 convolutions with
    batch normalisation).  Adam follows a one-cycle schedule: the learning rate
    warms up linearly to ``peak_learning_rate`` over the first 20 % of the steps,
    then falls along a cosine to nearly zero, so the last steps settle into a
    minimum instead of bouncing around it.  The test set is not touched here.

    Parameters
    ----------
    seed : int
        Seeds Python, NumPy and the backend (weights, dropout, shuffling).
    verbose : int
        Passed to ``model.fit`` (2 prints one line per epoch).
    epochs, batch_size : int
    peak_learning_rate : float

    Returns
    -------
    model : keras.Sequential
        Trained; input (None, 28, 28, 1) floats in [0, 1], output (None, 10).
    history : keras.callbacks.History
        ``loss``, ``accuracy``, ``val_loss`` and ``val_accuracy`` per epoch.
    """
    import keras

    from ..cnn import load_prepared, solution_cnn

    keras.utils.set_random_seed(seed)
    (X_train, y_train), (X_val, y_val), _ = load_prepared()
    steps = epochs * -(-len(X_train) // batch_size)  # ceil: the last batch is smaller
    warmup = steps // 5
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_learning_rate / 10,
        warmup_target=peak_learning_rate,
        warmup_steps=warmup,
        decay_steps=steps - warmup,
        alpha=0.01,
    )
    model = solution_cnn()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        X_train, y_train,
        validation_data=(X_val, y_val),
        epochs=epochs, batch_size=batch_size, verbose=verbose,
    )  # fmt: skip
    return model, history
