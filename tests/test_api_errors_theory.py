"""Every bad argument to the theory pages' helpers: one clear error.

The fourth twin of ``test_api_errors.py``, for ``dnncourse.theory.*``.  Each case
passes one wrong argument and checks the error's type and message (the argument
named, "expected ..., got ...", the fix), one traceback, nothing printed, no file
changed, and that the function refused before Keras was imported.  ``CASES``
doubles as the issue report's table (``python tests/test_api_errors_theory.py``
prints it).  The tests below the cases check the names only Keras can judge, and
that valid calls still compute what the pages show.
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np
import pytest
from api_cases import Case, assert_one_clear_error, case_id, error_table, untouched
from test_api_fuzz_theory import SPECS

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from dnncourse.theory import activations as act
from dnncourse.theory import convolution as conv
from dnncourse.theory import dnn, fitting, scaling
from dnncourse.theory import gradient_descent as gd
from dnncourse.theory import keras_workflow as wf
from dnncourse.theory import softmax as sm
from dnncourse.theory import training_well as tw

P = {"W1": np.eye(2), "b1": np.zeros(2), "w2": np.ones(2), "b2": 0.5}
X1, y1 = gd.make_line_data(10)


class Trainable:
    """Has what lr_range_test, fit_parallel and predict_parallel look for (never reached)."""

    output_shape = (None, 2)

    def train_on_batch(self, *args, **kwargs):
        raise AssertionError("a wrong argument reached train_on_batch")

    reset_metrics = __call__ = train_on_batch


C = Case
CASES = [
    C("relu", "text", lambda: act.relu("1.5"), TypeError, r"expected a number or an array of numbers, got '1\.5' \(a str\)\. Pass x as a number or a", "x"),
    C("sigmoid_grad", "NaN", lambda: act.sigmoid_grad(np.array([0.0, np.nan])), ValueError, r"expected finite numbers, got nan at index 1\. Remove or fill in the rows with missing or", "x"),
    C("sigmoid", "one NaN (a single value)", lambda: act.sigmoid(float("nan")), ValueError, r"expected finite numbers, got nan\. Remove", "x"),
    C("relu_grad", "a dict", lambda: act.relu_grad({"x": 1.0}), TypeError, r"got a dict with keys x\. Pass x as a number", "x"),
    C("tanh_grad", "complex numbers", lambda: act.tanh_grad(np.array([1j])), TypeError, r"got an array of complex numbers \(dtype complex128\)", "x"),
    C("softplus_grad", "infinity", lambda: act.softplus_grad([0.0, np.inf]), ValueError, r"expected finite numbers, got inf at index 1\.", "x"),
    C("tanh", "None", lambda: act.tanh(None), TypeError, r"expected a number or an array of numbers, got None\. Pass x as a number or a NumPy array,", "x"),
    C("softplus", "ragged list", lambda: act.softplus([[1.0, 2.0], [3.0]]), ValueError, r"expected a number or an array of numbers, got rows of different lengths \(a ragged list\)\.", "x"),
    C("keras_activation", "a function, not its name", lambda: act.keras_activation(act.relu, [0.0]), TypeError, r"expected a str, got the function relu\. Pass", "name"),
    C("keras_activation", "2-D x", lambda: act.keras_activation("relu", np.zeros((2, 2))), ValueError, r"expected an array of numbers with 1 dimension, got an array of shape \(2, 2\) \(2", "x"),
    C("plot_activations", "one name as a str", lambda: act.plot_activations(np.linspace(-3, 3, 5), names="relu"), TypeError, r"expected a list of names \(str\), got 'relu' \(a str\)\. Pass a list of names, e\.g\.", "names"),
    C("plot_activations", "ncols 0", lambda: act.plot_activations(np.linspace(-3, 3, 5), ncols=0), ValueError, r"expected a whole number in \[1, 8\], got 0 \(an int\)\. Pass a whole number such as", "ncols"),
    C("layer_gradient_norms", "depth 2.0", lambda: act.layer_gradient_norms("relu", depth=2.0), TypeError, r"expected a whole number in \[1, 100\], got 2\.0 \(a float\)\. Pass", "depth"),
    C("layer_gradient_norms", "width 0", lambda: act.layer_gradient_norms("relu", width=0), ValueError, r"expected a whole number in \[1, 4096\], got 0 \(an int\)\. Pass a whole number such as", "width"),
    C("preactivation_stats", "an activation without a NumPy formula", lambda: act.preactivation_stats("elu"), ValueError, r"expected one of 'relu', 'tanh', 'softplus', 'sigmoid', got 'elu' \(a str\)\. Pass", "activation"),
    C("preactivation_stats", "seed None", lambda: act.preactivation_stats("relu", seed=None), TypeError, r"expected a whole number in \[0, 4294967295\], got None\. Pass a whole number such as", "seed"),
    C("softmax", "axis out of range", lambda: sm.softmax([1.0, 2.0], axis=1), ValueError, r"expected an axis of Z, from \-1 to 0, got 1 \(an int\)\. Pass axis=\-1 \(the last axis holds", "axis"),
    C("softmax", "no logits", lambda: sm.softmax([]), ValueError, r"expected at least one logit, got an array of shape \(0,\)\. Pass at least one row and one", "Z"),
    C("softmax_naive", "text logits", lambda: sm.softmax_naive(np.array(["1", "2"])), TypeError, r"expected logits \(an array of numbers\), got an array of text \(dtype <U1\)\. Pass Z as a", "Z"),
    C("log_softmax", "axis a float", lambda: sm.log_softmax([1.0, 2.0], axis=-1.0), TypeError, r"expected a whole number, got \-1\.0 \(a float\)\. Pass", "axis"),
    C("cross_entropy", "class numbers, not one-hot", lambda: sm.cross_entropy(np.array([0, 2]), np.eye(3)[:2]), ValueError, r"expected one\-hot labels of shape \(n, K\) with 2 dimensions, got an array of shape \(2,\) \(1", "Y"),
    C("cross_entropy", "logits for P", lambda: sm.cross_entropy(np.eye(2), np.array([[2.0, -1.0], [0.5, 3.0]])), ValueError, r"expected values in \[0, 1\] \(probabilities\), got 2 at index \(0, 0\)\. Pass probabilities", "P"),
    C("cross_entropy", "eps 0", lambda: sm.cross_entropy(np.eye(2), np.eye(2), eps=0), ValueError, r"expected a number in \(0, 0\.5\), got 0 \(an int\)\. Pass a number such as", "eps"),
    C("cross_entropy_from_logits", "shapes differ", lambda: sm.cross_entropy_from_logits(np.eye(3), np.zeros((3, 2))), ValueError, r"expected the same shape \(n, K\) with K >= 1, got \(3, 3\) and \(3, 2\)\. Pass one row per", "Y, Z"),
    C("accuracy", "1-D labels", lambda: sm.accuracy([0, 1], np.eye(2)), ValueError, r"expected one\-hot labels of shape \(n, K\) with 2 dimensions, got an array of shape \(2,\) \(1", "Y"),
    C("conv_output_size", "kernel larger than the input", lambda: conv.conv_output_size(3, 5), ValueError, r"expected a window no longer than the padded input, n \+ 2 \* padding = 3, got 5 \(an int\)\.", "k"),
    C("conv_output_size", "stride 0", lambda: conv.conv_output_size(28, 5, stride=0), ValueError, r"expected a whole number >= 1, got 0 \(an int\)\. Pass a whole number such as", "stride"),
    C("conv2d_valid", "kernel channels differ", lambda: conv.conv2d_valid(np.zeros((6, 6, 3)), np.ones((3, 3, 1, 2))), ValueError, r"expected a kernel \(kh, kw, C_in, \.\.\.\) that fits the image \(H, W, C_in\), got X of shape", "X, K"),
    C("conv2d_valid", "3-D kernel", lambda: conv.conv2d_valid(np.zeros((6, 6)), np.ones((3, 3, 1))), ValueError, r"expected a kernel of shape \(kh, kw\) or \(kh, kw, C_in, C_out\), no size 0, got an array of", "K"),
    C("conv2d_valid", "one bias too many", lambda: conv.conv2d_valid(np.zeros((6, 6)), np.ones((3, 3)), [0.1, 0.2]), ValueError, r"expected biases, one per filter of shape \(1,\), got an array of shape \(2,\)\. Pass b as a", "b"),
    C("max_pool", "window larger than the image", lambda: conv.max_pool(np.zeros((4, 4)), size=5), ValueError, r"expected a whole number in \[1, 4\], got 5 \(an int\)\. Pass a whole number such as", "size"),
    C("max_pool", "a batch of images", lambda: conv.max_pool(np.zeros((2, 4, 4, 1))), ValueError, r"expected an image of shape \(H, W\) or \(H, W, C\) with 2 to 3 dimensions, got an array of", "X"),
    C("shift_image", "negative shift", lambda: conv.shift_image(np.zeros((5, 5)), -1, 0), ValueError, r"expected a whole number in \[0, 5\], got \-1 \(an int\)\. Pass a whole number such as", "dy"),
    C("shift_image", "shift past the edge", lambda: conv.shift_image(np.zeros((5, 5)), 0, 6), ValueError, r"expected a whole number in \[0, 5\], got 6 \(an int\)\. Pass a whole number such as", "dx"),
    C("conv_layer_alternatives", "c_out 0", lambda: conv.conv_layer_alternatives(28, 5, 1, 0), ValueError, r"expected a whole number >= 1, got 0 \(an int\)\. Pass a whole number such as", "c_out"),
    C("first_layer_filters", "the builder, not a model", lambda: conv.first_layer_filters(dnn.build_mlp), TypeError, r"expected a keras\.Model \(with \.layers\), got the function build_mlp\. Pass the trained", "model"),
    C("feature_maps", "a batch of digits", lambda: conv.feature_maps(object(), np.zeros((2, 28, 28)), 1), ValueError, r"expected one digit of shape \(28, 28\) or \(28, 28, 1\), got an array of shape \(2, 28, 28\)\.", "x"),
    C("feature_maps", "layer_index negative", lambda: conv.feature_maps(object(), np.zeros((28, 28)), -1), ValueError, r"expected a whole number >= 0, got \-1 \(an int\)\. Pass a whole number such as", "layer_index"),
    C("build_mlp", "one size only", lambda: dnn.build_mlp((4,)), ValueError, r"expected at least 2 sizes \(the input and the output\), got a tuple of 1 item\. Pass e\.g\.", "layer_sizes"),
    C("build_mlp", "api in capitals", lambda: dnn.build_mlp(api="Functional"), ValueError, r"expected one of 'sequential', 'functional', got 'Functional' \(a str\)\. Pass", "api"),
    C("build_mlp", "activation a function", lambda: dnn.build_mlp(activation=np.tanh), TypeError, r"expected a str, got the function tanh\. Pass", "activation"),
    C("build_mlp", "seed -1", lambda: dnn.build_mlp(seed=-1), ValueError, r"expected a whole number in \[0, 4294967295\], got \-1 \(an int\)\. Pass a whole number such as", "seed"),
    C("forward_numpy", "weights of one layer missing its bias", lambda: dnn.forward_numpy([np.ones((2, 1))], np.zeros((3, 2))), ValueError, r"expected pairs of weight matrix and biases, got 1 array \(an odd number\)\. Pass the list", "weights"),
    C("forward_numpy", "X with the wrong inputs", lambda: dnn.forward_numpy([np.ones((2, 1)), np.zeros(1)], np.zeros((3, 3))), ValueError, r"expected an array of numbers of shape \(n, 2\), got an array of shape \(3, 3\)\. Pass one row", "X"),
    C("forward_numpy", "weights that do not chain", lambda: dnn.forward_numpy([np.ones((2, 3)), np.zeros(3), np.ones((2, 1)), np.zeros(1)], np.zeros((3, 2))), ValueError, r"expected shapes \(3, m\) and \(m,\) that chain from the layer before, got \(2, 1\) and \(1,\)\.", "weights[2]"),
    C("forward_numpy", "activation elu", lambda: dnn.forward_numpy([np.ones((2, 1)), np.zeros(1)], np.zeros((3, 2)), "elu"), ValueError, r"expected one of 'relu', 'tanh', 'softplus', 'sigmoid', got 'elu' \(a str\)\. Pass", "activation"),
    C("count_dense_params", "a size 0", lambda: dnn.count_dense_params((4, 0, 1)), ValueError, r"expected a whole number in \[1, 1000000000\], got 0 \(an int\)\. Pass a tuple of sizes, e\.g\.", "layer_sizes[1]"),
    C("count_dense_params", "one int", lambda: dnn.count_dense_params(4), TypeError, r"expected a tuple of whole numbers in \[1, 1000000000\] \(units per layer\), got 4 \(an int\)\.", "layer_sizes"),
    C("draw_network", "too few input labels", lambda: dnn.draw_network((2, 3, 1), input_labels=["$x_1$"]), ValueError, r"expected 2 names, got 1 \(\$x_1\$\)\. Pass a list of names, e\.g\. input_labels=\['a',", "input_labels"),
    C("draw_network", "ax a figure", lambda: dnn.draw_network((2, 3, 1), ax="fig"), TypeError, r"expected a Matplotlib Axes or None, got 'fig' \(a str\)\. Pass ax=None, or one from fig, ax", "ax"),
    C("bowl_loss", "three coordinates", lambda: gd.bowl_loss([1.0, 2.0, 3.0]), ValueError, r"expected points of shape \(\.\.\., 2\), got an array of shape \(3,\)\. Pass W as one point \(w1,", "W"),
    C("bowl_gradient", "NaN", lambda: gd.bowl_gradient([np.nan, 1.0]), ValueError, r"expected finite numbers, got nan at index 0\. Remove or fill in the rows with missing or", "W"),
    C("gradient_descent", "the loss, not a function", lambda: gd.gradient_descent(gd.bowl_loss([0.0, 0.0]), [0.0, 0.0], 0.1, 5), TypeError, r"expected a function, got 0\.645192841485013 \(a NumPy float64\)\. Pass a function, e\.g\.", "gradient"),
    C("gradient_descent", "a 3-D start for the bowl", lambda: gd.gradient_descent(gd.bowl_gradient, [0.0, 0.0, 0.0], 0.1, 5), ValueError, r"expected gradient\(w0\) to give a gradient of the shape of w0, \(3,\), got an error from it", "gradient, w0"),
    C("gradient_descent", "learning_rate 0", lambda: gd.gradient_descent(gd.bowl_gradient, [0.0, 0.0], 0, 5), ValueError, r"expected a number > 0, got 0 \(an int\)\. Pass a number such as", "learning_rate"),
    C("gradient_descent", "n_steps 5.5", lambda: gd.gradient_descent(gd.bowl_gradient, [0.0, 0.0], 0.1, 5.5), TypeError, r"expected a whole number in \[0, 1000000\], got 5\.5 \(a float\)\. Pass a whole number such as", "n_steps"),
    C("make_line_data", "noise negative", lambda: gd.make_line_data(noise=-0.5), ValueError, r"expected a number >= 0, got \-0\.5 \(a float\)\. Pass a number such as", "noise"),
    C("make_line_data", "n as text", lambda: gd.make_line_data(n="100"), TypeError, r"expected a whole number in \[1, 10000000\], got '100' \(a str\)\. Pass n=100 \(a number, not", "n"),
    C("line_loss", "X one-dimensional", lambda: gd.line_loss(X1[:, 0], y1, [2.0, -1.0]), ValueError, r"expected an array of numbers of shape \(n, 1\), got an array of shape \(10,\)\. Pass the", "X"),
    C("line_loss", "mismatched lengths", lambda: gd.line_loss(X1, y1[:-1], [2.0, -1.0]), ValueError, r"expected the same number of rows \(one per sample\), got 10 in X and 9 in y\. Pass matching", "X, y"),
    C("line_sgd", "batch_size 0", lambda: gd.line_sgd(X1, y1, [0.0, 0.0], 0.1, 0, 1), ValueError, r"expected a whole number >= 1, got 0 \(an int\)\. Pass a whole number such as", "batch_size"),
    C("line_sgd", "w0 of 3", lambda: gd.line_sgd(X1, y1, [0.0, 0.0, 0.0], 0.1, 2, 1), ValueError, r"expected a starting point \(w, b\) of shape \(2,\), got an array of shape \(3,\)\. Pass the", "w0"),
    C("iterations_per_epoch", "batch_size 0", lambda: gd.iterations_per_epoch(1000, 0), ValueError, r"expected a whole number >= 1, got 0 \(an int\)\. Pass a whole number such as", "batch_size"),
    C("plot_paths", "one path, not a list", lambda: gd.plot_paths(gd.bowl_loss, np.zeros((3, 2)), ["a"], (-4, 5, -3, 4)), TypeError, r"expected a non\-empty list of paths of shape \(n, 2\), got an array of shape \(3, 2\) and", "paths"),
    C("plot_paths", "a label missing", lambda: gd.plot_paths(gd.bowl_loss, [np.zeros((3, 2))] * 2, ["a"], (-4, 5, -3, 4)), ValueError, r"expected 2 names, got 1 \(a\)\. Pass a list of names, e\.g\. labels=\['lr", "labels"),
    C("plot_paths", "extent upside down", lambda: gd.plot_paths(gd.bowl_loss, [np.zeros((3, 2))], ["a"], (5, -4, -3, 4)), ValueError, r"expected xmin < xmax and ymin < ymax, got \(5, \-4, \-3, 4\)\. Pass the window as", "extent"),
    C("plot_paths", "a loss for one point only", lambda: gd.plot_paths(lambda W: 0.0, [np.zeros((3, 2))], ["a"], (-4, 5, -3, 4)), TypeError, r"expected a function mapping a grid of shape \(k, k, 2\) to losses of shape \(k, k\), got a", "loss"),
    C("mse", "shapes (n,) and (n, 1)", lambda: tw.mse(np.zeros(3), np.zeros((3, 1))), ValueError, r"expected the same shape, one prediction per target, got \(3,\) and \(3, 1\)\. Pass both as", "y, y_hat"),
    C("forward_221", "b2 missing", lambda: tw.forward_221({k: v for k, v in P.items() if k != "b2"}, np.ones(2)), ValueError, r"expected the keys W1, b1, w2, b2, got a dict without b2\. Pass params as a dict with W1 of", "params"),
    C("backprop_221", "W1 transposed shape", lambda: tw.backprop_221({**P, "W1": np.zeros((2, 3))}, np.ones(2), 1.0), ValueError, r"expected an array of numbers of shape \(2, 2\), got an array of shape \(2, 3\)\. Pass params", "params['W1']"),
    C("autodiff_gradients_221", "t as text", lambda: tw.autodiff_gradients_221(P, np.ones(2), "1"), TypeError, r"expected a number, got '1' \(a str\)\. Pass t=1\.0 \(a number, not", "t"),
    C("activations_through_depth", "initializer a class", lambda: tw.activations_through_depth(int), TypeError, r"expected a Keras initializer or its name, got the class int itself \(not an object made", "initializer"),
    C("batch_norm", "gamma per sample", lambda: tw.batch_norm(np.zeros((4, 3)), np.ones(4), np.zeros(3)), ValueError, r"expected an array of numbers of shape \(3,\), got an array of shape \(4,\)\. Pass one number", "gamma"),
    C("bn_mlp", "batch_norm 1", lambda: tw.bn_mlp(1), TypeError, r"expected True or False, got 1 \(an int\)\. Pass batch_norm=True or", "batch_norm"),
    C("lr_range_test", "too few rows", lambda: tw.lr_range_test(Trainable(), np.zeros((8, 2)), np.zeros(8)), ValueError, r"expected at least n_steps \* batch_size = 12800 rows, got 8 rows\. Pass more rows, or fewer", "X"),
    C("lr_range_test", "stop below start", lambda: tw.lr_range_test(Trainable(), np.zeros((8, 2)), np.zeros(8), start=0.1, stop=0.01, n_steps=2, batch_size=4), ValueError, r"expected a number > 0\.1, got 0\.01 \(a float\)\. Pass a stop larger than start=0\.1, e\.g\.", "stop"),
    C("smooth", "beta 1", lambda: tw.smooth(np.arange(5.0), beta=1.0), ValueError, r"expected a number in \[0, 1\), got 1\.0 \(a float\)\. Pass a number such as", "beta"),
    C("smooth_centred", "half_width -1", lambda: tw.smooth_centred(np.arange(5.0), -1), ValueError, r"expected a whole number >= 0, got \-1 \(an int\)\. Pass a whole number such as", "half_width"),
    C("optimizer_path", "the optimizer's name", lambda: tw.optimizer_path("adam", gd.bowl_gradient, [0.0, 0.0], 3), TypeError, r"expected a keras\.optimizers\.Optimizer object, got 'adam' \(a str\)\. Pass e\.g\.", "optimizer"),
    C("split_cpu", "n_devices 0", lambda: scaling.split_cpu(0), ValueError, r"expected a whole number in \[1, 64\], got 0 \(an int\)\. Pass a whole number such as", "n_devices"),
    C("train_solution", "n_train past the training digits", lambda: scaling.train_solution(n_train=60_000), ValueError, r"expected a whole number in \[1, 55000\], got 60000 \(an int\)\. Pass n_train from 1 to 55000,", "n_train"),
    C("train_solution", "one callback class", lambda: scaling.train_solution(callbacks=[int]), TypeError, r"expected a keras\.callbacks\.Callback, got the class int itself \(not an object made from", "callbacks[0]"),
    C("median_step_ms", "the callback class", lambda: scaling.median_step_ms(scaling.step_timer), TypeError, r"expected the callback step_timer\(\) returns, got the function step_timer\. Pass timer =", "timer"),
    C("mnist_pipelines", "already scaled digits", lambda: scaling.mnist_pipelines(np.zeros((4, 28, 28)), np.arange(4)), TypeError, r"expected uint8 digits 0\.\.255 of shape \(n, 28, 28\), got an array of float64\. Pass the raw", "x"),
    C("mnist_pipelines", "labels 1..10", lambda: scaling.mnist_pipelines(np.zeros((4, 28, 28), np.uint8), np.array([1, 2, 3, 10])), ValueError, r"expected whole\-number labels 0 to 9, got a label 10 at index 3\. Pass labels 0\.\.9, or a", "y"),
    C("epoch_seconds", "n_epochs 0", lambda: scaling.epoch_seconds([1, 2], 0), ValueError, r"expected a whole number in \[1, 1000\], got 0 \(an int\)\. Pass a whole number such as", "n_epochs"),
    C("epoch_seconds", "a str", lambda: scaling.epoch_seconds("train"), TypeError, r"expected a tf\.data\.Dataset \(something to iterate over\), got 'train' \(a str\)\. Pass one of", "dataset"),
    C("per_replica_batch", "uneven split", lambda: scaling.per_replica_batch(128, 3), ValueError, r"expected a global batch that splits evenly, got 128, which does not split evenly over 3", "global_batch_size, n_replicas"),
    C("per_replica_batch", "n_replicas 0", lambda: scaling.per_replica_batch(128, 0), ValueError, r"expected a whole number >= 1, got 0 \(an int\)\. Pass a whole number such as", "n_replicas"),
    C("scaled_learning_rate", "rule spelled out", lambda: scaling.scaled_learning_rate(1e-3, 128, 1024, "square root"), ValueError, r"expected one of 'linear', 'sqrt', got 'square root' \(a str\)\. Pass", "rule"),
    C("scaled_learning_rate", "base_batch 0", lambda: scaling.scaled_learning_rate(1e-3, 0, 1024), ValueError, r"expected a whole number >= 1, got 0 \(an int\)\. Pass a whole number such as", "base_batch"),
    C("wave", "text", lambda: fitting.wave("x"), TypeError, r"expected a number or an array of numbers, got 'x' \(a str\)\. Pass x as a number or an", "x"),
    C("make_wave_data", "n 0", lambda: fitting.make_wave_data(0), ValueError, r"expected a whole number in \[1, 10000000\], got 0 \(an int\)\. Pass a whole number such as", "n"),
    C("floor_mse", "X one-dimensional", lambda: fitting.floor_mse(np.zeros(5), np.zeros(5)), ValueError, r"expected an array of numbers of shape \(n, 1\), got an array of shape \(5,\)\. Pass the arrays", "X"),
    C("parallel_networks", "l2 per network, one short", lambda: fitting.parallel_networks(3, l2=[0.1, 0.2]), ValueError, r"expected one number or 3 \(one per network\), got an array of shape \(2,\) and dtype float64\.", "l2"),
    C("parallel_networks", "l2 negative", lambda: fitting.parallel_networks(2, l2=-0.1), ValueError, r"expected numbers >= 0, got \-0\.1\. Pass one number >= 0, e\.g\. l2=1e\-3, or one per network", "l2"),
    C("parallel_networks", "curves 1", lambda: fitting.parallel_networks(2, curves=1), TypeError, r"expected True or False, got 1 \(an int\)\. Pass curves=True or", "curves"),
    C("fit_parallel", "a model of another kind", lambda: fitting.fit_parallel(dnn.build_mlp, np.zeros((5, 1)), np.zeros(5), epochs=1, seed=0), TypeError, r"expected a model parallel_networks\(\) built, got the function build_mlp\. Pass model =", "model"),
    C("fit_parallel", "validation_data of three", lambda: fitting.fit_parallel(Trainable(), np.zeros((5, 1)), np.zeros(5), epochs=1, seed=0, validation_data=(1, 2, 3)), TypeError, r"expected a pair \(X_val, y_val\), got a tuple of 3 items\. Pass validation_data=\(X_val,", "validation_data"),
    C("predict_parallel", "X one-dimensional", lambda: fitting.predict_parallel(Trainable(), np.zeros(5)), ValueError, r"expected an array of numbers of shape \(n, 1\), got an array of shape \(5,\)\. Pass the points", "X"),
    C("bias_variance", "x of the wrong length", lambda: fitting.bias_variance(np.zeros((3, 5)), np.zeros(4)), ValueError, r"expected an array of numbers of shape \(5,\), got an array of shape \(4,\)\. Pass the m points", "x"),
    C("plot_fit", "X_val without y_val", lambda: fitting.plot_fit(lambda G: G, np.zeros((5, 1)), np.zeros(5), X_val=np.zeros((5, 1))), ValueError, r"expected both or neither, got only X_val\. Pass both validation arrays, or", "X_val, y_val"),
    C("plot_fit", "a model giving too few predictions", lambda: fitting.plot_fit(lambda G: G[:5], np.zeros((5, 1)), np.zeros(5)), TypeError, r"expected a function mapping inputs \(k, 1\) to predictions \(k, 1\) or \(k,\), got an array of", "model"),
    C("plot_floors", "ax None", lambda: fitting.plot_floors(None, 0.1, 0.2), TypeError, r"expected a Matplotlib Axes, got None\. Pass one from fig, ax =", "ax"),
    C("plot_spread", "predictions at other points", lambda: fitting.plot_spread(np.zeros(5), np.zeros((3, 4)), None), ValueError, r"expected an array of numbers of shape \(n, 5\), got an array of shape \(3, 4\)\. Pass K fits'", "predictions"),
    C("error_summary", "the message, not the exception", lambda: wf.error_summary("ValueError: bad"), TypeError, r"expected an exception, got 'ValueError: bad' \(a str\)\. Pass the exception caught: except", "err"),
    C("error_summary", "max_chars 0", lambda: wf.error_summary(ValueError("x"), 0), ValueError, r"expected a whole number >= 10, got 0 \(an int\)\. Pass a whole number such as", "max_chars"),
    C("run_mistakes", "labels 1..3", lambda: wf.run_mistakes(np.ones((3, 4)), np.array([1, 2, 3]), "."), ValueError, r"expected whole\-number labels 0 to 2, got a label 3 at index 2\. Pass labels 0\.\.2, or a", "y"),
    C("run_mistakes", "no such folder", lambda: wf.run_mistakes(np.ones((3, 4)), np.array([0, 1, 2]), "no/such/folder"), ValueError, r"expected an existing folder, got 'no/such/folder' \(a str\)\. Pass a folder to work in, e\.g\.", "workdir"),
    C("mistakes_table", "one row, not a list", lambda: wf.mistakes_table({"mistake": "m"}), TypeError, r"expected the list run_mistakes\(\) returns, got a dict with keys mistake\. Pass rows =", "rows"),
]  # fmt: skip


def test_distinct_cases_cover_every_function():
    assert len({case_id(c) for c in CASES}) == len(CASES) >= 100
    fuzzed = {key.rpartition(".")[2] for key in SPECS}
    assert {c.function for c in CASES} == fuzzed


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_bad_argument_gives_one_clear_error_before_any_work(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # a stray write would land here
    monkeypatch.setitem(sys.modules, "keras", None)  # a slip past the door cannot build a model
    with untouched(tmp_path, "the check must come before any TensorFlow or Keras import"):
        figures = plt.get_fignums()
        with pytest.raises(case.error, match=case.match) as err:
            case.call()
        assert type(err.value) is case.error, (
            f"expected a plain {case.error.__name__}: {err.value!r}"
        )
        assert_one_clear_error(case, err)
        assert plt.get_fignums() == figures, "no figure is drawn for a bad argument"
        assert capsys.readouterr().out == ""


# --- names only Keras can judge: checked after the plain arguments, with Keras ----------


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: dnn.build_mlp(activation="relux"), "activation"),
        (lambda: dnn.build_mlp(kernel_initializer="he_nrmal"), "kernel_initializer"),
        (lambda: act.keras_activation("nonesuch", [0.0]), "name"),
        (lambda: act.plot_activations(np.zeros(3), names=["relu", "RELU"]), "names[1]"),
        (
            lambda: act.layer_gradient_norms("relu", kernel_initializer="glorot"),
            "kernel_initializer",
        ),
        (lambda: tw.activations_through_depth("he_nrmal"), "initializer"),
    ],
)
def test_a_name_keras_does_not_know_is_named(call, name):
    figures = plt.get_fignums()
    with pytest.raises(ValueError, match=r"expected a name keras\.\w+\.get knows, got '") as err:
        call()
    assert f"argument {name}:" in str(err.value) and err.value.__suppress_context__
    assert plt.get_fignums() == figures


# --- valid arguments: what the pages compute is unchanged ----------------------------


def test_valid_arguments_compute_what_they_did():
    assert act.sigmoid_grad(0.0) == 0.25 and act.relu(-2) == 0.0  # plain numbers still work
    assert np.allclose(sm.softmax([0, 1, 2]), np.exp([0, 1, 2]) / np.exp([0, 1, 2]).sum())
    with np.errstate(over="ignore", invalid="ignore"):  # the page's overflow, still shown
        assert np.isnan(sm.softmax_naive(np.array([1000.0, 0.0]))).any()
    out = conv.conv2d_valid(np.ones((4, 4)), np.ones((3, 3)), [0.5])
    assert out.shape == (2, 2, 1) and np.all(out == 9.5)
    assert conv.shift_image(np.ones((3, 3), np.uint8), 3, 0).sum() == 0  # all shifted away
    assert conv.conv_output_size(np.int64(28), 5) == 24
    path = gd.gradient_descent(gd.bowl_gradient, [-3.0, 3.0], 0.25, 200)  # diverges: allowed
    assert path.shape == (201, 2) and gd.bowl_loss(path[-1]) > 1e10
    assert dnn.count_dense_params([2, 4, 3, 1]) == 31
    assert tw.smooth(np.array([1.0, np.nan, 1.0]), 0.5).shape == (3,)  # a diverged loss: NaN
    assert tw.smooth_centred([1.0, 2.0, 3.0], 0).tolist() == [1.0, 2.0, 3.0]
    assert scaling.per_replica_batch(np.int64(128), 2) == 64
    assert scaling.scaled_learning_rate(1e-3, 128, 512, "sqrt") == pytest.approx(2e-3)
    assert wf.mistakes_table([]).count("\n") == 1  # the header alone
    X, y = fitting.make_wave_data(20, seed=1)
    assert fitting.floor_mse(X, y) == pytest.approx(np.mean((np.sin(3 * X[:, 0]) - y) ** 2))


def test_a_learners_function_that_fails_is_named_once():
    def gradient(w):
        raise ZeroDivisionError("division by zero")

    with pytest.raises(
        ValueError,
        match=r"arguments gradient, w0: .*got an error from it "
        r"\(ZeroDivisionError: division by zero\)",
    ) as err:
        gd.gradient_descent(gradient, [0.0, 0.0], 0.1, 3)
    assert err.value.__suppress_context__


def table():
    def after():
        plt.close("all")

    return error_table(CASES, after=after)


if __name__ == "__main__":
    print(table())
