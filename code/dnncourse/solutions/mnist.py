"""The MNIST exercise's solution: a small CNN that reaches 99 % validation accuracy in two epochs.

:func:`~dnncourse.solutions.mnist.solution_cnn` is the network,
:func:`~dnncourse.solutions.mnist.one_cycle` its learning-rate schedule and
:func:`solve_mnist` trains it.  The MNIST page shows the same code in its solution
cell (a hidden cell there asserts that the two agree); the tests, the benchmark
(``tools/bench.py``) and the scaling page train it from here.  Keras is imported
inside the functions.
"""

from __future__ import annotations

from .._args import Arguments
from .regression import _check_options


def solution_cnn(filters=(16, 32), dense=128):
    """The solution's CNN (uncompiled): a strided convolution, a pooled one, batch normalisation.

    Conv2D 16 filters 5x5 with stride 2, ReLU; Conv2D 32 filters 3x3;
    MaxPooling 2x2; BatchNormalization; ReLU; Flatten; Dense ReLU; Dense 10
    softmax.  Feature maps: (28, 28, 1) -> (12, 12, 16) -> (10, 10, 32) ->
    (5, 5, 32) -> 800 -> 128 -> 10; 108,954 weights and biases (64 of them the
    normalisation's running statistics, not trained).  The second convolution
    needs no bias: the BatchNormalization after it subtracts any constant per
    channel and adds its own (``beta``).  The first does without one: the target
    is met without it, and a blank patch of background then gives exactly zero.

    Parameters
    ----------
    filters : (int, int)
        Filters of the first and second convolution.
    dense : int
        Units of the hidden dense layer.

    Returns
    -------
    keras.Sequential
        Input (None, 28, 28, 1), output (None, 10) class probabilities.

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported, naming the argument: ``filters`` not two whole
        numbers in [1, 1024], ``dense`` not a whole number in [1, 10000].
    """
    door = Arguments("solution_cnn")
    filters = door.units("filters", filters, count=2, high=1024, example=(16, 32))
    dense = door.integer("dense", dense, low=1, high=10_000, example=128)
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            # stride 2: the first layer computes a quarter of the positions
            layers.Conv2D(filters[0], 5, strides=2, use_bias=False),
            layers.ReLU(),
            layers.Conv2D(filters[1], 3, use_bias=False),
            # pool first: normalisation and ReLU then work on a quarter of the numbers
            layers.MaxPooling2D(2),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Flatten(),
            layers.Dense(dense, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="solution_cnn",
    )


def one_cycle(steps, peak_learning_rate):
    """The solution's one-cycle learning rate: a linear warm-up, then a cosine decay.

    It rises from a tenth of ``peak_learning_rate`` to the peak over the first
    fifth of the steps (small steps while the weights are random), then falls
    along a cosine to 1 % of the peak at the last step, so that the last steps
    settle into a minimum instead of bouncing around it.

    Parameters
    ----------
    steps : int
        Weight updates in the whole run: epochs x batches per epoch.
    peak_learning_rate : float

    Returns
    -------
    keras.optimizers.schedules.CosineDecay
        Pass it to the optimizer as ``learning_rate=``.

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported, naming the argument: ``steps`` not a whole
        number >= 1, ``peak_learning_rate`` not a number > 0.
    """
    door = Arguments("one_cycle")
    steps = door.integer("steps", steps, low=1, example=430)
    peak_learning_rate = float(
        door.real("peak_learning_rate", peak_learning_rate, low=0, low_open=True, example=8e-3)
    )
    import keras

    warmup = steps // 5
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_learning_rate / 10,
        warmup_target=peak_learning_rate,
        warmup_steps=warmup,
        decay_steps=steps - warmup,
        alpha=0.01,
    )


def solve_mnist(
    seed=0,
    epochs=2,
    callbacks=(),
    verbose=0,
    batch_size=256,
    peak_learning_rate=8e-3,
    steps_per_execution=8,
    n_train=None,
):
    """Train :func:`~dnncourse.solutions.mnist.solution_cnn` on MNIST; 5,000 training images are held out for validation.

    Adam follows the one-cycle schedule of :func:`~dnncourse.solutions.mnist.one_cycle` (warm-up over the
    first 20 % of the steps, then a cosine decay to 1 % of the peak).  The test
    set is not touched.

    Parameters
    ----------
    seed : int
        Seeds Python, NumPy and the backend (weights and shuffling).
    epochs : int
        Epochs of the one-cycle schedule (it ends at the last one).
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks (for example a timer).
    verbose : int
        Passed to ``model.fit`` (2 prints one line per epoch).
    batch_size : int
    peak_learning_rate : float
    steps_per_execution : int
        Batches per call into TensorFlow (1 under a ``tf.distribute`` strategy,
        which TensorFlow 2.21 cannot run with more for this model). Always 1 on
        Keras' PyTorch backend, which allows no other value.
    n_train : int, optional
        Train on the first ``n_train`` training digits only (to save time); the
        5,000 validation digits stay the same.

    Returns
    -------
    model : keras.Sequential
        Trained; input (None, 28, 28, 1) floats in [0, 1], output (None, 10).
    history : keras.callbacks.History
        ``loss``, ``accuracy``, ``val_loss`` and ``val_accuracy`` per epoch.

    Raises
    ------
    TypeError, ValueError
        Before Keras is imported or MNIST read, naming the argument: ``seed`` not
        a whole number in [0, 2**32 - 1], ``epochs``, ``batch_size`` or
        ``steps_per_execution`` not a whole number >= 1, ``callbacks`` not a list
        of Keras callbacks, ``verbose`` not 0, 1, 2 or "auto",
        ``peak_learning_rate`` not a number > 0, ``n_train`` neither None nor a
        whole number from 1 to 55,000 (the training digits left after validation).
    """
    from ..data.mnist import MNIST_SHAPES, N_VAL, load_prepared

    door = Arguments("solve_mnist")
    options = _check_options(door, seed, epochs, callbacks, verbose, seed_none=False, example=2)
    seed, epochs, callbacks = options["seed"], options["epochs"], options["callbacks"]
    batch_size = door.integer("batch_size", batch_size, low=1, example=256)
    peak_learning_rate = float(
        door.real("peak_learning_rate", peak_learning_rate, low=0, low_open=True, example=8e-3)
    )
    steps_per_execution = door.integer("steps_per_execution", steps_per_execution, low=1,
                                       example=8)  # fmt: skip
    if n_train is not None:  # [:0] would train on nothing, [:-5] on all but 5, [:99999] on all
        most = MNIST_SHAPES["x_train"][0] - N_VAL
        fix = f"Pass n_train from 1 to {most}, or n_train=None for all."
        n_train = door.integer("n_train", n_train, low=1, high=most, fix=fix)
    import keras

    if keras.backend.backend() == "torch":  # Keras' torch backend runs one batch per call
        steps_per_execution = 1
    keras.utils.set_random_seed(seed)
    (X_train, y_train), (X_val, y_val), _ = load_prepared()
    X_train, y_train = X_train[:n_train], y_train[:n_train]  # [:None] keeps all
    steps = epochs * -(-len(X_train) // batch_size)  # ceil: the last batch is smaller
    model = solution_cnn()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=one_cycle(steps, peak_learning_rate)),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,  # batches per call into TensorFlow: less Python
    )
    history = model.fit(
        X_train,
        y_train,
        validation_data=(X_val, y_val),
        epochs=epochs,
        batch_size=batch_size,
        verbose=verbose,
        callbacks=list(callbacks),
    )
    return model, history
