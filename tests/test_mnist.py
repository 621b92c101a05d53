"""The MNIST exercise: the solution meets its target, the checker tells pass from fail.

Trains the solution once per seed (module-scoped fixtures) and the seed network
once: about 4-5 minutes on two CPU cores.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
from conftest import training_fixture

from dnncourse.challenges import mnist as seed_challenge
from dnncourse.checks import check_mnist, final_check_mnist
from dnncourse.checks.final import forget_final_runs
from dnncourse.data.mnist import load_prepared, prepare
from dnncourse.diagnose import diagnose
from dnncourse.solutions import solve_mnist
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


def test_solution_reaches_target(solution, test_set):
    seed, model, history = solution
    acc = accuracy(model, *test_set)
    assert acc >= TARGET, f"seed {seed}: test accuracy {acc:.4f} < {TARGET}"
    # validation came from the training data: 55,000 images trained on, 5,000 held out
    assert len(history.history["val_accuracy"]) == len(history.history["accuracy"])


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
    assert d.table_row == "underfitting" and "train longer" in d.advice
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
    table = bench.format_table([row, {**row, "who": "course", "reached": 1.0, "reached_epoch": 3}])
    lines = table.splitlines()
    assert lines[2].split()[:3] == ["regression", "workshop", "20"]
    assert lines[3].split()[:2] == ["regression", "course"] and lines[3].endswith("1.0x")
