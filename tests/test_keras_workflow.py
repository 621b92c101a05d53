"""The Keras workflow page: a reloaded model predicts identically; the mistakes table is true."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import training_fixture

from dnncourse.data import load_iris
from dnncourse.theory import keras_workflow as wf


class _Err(Exception):
    pass


def test_error_summary_skips_keras_wrapper_lines():
    err = _Err(
        "Exception encountered when calling Sequential.call().\n\n"
        "\x1b[1mInput 0 of layer 'dense' is incompatible with the layer\x1b[0m\n\n"
        "Arguments received by Sequential.call():\n  • inputs=..."
    )
    assert wf.error_summary(err) == "Input 0 of layer 'dense' is incompatible with the layer"


def test_error_summary_extracts_tensorflow_label_message():
    err = _Err(
        "Graph execution error:\n\nDetected at node x defined at (most recent call last):\n"
        "INVALID_ARGUMENT: Received a label value of 3 which is outside the valid range "
        "of [0, 3).  Label values: 1 2 3"
    )
    assert wf.error_summary(err) == (
        "Received a label value of 3 which is outside the valid range of [0, 3)."
    )


def test_error_summary_keeps_whole_sentences_when_long():
    err = _Err("First sentence is here. " + "x" * 300 + ". Last.")
    assert wf.error_summary(err, max_chars=60) == "First sentence is here."


def test_mistakes_table_has_a_row_per_mistake_and_escapes_pipes():
    rows = [{"mistake": "m", "code": "a | b", "fix": "f", "error": "ValueError", "message": "x|y"}]
    table = wf.mistakes_table(rows).splitlines()
    assert len(table) == 3
    assert "a \\| b" in table[2] and "x\\|y" in table[2]


def test_the_mistakes_table_cell_is_rendered_as_gfm():
    """myst-nb renders Markdown output as CommonMark unless a cell asks otherwise, and
    CommonMark has no tables: the table would show as one paragraph of pipes."""
    import jupytext
    from conftest import REPO

    nb = jupytext.read(REPO / "book" / "keras_workflow.md")
    [cell] = [c for c in nb.cells if c.cell_type == "code" and "mistakes_table" in c.source]
    assert cell.metadata.get("mystnb", {}).get("markdown_format") in ("gfm", "myst")


@training_fixture(scope="module")
def trained():
    import keras

    keras.utils.set_random_seed(0)
    (X, y), _ = load_iris()
    model = wf.iris_classifier()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(X, y, epochs=3, batch_size=16, verbose=0)
    return model, X, y


def test_reloaded_model_predicts_identically(trained, tmp_path):
    import keras

    model, X, _ = trained
    path = tmp_path / "iris.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_array_equal(model.predict(X, verbose=0), reloaded.predict(X, verbose=0))
    # The optimizer's state travels with the file, so training can continue.
    assert int(reloaded.optimizer.iterations) == int(model.optimizer.iterations) > 0


@pytest.mark.slow
def test_every_mistake_raises_and_writes_nothing(tmp_path):
    (X, y), _ = load_iris()
    rows = wf.run_mistakes(X, y, tmp_path)
    assert [r["mistake"] for r in rows] == [m[0] for m in wf.MISTAKES]
    errors = {r["mistake"]: r["error"] for r in rows}
    assert errors["labels 1, 2, 3 for a 3-unit softmax"] == "InvalidArgumentError"
    assert all(e == "ValueError" for m, e in errors.items() if "labels 1, 2, 3" not in m)
    assert all(r["message"] for r in rows)
    assert list(tmp_path.iterdir()) == []  # the failed save wrote no file
