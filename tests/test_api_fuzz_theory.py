"""Property-based test of the theory pages' helpers: any wrong argument, one error.

The fourth twin of ``test_api_fuzz.py``, for the public functions of
``dnncourse.theory.*`` (what the API page documents: a module's ``__all__``, or its
public functions).  Hypothesis breaks one argument at a time (all others valid);
every call must raise ``TypeError`` or ``ValueError`` naming the argument, in the
"expected ..., got ..." form, with one traceback, print nothing and change no file.
``import keras`` fails here: the functions that build networks check their plain
arguments before they import Keras, so a bad argument that slipped through would
fail the test (and nothing is built).  At least 200 examples per function, in the
fast loop.  The functions without arguments (``bowl_hessian``,
``critical_learning_rate``, ``seed_cnn_counts_by_hand``) have nothing to fuzz.
"""

from __future__ import annotations

import inspect
import sys

import matplotlib
import numpy as np
import pytest
from api_cases import FakeModel
from hypothesis import strategies as st
from test_api_fuzz import (
    BAD_DTYPES,
    INF,
    NAN,
    Spec,
    complexes,
    floats,
    fuzz_at_the_door,
    junk,
    module_functions,
    not_int,
    not_real,
    not_text,
    objects,
    text,
)
from test_api_fuzz_tutorials import bad_units
from test_api_fuzz_tutorials import callbacks as bad_callbacks

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from dnncourse.theory import (
    activations,
    convolution,
    dnn,
    fitting,
    gradient_descent,
    keras_workflow,
    scaling,
    softmax,
    training_well,
)

SEED_MAX = 2**32 - 1
#: The theory modules whose public functions are fuzzed here.
MODULES = {"activations": activations, "convolution": convolution, "dnn": dnn,
           "fitting": fitting, "gradient_descent": gradient_descent,
           "keras_workflow": keras_workflow, "scaling": scaling, "softmax": softmax,
           "training_well": training_well}  # fmt: skip


class LayeredModel:
    """Has ``layers`` as a Keras model does (never reached: every case fails at the door)."""

    layers = [object(), object(), object()]  # noqa: RUF012 (never changed)


class Trainable:
    """Has what lr_range_test, optimizer_path and fit_parallel use (never reached)."""

    output_shape = (None, 2)

    def train_on_batch(self, *args, **kwargs):
        raise AssertionError("a wrong argument reached train_on_batch")

    reset_metrics = apply = __call__ = train_on_batch


class Timer:
    seconds = [0.01] * 10


AX = plt.figure().add_subplot()  # an Axes (its figure closed: nothing is drawn on it)
plt.close(AX.figure)


# --- wrong values ----------------------------------------------------------------------

# no array at all (a tuple of numbers would be one: none here)
no_array = st.one_of(
    objects, complexes, st.binary(max_size=4), st.none(), text,
    st.dictionaries(text, st.integers(), max_size=2), st.sets(st.integers(), max_size=2),
)  # fmt: skip


def bad_array(shape, wrong_shapes=(), *, extra=(), none_ok=False, poison=True):
    """Arrays that cannot be finite numbers of ``shape`` (and what is no array at all)."""
    size = int(np.prod(shape))

    def poisoned(args):
        i, v = args
        A = np.zeros(shape)
        A.flat[i % size] = v
        return A

    parts = [
        no_array.filter(lambda v: v is not None) if none_ok else no_array,
        st.sampled_from(BAD_DTYPES).map(lambda t: np.zeros(shape, dtype=t)),
        st.just([[1.0, 2.0], [3.0]]),  # ragged
        *extra,
    ]
    if size and poison:
        parts.append(st.tuples(st.integers(0, 10**6), st.sampled_from([NAN, INF, -INF]))
                     .map(poisoned))  # fmt: skip
    if wrong_shapes:
        parts.append(st.sampled_from(list(wrong_shapes)).map(np.zeros))
    return st.one_of(parts)


def not_function(*wrong_functions):
    """Anything not callable, and functions that do not map a point to what is needed."""
    return st.one_of(
        junk(strings=True).filter(lambda v: not callable(v)),
        st.sampled_from([int, FakeModel, *wrong_functions]),
    )


bad_x = bad_array((5,), extra=[st.sampled_from([NAN, INF, -INF])])  # any shape is valid
bad_Z = bad_array((2, 3), [(), (0,), (2, 0), (0, 3)], extra=[floats])
bad_axis = st.one_of(not_int(), st.integers().filter(lambda a: not -2 <= a < 2))
Y3, P3 = np.eye(3), np.full((3, 3), 1 / 3)
two_d = [(3,), (3, 2), (2, 3), (0, 3), (3, 3, 1)]
out_of_01 = st.floats(1, 1e6, exclude_min=True).map(lambda v: np.eye(3) * v)
bad_Y = bad_array((3, 3), two_d, extra=[out_of_01, st.just(-np.eye(3))])
bad_P = bad_array((3, 3), two_d, extra=[out_of_01])
bad_logits = bad_array((3, 3), two_d)
point = bad_array((2,), [(), (3,), (0,), (4, 3), (2, 1)])
start = bad_array((2,), [(), (3,), (2, 2), (0,)])
image = bad_array((6, 6), [(6,), (0, 6), (6, 0), (6, 6, 1, 1)])
positive = not_real(low=0, extra=[st.sampled_from([0, 0.0, -0.0])])
seed = not_int(0, SEED_MAX, none_ok=True)
no_keras_name = junk(strings=False)  # a str would need Keras to judge: checked in test_api_errors
bad_labels = st.one_of(text, st.just([]), st.sampled_from([[""], [None], [3], [" "], ["relu", 3]]),
                       junk(strings=False))  # fmt: skip
sizes = st.one_of(bad_units(), st.sampled_from([(4,), (), [3]]))


def wrong_names(count):
    good = ["a"] * count
    return st.one_of(text, st.just([*good, "b"]), st.just(good[:-1]),
                     st.sampled_from(["", None, 3]).map(lambda v: [*good[:-1], v]),
                     junk(strings=False, none=False))  # fmt: skip


W1 = [np.ones((2, 3)), np.zeros(3), np.ones((3, 1)), np.zeros(1)]
bad_weights = st.one_of(
    no_array, st.just([]), st.just(W1[:3]), st.just([W1[0], W1[1], np.ones((2, 1)), W1[3]]),
    st.just([W1[0], np.zeros(2), W1[2], W1[3]]), st.just([np.ones(3), *W1[1:]]),
    st.sampled_from([NAN, INF]).map(lambda v: [np.full((2, 3), v), *W1[1:]]),
    st.sampled_from(BAD_DTYPES).map(lambda t: [np.zeros((2, 3), t), *W1[1:]]),
)  # fmt: skip


def deep(numpy):
    activation = (
        st.one_of(text.filter(lambda t: t not in activations.ACTIVATION_NAMES),
                  st.sampled_from(["ReLU", "elu", " tanh"]), junk(strings=False))
        if numpy else no_keras_name
    )  # fmt: skip
    return {"activation": activation, "depth": not_int(1, 100), "width": not_int(1, 4096),
            "n": not_int(1, 100_000), "seed": not_int(0, SEED_MAX),
            "kernel_initializer": no_keras_name}  # fmt: skip


DEEP = {"activation": "relu", "depth": 2, "width": 4, "n": 8, "seed": 0,
        "kernel_initializer": "glorot_uniform"}  # fmt: skip


# --- the functions and their valid arguments -------------------------------------------


LINE = {"X": np.linspace(0, 2, 5)[:, None], "y": np.linspace(-1, 3, 5)}
bad_X_line = bad_array((5, 1), [(5,), (5, 2), (0, 1), (4, 1), (6, 1)])
bad_y_line = bad_array((5,), [(5, 1), (0,), (4,)])

SPECS = {
    **{f"activations.{name}": Spec(getattr(activations, name), {"x": np.linspace(-3, 3, 5)},
                                   {"x": bad_x})
       for name in ("relu", "relu_grad", "tanh", "tanh_grad", "softplus", "softplus_grad",
                    "sigmoid", "sigmoid_grad")},
    "activations.keras_activation": Spec(
        activations.keras_activation, {"name": "relu", "x": [0.0, 1.0]},
        {"name": no_keras_name, "x": bad_array((5,), [(), (0,), (2, 2)])}),
    "activations.plot_activations": Spec(
        activations.plot_activations, {"z": np.linspace(-3, 3, 5), "names": ("relu",), "ncols": 2},
        {"z": bad_array((5,), [(), (0,), (2, 2)]), "names": bad_labels, "ncols": not_int(1, 8)}),
    "activations.layer_gradient_norms": Spec(activations.layer_gradient_norms, DEEP, deep(False)),
    "activations.preactivation_stats": Spec(activations.preactivation_stats, DEEP, deep(True)),
    **{f"softmax.{name}": Spec(getattr(softmax, name), {"Z": P3, "axis": -1},
                               {"Z": bad_Z, "axis": bad_axis})
       for name in ("softmax_naive", "softmax", "log_softmax")},
    "softmax.cross_entropy": Spec(
        softmax.cross_entropy, {"Y": Y3, "P": P3, "eps": 1e-7},
        {"Y": bad_Y, "P": bad_P, "eps": not_real(0, 0.5, high_open=True, extra=[st.just(0.0)])}),
    "softmax.cross_entropy_from_logits": Spec(
        softmax.cross_entropy_from_logits, {"Y": Y3, "Z": P3}, {"Y": bad_Y, "Z": bad_logits}),
    "softmax.accuracy": Spec(softmax.accuracy, {"Y": Y3, "P": P3}, {"Y": bad_Y, "P": bad_logits}),
    "convolution.conv_output_size": Spec(
        convolution.conv_output_size, {"n": 28, "k": 5, "stride": 1, "padding": 0},
        {"n": not_int(1), "k": st.one_of(not_int(1), st.integers(29, 10**9)),
         "stride": not_int(1), "padding": not_int(0)}),
    "convolution.conv2d_valid": Spec(
        convolution.conv2d_valid, {"X": np.zeros((6, 6)), "K": np.ones((3, 3)), "b": None},
        {"X": st.one_of(image, st.sampled_from([(2, 6), (6, 2), (6, 6, 2)]).map(np.zeros)),
         "K": bad_array((3, 3), [(3,), (3, 3, 1), (0, 3), (7, 3), (3, 3, 2, 1)]),
         "b": bad_array((1,), [(), (2,), (1, 1)], none_ok=True)}),
    "convolution.max_pool": Spec(
        convolution.max_pool, {"X": np.zeros((6, 6)), "size": 2, "stride": None},
        {"X": image, "size": not_int(1, 6), "stride": not_int(1, none_ok=True)}),
    "convolution.shift_image": Spec(
        convolution.shift_image, {"X": np.zeros((6, 6)), "dy": 1, "dx": 2},
        {"X": image, "dy": not_int(0, 6), "dx": not_int(0, 6)}),
    "convolution.conv_layer_alternatives": Spec(
        convolution.conv_layer_alternatives, {"n": 28, "k": 5, "c_in": 1, "c_out": 32},
        {"n": not_int(1), "k": not_int(1, 28), "c_in": not_int(1), "c_out": not_int(1)}),
    "convolution.first_layer_filters": Spec(
        convolution.first_layer_filters, {"model": LayeredModel()},
        {"model": st.one_of(junk(), st.just(LayeredModel))}),
    "convolution.feature_maps": Spec(
        convolution.feature_maps, {"model": LayeredModel(), "x": np.zeros((28, 28)),
                                   "layer_index": 1},
        {"model": st.one_of(junk(), st.just(LayeredModel)),
         "x": bad_array((28, 28), [(784,), (1, 28, 28, 1), (28, 27), (28, 28, 3)]),
         "layer_index": st.one_of(not_int(0), st.integers(3, 10**6))}),
    "dnn.build_mlp": Spec(
        dnn.build_mlp, {"layer_sizes": (2, 3, 1), "activation": "relu", "seed": 0,
                        "api": "sequential", "kernel_initializer": "glorot_uniform"},
        {"layer_sizes": sizes, "activation": no_keras_name, "seed": not_int(0, SEED_MAX),
         "api": st.one_of(text, st.sampled_from(["Sequential", "functional "]),
                          junk(strings=False)),
         "kernel_initializer": no_keras_name}),
    "dnn.forward_numpy": Spec(
        dnn.forward_numpy, {"weights": W1, "X": np.zeros((4, 2)), "activation": "relu"},
        {"weights": bad_weights, "X": bad_array((4, 2), [(4,), (4, 3), (0, 2), (4, 2, 1)]),
         "activation": st.one_of(text, st.sampled_from(["ReLU", "elu"]), junk(strings=False))}),
    "dnn.count_dense_params": Spec(
        dnn.count_dense_params, {"layer_sizes": (2, 3, 1)},
        {"layer_sizes": st.one_of(bad_units(high=10**9), st.sampled_from([(4,), ()]))}),
    "dnn.draw_network": Spec(
        dnn.draw_network, {"layer_sizes": (2, 3, 1), "layer_names": None, "input_labels": None,
                           "output_labels": None, "ax": None},
        {"layer_sizes": st.one_of(bad_units(high=30), st.sampled_from([(4,), (2, 31)])),
         "layer_names": wrong_names(3), "input_labels": wrong_names(2),
         "output_labels": wrong_names(1), "ax": junk(none=False)}),
    "gradient_descent.bowl_loss": Spec(gradient_descent.bowl_loss, {"W": [1.0, 2.0]},
                                       {"W": point}),
    "gradient_descent.bowl_gradient": Spec(gradient_descent.bowl_gradient, {"W": [1.0, 2.0]},
                                           {"W": point}),
    "gradient_descent.gradient_descent": Spec(
        gradient_descent.gradient_descent,
        {"gradient": gradient_descent.bowl_gradient, "w0": [-3.0, 3.0], "learning_rate": 0.1,
         "n_steps": 5},
        {"gradient": not_function(lambda w: w[:1], lambda w: "x", lambda w: None),
         "w0": start, "learning_rate": positive, "n_steps": not_int(0, 10**6)}),
    "gradient_descent.make_line_data": Spec(
        gradient_descent.make_line_data,
        {"n": 10, "slope": 2.0, "intercept": -1.0, "noise": 0.5, "seed": 0},
        {"n": not_int(1, 10**7), "slope": not_real(), "intercept": not_real(),
         "noise": not_real(0), "seed": seed}),
    "gradient_descent.line_loss": Spec(
        gradient_descent.line_loss, {**LINE, "W": [2.0, -1.0]},
        {"X": bad_X_line, "y": bad_y_line, "W": point}),
    "gradient_descent.line_sgd": Spec(
        gradient_descent.line_sgd,
        {**LINE, "w0": [0.0, 0.0], "learning_rate": 0.1, "batch_size": 2, "n_epochs": 1,
         "seed": 0},
        {"X": bad_X_line, "y": bad_y_line, "w0": start, "learning_rate": positive,
         "batch_size": not_int(1), "n_epochs": not_int(1, 10**4), "seed": seed}),
    "gradient_descent.iterations_per_epoch": Spec(
        gradient_descent.iterations_per_epoch, {"n_samples": 1000, "batch_size": 32},
        {"n_samples": not_int(1), "batch_size": not_int(1)}),
    "gradient_descent.plot_paths": Spec(
        gradient_descent.plot_paths,
        {"loss": gradient_descent.bowl_loss, "paths": [np.zeros((3, 2))], "labels": ["a"],
         "extent": (-4, 5, -3, 4), "ax": None, "levels": None, "title": None},
        {"loss": not_function(lambda G: 0.0, lambda G: G, lambda G: "x"),
         "paths": st.one_of(no_array, st.just([]), st.just([np.zeros((3, 3))]),
                            st.just([np.zeros((0, 2))]), st.just(["abc"]),
                            st.just([np.full((3, 2), NAN)]), st.just(np.zeros((3, 2)))),
         "labels": wrong_names(1),
         "extent": bad_array((4,), [(3,), (2, 2), ()],
                             extra=[st.sampled_from([(5, -4, -3, 4), (-4, 5, 4, 4)])]),
         "ax": junk(none=False),
         "levels": bad_array((3,), [(0,), (2, 2), ()], none_ok=True,
                             extra=[st.just([3.0, 2.0, 1.0]), st.just([1.0, 1.0])]),
         "title": not_text(none_ok=True)}),
}  # fmt: skip

P221 = {"W1": np.eye(2), "b1": np.zeros(2), "w2": np.ones(2), "b2": 0.5}
bad_params = st.one_of(
    junk(), st.sampled_from(["W1", "b1", "w2", "b2"]).map(
        lambda k: {key: v for key, v in P221.items() if key != k}),
    st.tuples(st.sampled_from(["W1", "b1", "w2"]), st.sampled_from([(), (3,), (2, 3), (0,)]))
    .map(lambda t: {**P221, t[0]: np.zeros(t[1])}),
    st.one_of(no_array, st.sampled_from([NAN, INF]), st.just(np.zeros(2))).map(
        lambda v: {**P221, "b2": v}),
)  # fmt: skip
two = bad_array((2,), [(), (3,), (2, 1)])
curve = bad_array((5,), [(), (0,), (2, 2)], poison=False)
labels6 = np.array([0, 1, 2, 0, 1, 2])
ROW = {"mistake": "m", "code": "c", "fix": "f", "error": None, "message": ""}
FIT_X, FIT_y = np.linspace(-1, 1, 5)[:, None], np.zeros(5)
bad_model = st.one_of(junk(), st.sampled_from([Trainable, FakeModel]))
numpy_l2 = st.one_of(no_array, st.sampled_from([NAN, -INF, -1e-3, True]),
                     st.sampled_from([np.zeros(3), np.zeros((2, 1)), np.array([0.1, -0.1])]))  # fmt: skip
not_array_of_5_1 = bad_array((5, 1), [(5,), (0, 1), (5, 2)], none_ok=True)

SPECS |= {
    "training_well.mse": Spec(
        training_well.mse, {"y": np.zeros(3), "y_hat": np.ones(3)},
        {"y": bad_array((3,), [(0,), (4,), (3, 2), (), (3, 1, 1)]),
         "y_hat": bad_array((3,), [(0,), (4,), (3, 1), ()])}),
    "training_well.forward_221": Spec(
        training_well.forward_221, {"params": P221, "x": np.ones(2)},
        {"params": bad_params, "x": two}),
    **{f"training_well.{name}": Spec(
        getattr(training_well, name), {"params": P221, "x": np.ones(2), "t": 1.0},
        {"params": bad_params, "x": two, "t": not_real()})
       for name in ("backprop_221", "autodiff_gradients_221")},
    "training_well.activations_through_depth": Spec(
        training_well.activations_through_depth,
        {"initializer": "he_normal", "depth": 2, "width": 4, "n": 8, "seed": 0},
        {"initializer": st.one_of(junk(strings=False).filter(lambda v: not callable(v)),
                                  st.sampled_from([int, FakeModel])),
         "depth": not_int(1, 100), "width": not_int(1, 4096), "n": not_int(1, 100_000),
         "seed": not_int(0, SEED_MAX)}),
    "training_well.batch_norm": Spec(
        training_well.batch_norm,
        {"X": np.arange(12.0).reshape(4, 3), "gamma": np.ones(3), "beta": np.zeros(3),
         "eps": 1e-3},
        {"X": bad_array((4, 3), [(4,), (0, 3), (4, 3, 1)]),
         "gamma": bad_array((3,), [(), (2,), (3, 1)]), "beta": bad_array((3,), [(), (4,)]),
         "eps": not_real(0, extra=[st.just(0.0)])}),
    "training_well.bn_mlp": Spec(
        training_well.bn_mlp, {"batch_norm": True, "depth": 1, "width": 8},
        {"batch_norm": st.one_of(st.integers(), floats, text, st.none(), objects),
         "depth": not_int(1, 50), "width": not_int(1, 10_000)}),
    "training_well.lr_range_test": Spec(
        training_well.lr_range_test,
        {"model": Trainable(), "X": np.zeros((8, 2)), "y": np.zeros(8), "start": 1e-4,
         "stop": 1e-1, "n_steps": 2, "batch_size": 4, "seed": 0},
        {"model": bad_model, "X": bad_array((8, 2), [(0, 2), (7, 2), (4, 2)]),
         "y": bad_array((8,), [(8, 1), (7,), ()]), "start": positive,
         "stop": not_real(1e-4, extra=[st.just(1e-4)]), "n_steps": not_int(1, 100_000),
         "batch_size": not_int(1), "seed": not_int(0, SEED_MAX)},
        names={"n_steps": ("n_steps", "X"), "batch_size": ("batch_size", "X")}),
    "training_well.smooth": Spec(
        training_well.smooth, {"values": np.arange(5.0), "beta": 0.9},
        {"values": curve, "beta": not_real(0, 1, high_open=True)}),
    "training_well.smooth_centred": Spec(
        training_well.smooth_centred, {"values": np.arange(5.0), "half_width": 2},
        {"values": curve, "half_width": not_int(0)}),
    "training_well.optimizer_path": Spec(
        training_well.optimizer_path,
        {"optimizer": Trainable(), "gradient": gradient_descent.bowl_gradient,
         "w0": [-3.0, 3.0], "n_steps": 3},
        {"optimizer": st.one_of(junk(), st.sampled_from([Trainable, "adam", "SGD"])),
         "gradient": not_function(lambda w: w[:1], lambda w: "x"), "w0": start,
         "n_steps": not_int(0, 10**6)}),
    "scaling.split_cpu": Spec(scaling.split_cpu, {"n_devices": 2}, {"n_devices": not_int(1, 64)}),
    "scaling.train_solution": Spec(
        scaling.train_solution, {"epochs": 1, "seed": 0, "callbacks": (), "n_train": 100},
        {"epochs": not_int(1), "seed": not_int(0, SEED_MAX), "callbacks": bad_callbacks,
         "n_train": not_int(1, 55_000, none_ok=True)}),
    "scaling.median_step_ms": Spec(
        scaling.median_step_ms, {"timer": Timer(), "skip": 5},
        {"timer": st.one_of(junk(), st.sampled_from([Timer, Trainable()])),
         "skip": st.one_of(not_int(0), st.integers(10, 10**9))},
        names={"skip": ("skip", "timer")}),
    "scaling.mnist_pipelines": Spec(
        scaling.mnist_pipelines,
        {"x": np.zeros((4, 28, 28), np.uint8), "y": np.arange(4), "batch_size": 2},
        {"x": bad_array((4, 28, 28), [(4, 28), (4, 28, 28, 1), (0, 28, 28), (3, 28, 28)],
                        extra=[st.just(np.zeros((4, 28, 28)))]),
         "y": bad_array((4,), [(4, 1), (3,), (0,)],
                        extra=[st.sampled_from([10, -1, 2.5]).map(lambda v: [0, 1, 2, v])]),
         "batch_size": not_int(1)}),
    "scaling.epoch_seconds": Spec(
        scaling.epoch_seconds, {"dataset": [1, 2], "n_epochs": 2},
        {"dataset": st.one_of(text, st.none(), st.integers(), floats, complexes,
                              st.dictionaries(text, st.integers(), max_size=2),
                              st.sampled_from([int, object()])),
         "n_epochs": not_int(1, 1000)}),
    "scaling.per_replica_batch": Spec(
        scaling.per_replica_batch, {"global_batch_size": 128, "n_replicas": 2},
        {"global_batch_size": st.one_of(not_int(1), st.integers(0, 10**6).map(lambda k: 2 * k + 1)),
         "n_replicas": not_int(1)}),
    "scaling.scaled_learning_rate": Spec(
        scaling.scaled_learning_rate,
        {"base_rate": 1e-3, "base_batch": 128, "new_batch": 1024, "rule": "linear"},
        {"base_rate": positive, "base_batch": not_int(1), "new_batch": not_int(1),
         "rule": st.one_of(text.filter(lambda t: t not in ("linear", "sqrt")),
                           st.sampled_from(["Linear", "square root"]), junk(strings=False))}),
    "fitting.wave": Spec(fitting.wave, {"x": np.linspace(-1, 1, 5)}, {"x": bad_x}),
    "fitting.make_wave_data": Spec(
        fitting.make_wave_data, {"n": 10, "noise": 0.4, "seed": 0},
        {"n": not_int(1, 10**7), "noise": not_real(0), "seed": seed}),
    "fitting.floor_mse": Spec(fitting.floor_mse, LINE, {"X": bad_X_line, "y": bad_y_line}),
    "fitting.parallel_networks": Spec(
        fitting.parallel_networks,
        {"n_networks": 2, "hidden": (4,), "l2": 0.0, "learning_rate": 0.01, "seed": 0,
         "curves": True},
        {"n_networks": not_int(1, 1000), "hidden": bad_units(), "l2": numpy_l2,
         "learning_rate": positive, "seed": not_int(0, SEED_MAX),
         "curves": st.one_of(st.integers(), floats, text, st.none(), objects)}),
    "fitting.fit_parallel": Spec(
        fitting.fit_parallel,
        {"model": Trainable(), "X": FIT_X, "y": FIT_y, "epochs": 1, "seed": 0,
         "validation_data": None},
        {"model": bad_model,
         "X": bad_array((5, 1), [(5,), (5, 2), (0, 1), (4, 1), (3, 5, 1), (5, 1, 1, 1)]),
         "y": bad_array((5,), [(5, 1), (0,), (4,), (2, 5)]), "epochs": not_int(1),
         "seed": not_int(0, SEED_MAX),
         "validation_data": st.one_of(junk(none=False), st.sampled_from(
             [(FIT_X,), (FIT_X, FIT_y, FIT_y), (FIT_X, FIT_y[:3]), [np.zeros((5, 2)), FIT_y]]))},
        names={"X": ("X",), "validation_data": ("validation_data",)}),
    "fitting.predict_parallel": Spec(
        fitting.predict_parallel, {"model": Trainable(), "X": FIT_X},
        {"model": bad_model, "X": bad_array((5, 1), [(5,), (0, 1), (5, 2)])}),
    "fitting.bias_variance": Spec(
        fitting.bias_variance, {"predictions": np.zeros((3, 5)), "x": np.zeros(5)},
        {"predictions": bad_array((3, 5), [(5,), (0, 5), (3, 5, 1)]),
         "x": bad_array((5,), [(4,), (5, 1), ()])}),
    "fitting.plot_fit": Spec(
        fitting.plot_fit,
        {"model": lambda G: np.zeros(len(G)), "X_train": FIT_X, "y_train": FIT_y,
         "X_val": None, "y_val": None, "ax": None, "title": None},
        {"model": not_function(lambda G: "x", lambda G: G[:5]),
         "X_train": bad_X_line, "y_train": bad_y_line,
         "X_val": st.one_of(not_array_of_5_1, st.just(FIT_X)),
         "y_val": st.one_of(bad_array((5,), [(0,), (5, 1)], none_ok=True), st.just(FIT_y)),
         "ax": junk(none=False), "title": not_text(none_ok=True)}),
    "fitting.plot_floors": Spec(
        fitting.plot_floors, {"ax": AX, "floor_train": 0.1, "floor_val": 0.2},
        {"ax": junk(), "floor_train": not_real(0), "floor_val": not_real(0)}),
    "fitting.plot_spread": Spec(
        fitting.plot_spread,
        {"x": np.zeros(5), "predictions": np.zeros((3, 5)), "ax": AX, "title": None},
        {"x": bad_array((5,), [(0,), (5, 1), ()]),
         "predictions": bad_array((3, 5), [(5,), (0, 5), (3, 4), (3, 5, 1)]),
         "ax": junk(), "title": not_text(none_ok=True)}),
    "keras_workflow.error_summary": Spec(
        keras_workflow.error_summary, {"err": ValueError("x"), "max_chars": 200},
        {"err": st.one_of(junk(), st.sampled_from([ValueError, "ValueError: x"])),
         "max_chars": not_int(10)}),
    "keras_workflow.run_mistakes": Spec(
        keras_workflow.run_mistakes, {"X": np.ones((6, 4)), "y": labels6, "workdir": "."},
        {"X": bad_array((6, 4), [(6,), (6, 3), (0, 4), (5, 4)]),
         "y": bad_array((6,), [(6, 1), (5,)], extra=[
             st.sampled_from([3, -1, 0.5]).map(lambda v: np.r_[labels6[:-1], v])]),
         "workdir": st.one_of(junk(strings=False),
                              st.sampled_from(["", " ", "no/such/folder", "a\x00b"]))}),
    "keras_workflow.mistakes_table": Spec(
        keras_workflow.mistakes_table, {"rows": [ROW]},
        {"rows": st.one_of(text, st.none(), objects, st.integers(), floats,
                           st.dictionaries(text, st.integers(), max_size=2),
                           st.sampled_from([[{"mistake": "m"}], [None], [["m", "c"]],
                                            [ROW, "row"]]))}),
}  # fmt: skip


@pytest.mark.parametrize("function", list(SPECS))
def test_every_wrong_argument_gets_one_documented_error(
    function, tmp_path, monkeypatch, record_property, capsys
):
    # `import keras` fails (an ImportError, not a documented error): a bad argument that
    # slipped past the door cannot build a network
    monkeypatch.setitem(sys.modules, "keras", None)
    figures = plt.get_fignums()
    fuzz_at_the_door(function, SPECS[function], tmp_path, monkeypatch, record_property,
                     after=lambda: plt.close("all"))  # fmt: skip
    assert plt.get_fignums() == [] or plt.get_fignums() == figures
    assert capsys.readouterr().out == "", "nothing printed"


def public_functions():
    """``{key: function}`` of what the API page documents from the theory modules."""
    found = {}
    for prefix, module in MODULES.items():
        if getattr(module, "__all__", None):
            found |= {f"{prefix}.{name}": getattr(module, name) for name in module.__all__
                      if inspect.isfunction(getattr(module, name))}  # fmt: skip
        else:
            found |= module_functions(prefix, module)
    return found


def test_every_public_function_is_fuzzed():
    """A new public function (or argument) of these modules must join SPECS."""
    public = public_functions()
    assert len(public) >= 35
    for key, function in public.items():
        params = set(inspect.signature(function).parameters)
        if not params:
            continue  # bowl_hessian, critical_learning_rate, seed_cnn_counts_by_hand
        assert key in SPECS, f"{key} takes arguments but has no fuzz spec"
        assert params == set(SPECS[key].bad), f"{key}: unfuzzed {params - set(SPECS[key].bad)}"
