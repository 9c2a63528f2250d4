"""Answers as data-only files (course_utils.exercises.answers): every kind a lesson's
exercise hands in survives the trip, and nothing in a folder a student's kernel wrote can
run code in the grader's process."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest

from course_utils import checks, exercises
from course_utils.exercises import answers
from course_utils.exercises.answers import ProbedFunction, Unreadable, load, roundtrip


def test_plain_values_arrays_and_containers_survive():
    values = {
        "n": 13,
        "x": 0.25,
        "nan": float("nan"),
        "flag": True,
        "none": None,
        "text": "logistic regression",
        "placeholder": ...,
        "array": np.arange(6, dtype="float32").reshape(2, 3),
        "labels": np.array(["a", "b"]),
        "scalar": np.float64(1.5),
        "shape": (None, 14, 14, 8),
        "nested": {"a": [1, 2.5, (3, "x")], 7: np.int64(4)},
    }
    back = roundtrip(values)
    assert back["n"] == 13 and back["x"] == 0.25 and np.isnan(back["nan"])
    assert back["flag"] is True and back["none"] is None and back["placeholder"] is Ellipsis
    assert back["text"] == "logistic regression"
    np.testing.assert_array_equal(back["array"], values["array"])
    assert back["array"].dtype == np.float32
    np.testing.assert_array_equal(back["labels"], values["labels"])
    assert back["scalar"] == 1.5 and isinstance(back["scalar"], np.generic)
    assert back["shape"] == (None, 14, 14, 8)
    assert back["nested"] == {"a": [1, 2.5, (3, "x")], 7: 4}


def test_tables_survive():
    frame = pd.DataFrame({"a": [1.0, np.nan], "b": ["x", "y"]}, index=[3, 5])
    back = roundtrip({"frame": frame, "series": frame["a"]})
    pd.testing.assert_frame_equal(back["frame"], frame)
    pd.testing.assert_series_equal(back["series"], frame["a"])


def test_a_fitted_pipeline_survives_and_is_still_the_same_model():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler

    from course_utils.exercises._common import fitted_rows, same_estimator

    pipeline = make_pipeline(MinMaxScaler(), LogisticRegression()).fit(
        [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    )
    back = roundtrip({"p": pipeline})["p"]
    assert same_estimator(back, pipeline) and fitted_rows(back) == 4
    assert back.predict([[2.5]]).tolist() == [1]


def test_a_function_is_known_by_its_probes_only():
    back = roundtrip(
        {"f": lambda x: 2 * x, "g": lambda x: 1 / x}, {"f": [(1,), (21,)], "g": [(0,)]}
    )
    assert back["f"](21) == 42 and isinstance(back["f"], ProbedFunction)
    with pytest.raises(LookupError, match="was not probed with"):
        back["f"](3)
    with pytest.raises(answers.ProbedError, match="ZeroDivisionError"):
        back["g"](0)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (lambda x: x, "a function the exercise does not probe"),
        (object(), "an object of type builtins.object"),
        (np.array([{}], dtype=object), "an array of object values"),
        ({(1, 2): 3}, "a dict with keys that are not plain"),
    ],
)
def test_what_cannot_be_written_as_data_arrives_as_unreadable(value, reason):
    back = roundtrip({"answer": value})["answer"]
    assert isinstance(back, Unreadable) and reason in back.reason


def test_an_unreadable_answer_is_a_wrong_answer_that_says_why():
    @exercises.exercise("ex-demo-answers", answers=["total"])
    def _(total):
        checks.check_number(total, 42, name="total")

    with pytest.raises(checks.WrongAnswer) as error:
        exercises.get("ex-demo-answers").run(roundtrip({"total": object()}))
    assert error.value.diagnosis == "unreadable-answer"
    assert "could not read your answer total" in str(error.value)


# --- a folder written by a hostile kernel ------------------------------------------------------


def _manifest(folder, entries) -> None:
    (folder / answers.MANIFEST).write_text(json.dumps({"format": 1, "answers": entries}))


def test_a_pickled_array_is_not_loaded(tmp_path):
    class Boom:
        def __reduce__(self):
            return (print, ("ran code",))

    np.save(tmp_path / "value-001.npy", np.array([Boom()], dtype=object), allow_pickle=True)
    _manifest(tmp_path, {"x": {"kind": "array", "file": "value-001.npy"}})
    back = load(tmp_path)["x"]
    assert isinstance(back, Unreadable) and "allow_pickle" in back.reason


@pytest.mark.parametrize("name", ["../secret.npy", "/etc/passwd", ".hidden.npy", "sub/x.npy"])
def test_a_path_outside_the_folder_is_refused(tmp_path, name):
    folder = tmp_path / "answers"
    folder.mkdir()
    np.save(tmp_path / "secret.npy", np.arange(3))
    _manifest(folder, {"x": {"kind": "array", "file": name}})
    back = load(folder)["x"]
    assert isinstance(back, Unreadable)
    assert "file name" in back.reason or "no such" in back.reason


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    np.save(tmp_path / "secret.npy", np.arange(3))
    (folder / "value-001.npy").symlink_to(tmp_path / "secret.npy")
    _manifest(folder, {"x": {"kind": "array", "file": "value-001.npy"}})
    assert isinstance(load(folder)["x"], Unreadable)


def test_an_estimator_with_untrusted_types_is_refused(tmp_path):
    import skops.io
    from sklearn.preprocessing import FunctionTransformer

    skops.io.dump(FunctionTransformer(func=eval), tmp_path / "value-001.skops")
    _manifest(tmp_path, {"p": {"kind": "estimator", "file": "value-001.skops"}})
    back = load(tmp_path)["p"]
    assert isinstance(back, Unreadable) and "builtins.eval" in back.reason


def test_a_manifest_with_unknown_kinds_or_values_is_unreadable(tmp_path):
    _manifest(
        tmp_path,
        {
            "a": {"kind": "pickle", "file": "x.pkl"},
            "b": {"kind": "json", "value": {"not": "plain"}},
            "c": "not an object",
        },
    )
    (tmp_path / "x.pkl").write_bytes(pickle.dumps(1))
    back = load(tmp_path)
    assert all(isinstance(v, Unreadable) for v in back.values())


def test_a_folder_without_a_manifest_is_an_error(tmp_path):
    with pytest.raises(ValueError, match=r"no readable answers\.json"):
        load(tmp_path)
    (tmp_path / answers.MANIFEST).write_text('{"format": 99}')
    with pytest.raises(ValueError, match="not an answers manifest"):
        load(tmp_path)


# --- Keras ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_trained_keras_model_keeps_its_weights_steps_and_logs():
    import keras

    from course_utils.exercises._common import history_of, same_keras_model, training_steps

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu")])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(
        np.ones((8, 3)),
        np.ones((8, 2)),
        epochs=3,
        batch_size=4,
        verbose=0,
        validation_data=(np.ones((2, 3)), np.ones((2, 2))),
    )
    back = roundtrip({"model": model, "history": history})
    assert same_keras_model(back["model"], model)
    assert training_steps(back["model"]) == 6
    assert history_of(back["model"])["val_loss"] == history.history["val_loss"]
    assert back["history"].params["epochs"] == 3
    assert same_keras_model(back["history"].model, model)


@pytest.mark.slow
def test_how_a_model_was_trained_reads_the_same_from_its_files():
    """What the checks read about a model's training (no weight update yet, the steps and
    rows per epoch of its last fit, the rows it was validated on) is the same on the copy
    the grader loads."""
    import keras

    from course_utils.exercises._common import (
        leaked_rows,
        never_fitted,
        steps_per_epoch,
        validated_on,
    )

    keras.utils.set_random_seed(0)
    rows = np.random.default_rng(0).normal(size=(14, 3)).astype("float32")
    x_train, x_val, x_test = rows[:8], rows[8:12], rows[12:]
    targets = rows.sum(axis=1, keepdims=True)
    y_train, y_val, y_test = targets[:8], targets[8:12], targets[12:]

    def make():
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        return model

    untrained, leaky = make(), make()
    leaky.fit(  # the training and the validation rows, a leak: 12 rows in batches of 4
        np.concatenate([x_train, x_val]),
        np.concatenate([y_train, y_val]),
        validation_data=(x_val, y_val),
        batch_size=4,
        verbose=0,
    )
    back = roundtrip({"untrained": untrained, "leaky": leaky})
    assert never_fitted(untrained) and never_fitted(back["untrained"])
    for model in (leaky, back["leaky"]):
        assert not never_fitted(model)
        assert steps_per_epoch(model) == 3
        assert leaked_rows(model, len(x_train), 4, [len(x_val), len(x_test)]) == len(x_val)
        assert leaked_rows(model, len(x_train), [2, 4], [len(x_val)]) == len(x_val)
        assert validated_on(model, x_val, y_val) is True
        assert validated_on(model, x_test, y_test) is False
    assert validated_on(untrained, x_val, y_val) is None  # no validation logs


@pytest.mark.slow
@pytest.mark.slow
def test_a_keras_model_with_python_code_is_refused():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda x: x * 2)])
    back = roundtrip({"model": model})["model"]
    assert isinstance(back, Unreadable) and "Lambda" in back.reason


# --- the lessons check their checks through the files ----------------------------------------


def test_a_check_that_compares_objects_is_caught(monkeypatch):
    """With COURSE_VERIFY_ANSWERS=1, a check that gives another verdict on the answers as
    the grader reads them fails: here one that recognises the lesson's object by identity."""
    lesson_array = np.arange(3)

    @exercises.exercise(
        "ex-demo-identity",
        answers=["result"],
        mistakes=[
            exercises.Mistake(
                "lesson-array",
                "result is the lesson's array.",
                lambda result, lesson: result is lesson,
            )
        ],
    )
    def _(result, lesson):
        checks.check_array(result, [0, 1, 4], name="result")

    namespace = {"lesson": lesson_array}
    monkeypatch.setenv(exercises.VERIFY_VARIABLE, "1")
    with pytest.raises(AssertionError, match="the grader, reading the answers from files"):
        exercises.assert_rejects(
            "ex-demo-identity", namespace, diagnosis="lesson-array", result=lesson_array
        )
    monkeypatch.setenv(exercises.VERIFY_VARIABLE, "0")
    exercises.assert_rejects(
        "ex-demo-identity", namespace, diagnosis="lesson-array", result=lesson_array
    )


@pytest.mark.slow
def test_a_tensor_is_written_as_its_values():
    import keras

    back = roundtrip(
        {"penalty": keras.ops.convert_to_tensor(0.25), "w": keras.Variable([1.0, 2.0])}
    )
    assert back["penalty"] == 0.25 and not isinstance(back["penalty"], Unreadable)
    np.testing.assert_array_equal(back["w"], [1.0, 2.0])


@pytest.mark.slow
def test_an_untrained_model_stays_untrained_when_read_back():
    import keras

    from course_utils.checks import is_trained

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    assert not is_trained(model)
    back = roundtrip({"model": model})["model"]
    assert not is_trained(back)
    model.set_weights([w + 1 for w in model.get_weights()])  # restored weights count
    assert is_trained(roundtrip({"model": model})["model"])
