"""The NumPy pieces in dnncourse.theory.softmax and .convolution agree with Keras (pages softmax and convolution)."""

from __future__ import annotations

import numpy as np
import pytest

from dnncourse.challenges import mnist as seed_challenge
from dnncourse.theory import convolution, softmax

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def rng():
    return np.random.default_rng(0)


def test_softmax_matches_keras(rng):
    Z = rng.normal(scale=3.0, size=(6, 5))
    expected = keras.ops.convert_to_numpy(keras.activations.softmax(Z.astype("float32")))
    np.testing.assert_allclose(softmax.softmax(Z), expected, atol=1e-6)
    np.testing.assert_allclose(softmax.softmax(Z).sum(axis=-1), 1.0)
    np.testing.assert_allclose(np.exp(softmax.log_softmax(Z)), softmax.softmax(Z), atol=1e-12)


def test_stable_softmax_survives_large_logits():
    z = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = softmax.softmax_naive(z)
    assert np.isnan(naive).all()
    np.testing.assert_allclose(softmax.softmax(z), softmax.softmax(z - 1000.0))
    assert np.isfinite(softmax.log_softmax(np.array([-1000.0, 0.0, 1000.0]))).all()


def test_cross_entropy_matches_keras(rng):
    labels = rng.integers(0, 4, size=8)
    Y = keras.utils.to_categorical(labels, num_classes=4)
    Z = rng.normal(size=(8, 4))
    P = softmax.softmax(Z)
    expected = float(keras.losses.CategoricalCrossentropy()(Y, P.astype("float32")))
    assert softmax.cross_entropy(Y, P) == pytest.approx(expected, rel=1e-5)
    assert softmax.cross_entropy_from_logits(Y, Z) == pytest.approx(expected, rel=1e-5)
    assert softmax.cross_entropy(Y, P) > 0  # the minus sign
    assert softmax.accuracy(Y, P) == np.mean(labels == Z.argmax(axis=1))


def test_keras_computes_cross_entropy_from_the_logits_behind_a_softmax_layer():
    """The softmax page tells learners a softmax output layer is numerically safe (TF backend)."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("only the TensorFlow backend keeps the logits behind a softmax")
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3, activation="softmax")])
    model.set_weights([np.zeros((2, 3), "float32"), np.array([0.0, 200.0, 0.0], "float32")])
    x, y = np.zeros((1, 2), "float32"), keras.utils.to_categorical([0], num_classes=3)
    p = model(x)
    cce = keras.losses.CategoricalCrossentropy()
    assert float(cce(y, p)) == pytest.approx(200.0)  # exact -log p_c, from the logits
    assert float(cce(y, keras.ops.convert_to_numpy(p))) == pytest.approx(-np.log(1e-7), rel=1e-4)
    model.compile(loss="sparse_categorical_crossentropy")
    assert model.evaluate(x, np.array([0]), verbose=0) == pytest.approx(200.0)


def test_conv2d_matches_keras(rng):
    X = rng.normal(size=(9, 11, 2))
    K = rng.normal(size=(3, 4, 2, 3))
    b = rng.normal(size=3)
    layer = keras.layers.Conv2D(3, (3, 4))
    layer.build((None, 9, 11, 2))
    layer.set_weights([K, b])
    expected = keras.ops.convert_to_numpy(layer(X[None].astype("float32")))[0]
    got = convolution.conv2d_valid(X, K, b)
    assert got.shape == (7, 8, 3)
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_max_pool_matches_keras(rng):
    X = rng.normal(size=(9, 8, 3))  # odd height: the last row is dropped
    expected = keras.ops.convert_to_numpy(keras.layers.MaxPooling2D(2)(X[None].astype("float32")))
    got = convolution.max_pool(X, 2)
    assert got.shape == (4, 4, 3)
    np.testing.assert_allclose(got, expected[0], atol=1e-6)


def test_shift_gives_shifted_feature_map(rng):
    X = np.zeros((20, 20))
    X[4:12, 5:10] = rng.random((8, 5))
    K = rng.normal(size=(5, 5))
    F, Fs = (
        convolution.conv2d_valid(X, K),
        convolution.conv2d_valid(convolution.shift_image(X, 2, 3), K),
    )
    np.testing.assert_allclose(Fs[2:, 3:], F[:-2, :-3], atol=1e-12)


def test_seed_cnn_counts_by_hand_equal_keras():
    model = seed_challenge.seed_cnn()
    rows = convolution.seed_cnn_counts_by_hand()
    assert len(rows) == len(model.layers)
    for (_, shape, count, _), layer in zip(rows, model.layers, strict=True):
        assert tuple(layer.output.shape[1:]) == shape
        assert layer.count_params() == count
    assert sum(r[2] for r in rows) == model.count_params() == 28434


@pytest.mark.parametrize(("n", "k", "c_in", "c_out"), [(28, 5, 1, 4), (9, 3, 2, 3)])
def test_conv_layer_alternatives_count_what_keras_builds(n, k, c_in, c_out):
    """The convolution page's dense / locally connected / convolution comparison."""
    counts = convolution.conv_layer_alternatives(n, k, c_in, c_out)
    m = n - k + 1
    conv = keras.layers.Conv2D(c_out, k)
    conv.build((None, n, n, c_in))
    dense = keras.layers.Dense(m * m * c_out)
    dense.build((None, n * n * c_in))
    assert counts["convolution"] == conv.count_params()
    assert counts["dense"] == dense.count_params()
    # a locally connected layer: one kernel and bias per output position
    assert counts["locally connected"] == m * m * conv.count_params()
    assert list(counts) == sorted(counts, key=counts.get, reverse=True)


def test_conv_layer_alternatives_for_the_first_seed_convolution():
    counts = convolution.conv_layer_alternatives(28, 5, 1, 4)
    assert counts == {"dense": 1_808_640, "locally connected": 59_904, "convolution": 104}


@pytest.mark.parametrize(("n", "k", "s", "out"), [(28, 5, 1, 24), (24, 2, 2, 12), (12, 5, 1, 8)])
def test_conv_output_size(n, k, s, out):
    assert convolution.conv_output_size(n, k, s) == out
