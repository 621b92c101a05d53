"""Gradients on the backend in use (dnncourse.autodiff), against derivatives known by hand."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dnncourse.autodiff import float64, value_and_gradients


def test_the_gradient_of_a_sum_of_squares_is_twice_the_point():
    x = np.array([-1.5, 0.0, 2.0])
    value, (grad,) = value_and_gradients(lambda z: keras.ops.sum(z**2), x)
    assert value == pytest.approx(6.25)
    np.testing.assert_allclose(grad, 2 * x, rtol=0, atol=1e-6)
    assert grad.dtype == np.float64 and grad.shape == x.shape


def test_one_gradient_per_argument_each_of_its_shape():
    W, b = np.ones((2, 3)), np.arange(3.0)
    with float64():
        value, (dW, db) = value_and_gradients(lambda W, b: keras.ops.sum(W * b), W, b)
    assert value == pytest.approx(6.0)
    np.testing.assert_allclose(dW, np.tile(b, (2, 1)))  # d(sum W b)/dW = b in every row
    np.testing.assert_allclose(db, W.sum(axis=0))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: value_and_gradients("f", [1.0]), TypeError, "argument f: expected a function"),
        (lambda: value_and_gradients(keras.ops.sum), TypeError, "at least one array"),
        (lambda: value_and_gradients(keras.ops.sum, [1.0], dtype="int8"), ValueError, "dtype"),
    ],
)
def test_bad_arguments_get_one_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()
