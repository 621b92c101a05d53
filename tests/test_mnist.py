"""The MNIST exercise: the solution meets its target, the checker tells pass from fail.

Trains the solution once per seed (module-scoped fixtures, 2 epochs each) and the
seed network once: about 1.5 minutes of CPU on two cores.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
from conftest import RECORD, training_fixture

from dnncourse.challenges import mnist as seed_challenge
from dnncourse.checks import check_mnist, final_check_mnist
from dnncourse.checks.final import forget_final_runs
from dnncourse.data.mnist import load_prepared, prepare
from dnncourse.diagnose import diagnose
from dnncourse.solutions import solve_mnist
from dnncourse.solutions.mnist import solution_cnn
from dnncourse.theory.convolution import feature_maps, first_layer_filters

TARGET = 0.99


@training_fixture(scope="module", mnist=True)
def test_set():
    """The prepared MNIST test digits: X (10000, 28, 28, 1) float32, y (10000,)."""
    _, _, (X_test, y_test) = load_prepared()
    return X_test, y_test


@training_fixture(scope="module", params=[0, 1, 2], ids=lambda s: f"seed{s}", mnist=True)
def solution(request):
    """``(seed, model, history)`` of the solution, trained once per seed."""
    model, history = solve_mnist(seed=request.param)
    return request.param, model, history


@training_fixture(scope="module", mnist=True)
def challenge_run():
    """The seed network trained as the seed says (Adagrad 0.01, 5 epochs, batch 100)."""
    return seed_challenge.run_seed_cnn(seed=0)


def accuracy(model, X, y):
    """Fraction of digits whose highest-scoring class is the label."""
    return float(np.mean(model.predict(X, batch_size=1000, verbose=0).argmax(axis=1) == y))


def test_solution_reaches_target(solution, test_set, record_property):
    seed, model, history = solution
    val = history.history["val_accuracy"][-1]  # the 5,000 images held out of the training set
    acc = accuracy(model, *test_set)
    record_property(RECORD, f"mnist solution seed {seed}: validation {val:.4f}, test {acc:.4f}")
    assert val >= TARGET, f"seed {seed}: validation accuracy {val:.4f} < {TARGET}"
    assert acc >= TARGET, f"seed {seed}: test accuracy {acc:.4f} < {TARGET}"
    assert len(history.history["val_accuracy"]) == 2  # the page: two epochs


def test_check_accepts_solution(solution, capsys):
    _, model, history = solution
    verdict = check_mnist(model, history)  # validation: the 5,000 held-out training images
    assert verdict.passed and verdict.split == "validation" and "target met" in verdict
    assert verdict.value == pytest.approx(history.history["val_accuracy"][-1], abs=1e-3)
    assert "target met" in capsys.readouterr().out
    forget_final_runs()
    final = final_check_mnist(model)  # then the test digits, once
    assert final.passed and final.split == "test" and final.value >= TARGET


@pytest.mark.mnist
def test_check_rejects_blank_model():
    keras.utils.set_random_seed(0)
    blank = seed_challenge.compile_seed(seed_challenge.seed_cnn())  # untrained: about 10 % accuracy
    expected = r"expected validation accuracy >= 0\.99, got 0\.\d+"
    with pytest.raises(AssertionError, match=expected):
        check_mnist(blank)


def test_check_rejects_challenge_setting(challenge_run, test_set):
    model, history = challenge_run
    # the walkthrough (the seed network) does not solve the exercise, on either split
    assert history.history["val_accuracy"][-1] < TARGET
    assert accuracy(model, *test_set) < TARGET
    with pytest.raises(AssertionError, match=r"short by .*Hint: under-trained"):
        check_mnist(model, history)
    forget_final_runs()
    assert not final_check_mnist(model).passed


@pytest.mark.mnist
def test_check_rejects_wrong_output_shape():
    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(3)]
    )
    with pytest.raises(AssertionError, match=r"10 class scores"):
        check_mnist(model)


def test_diagnose_labels_challenge_run(challenge_run):
    _, history = challenge_run
    d = diagnose(history)
    # Adagrad at 0.01 is slow: after 5 epochs both losses are still falling: not converged,
    # which the fitting page's table counts as underfitting, treated with more training.
    assert d.label == "under-trained", str(d)
    assert d.table_row == "under-trained" and "train longer" in d.advice
    assert d.evidence["train_trend"] < -0.05 and d.evidence["val_trend"] < -0.025


def test_seed_cnn_shapes_and_parameters():
    model = seed_challenge.seed_cnn()
    shapes = [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert shapes == [
        (28, 28, 1), (24, 24, 4), (12, 12, 4), (8, 8, 16), (4, 4, 16),
        (256,), (100,), (100,), (10,),
    ]  # fmt: skip
    # BatchNorm 4 (2 trainable), conv 4*25+4, conv 16*100+16, dense 256*100+100, 100*10+10
    assert model.count_params() == 4 + 104 + 1616 + 25700 + 1010 == 28434
    assert [type(layer).__name__ for layer in model.layers] == [
        "BatchNormalization", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D",
        "Flatten", "Dense", "Dropout", "Dense",
    ]  # fmt: skip


def test_solution_cnn_shapes_and_cost():
    import bench  # tools/bench.py

    model = solution_cnn()
    shapes = [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert shapes == [
        (12, 12, 16), (12, 12, 16), (10, 10, 32), (5, 5, 32), (5, 5, 32), (5, 5, 32),
        (800,), (128,), (10,),
    ]  # fmt: skip
    # conv 16*25, conv 32*9*16, BatchNorm 4*32 (64 trainable), dense 800*128+128, 128*10+10
    assert model.count_params() == 400 + 4608 + 128 + 102528 + 1290 == 108954
    # multiply-adds per image: 12*12*16*25 + 10*10*32*9*16 + 800*128 + 128*10
    assert bench.forward_macs(model) == 57600 + 460800 + 102400 + 1280


def test_page_rebuilds_the_seed_networks_initial_filters(monkeypatch):
    """The page draws the filters run_seed_cnn(seed=0) starts from by rebuilding seed_cnn()."""
    import dnncourse.data.mnist as mnist_data

    X, y = np.zeros((10, 28, 28, 1), np.float32), np.arange(10)
    monkeypatch.setattr(mnist_data, "load_prepared", lambda: ((X, y), (X, y), (X, y)))
    keras.utils.set_random_seed(0)
    rebuilt = first_layer_filters(seed_challenge.seed_cnn())

    class Stop(Exception):
        pass

    class Grab(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.filters = first_layer_filters(self.model)
            raise Stop  # no training: only the initial weights are wanted

    grab = Grab()
    with pytest.raises(Stop):
        seed_challenge.run_seed_cnn(seed=0, callbacks=[grab])
    np.testing.assert_array_equal(grab.filters, rebuilt)


def test_prepare_scales_and_adds_channel():
    X = np.array([[[0, 255] * 14] * 28], dtype=np.uint8)
    P = prepare(X)
    assert P.shape == (1, 28, 28, 1) and P.dtype == np.float32
    assert P.min() == 0.0 and P.max() == 1.0
    with pytest.raises(ValueError, match="expected digits of shape"):
        prepare(np.zeros((2, 28, 27)))


def test_first_layer_filters_and_feature_maps():
    model = seed_challenge.seed_cnn()
    assert first_layer_filters(model).shape == (4, 5, 5)
    assert feature_maps(model, np.zeros((28, 28)), 1).shape == (24, 24, 4)


def test_workshop_builders_match_the_workshop():
    import workshop  # tools/workshop.py

    reg, iris, cnn_model = workshop.build_regression(), workshop.build_iris(), workshop.build_cnn()
    assert [layer.units for layer in reg.layers if hasattr(layer, "units")] == [50, 50, 50, 1]
    assert [layer.units for layer in iris.layers if hasattr(layer, "units")] == [1000, 500, 70, 3]
    assert sum(type(layer).__name__ == "Dropout" for layer in iris.layers) == 3
    convs = [layer for layer in cnn_model.layers if type(layer).__name__ == "Conv2D"]
    assert [c.filters for c in convs] == [4, 32]
    assert cnn_model.layers[-3].units == 500 and cnn_model.layers[-1].units == 10
    for model in (reg, iris, cnn_model):
        assert type(model.optimizer).__name__ == "Adagrad"


@pytest.mark.slow
def test_bench_times_a_capped_run():
    import bench  # tools/bench.py

    row = bench.run_one("regression", "workshop", quick=True)
    assert row["epochs"] == bench.QUICK_EPOCHS["regression"]
    assert row["wall"] > 0 and row["final"] > 0
    assert row["cpu"] > 0 and 0 < row["fit_wall"] <= row["wall"]
    course = {**row, "who": "course", "reached": 1.0, "reached_epoch": 3}
    mnist = {**course, "task": "mnist", "images_per_s": 5000.0, "gflops": 12.5}
    table = bench.format_table([row, course, mnist], machine=50.0)
    lines = table.splitlines()
    assert lines[2].split()[:4] == ["regression", "workshop", "0", "20"]
    assert lines[3].split()[:2] == ["regression", "course"] and lines[3].endswith("1.0x")
    assert lines[4].split()[-3:] == ["5000", "12.5", "(25%)"]
    assert "machine: 50.0 GFLOP/s" in table
