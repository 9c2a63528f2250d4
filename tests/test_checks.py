from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from course_utils import checks
from course_utils.checks import NotAnswered, WrongAnswer


@pytest.mark.parametrize("placeholder", [..., None, NotImplemented])
@pytest.mark.parametrize(
    ("call"),
    [
        lambda a: checks.check_number(a, 1.0, name="x"),
        lambda a: checks.check_array(a, [1, 2], name="x"),
        lambda a: checks.check_shape(a, (2,), name="x"),
        lambda a: checks.check_choice(a, "a", options=["a", "b"], name="x"),
        lambda a: checks.check_model(a, n_params=3, name="x"),
        lambda a: checks.check_score(a, [[0]], [0], minimum=0.5, name="x"),
    ],
)
def test_every_check_says_not_answered_for_placeholders(call, placeholder):
    shown = re.escape("..." if placeholder is Ellipsis else repr(placeholder))
    message = rf"^Not answered yet: replace the {shown} placeholder of x with your answer\.$"
    with pytest.raises(NotAnswered, match=message):
        call(placeholder)


def test_check_number():
    checks.check_number(np.float32(0.1) + np.float32(0.2), 0.3, rtol=1e-5)
    checks.check_number(np.array([4]), 4)
    checks.check_number(100.5, 100, atol=0.5)
    with pytest.raises(
        WrongAnswer, match=r"^Expected n to be 4, but received 5\. Hint: add one\.$"
    ):
        checks.check_number(5, 4, name="n", hint="add one.")
    with pytest.raises(WrongAnswer, match=r"^Expected n to be 0\.3, but received 0\.300001\.$"):
        checks.check_number(0.300001, 0.3, name="n")  # outside the default rtol of 1e-6
    with pytest.raises(WrongAnswer, match=r"^Expected n to be 100, but received 100\.6\.$"):
        checks.check_number(100.6, 100, atol=0.5, name="n")
    with pytest.raises(
        WrongAnswer, match=r"^Expected n to be a number close to 4, but received str '4'\.$"
    ):
        checks.check_number("4", 4, name="n")
    with pytest.raises(
        WrongAnswer, match=r"^Expected n to be a number close to 1, but received bool True\.$"
    ):
        checks.check_number(True, 1, name="n")
    with pytest.raises(WrongAnswer, match=r"received ndarray array\(\[1, 2\]\)\.$"):
        checks.check_number(np.array([1, 2]), 1, name="n")


def test_check_array_and_shape():
    checks.check_array(np.arange(3), [0, 1, 2])
    checks.check_array(["a", "b"], np.array(["a", "b"]))
    checks.check_array([0.1 + 0.2, 1.0], [0.3, 1.0])
    with pytest.raises(
        WrongAnswer, match=r"^Expected v to be of shape \(3,\), but received shape \(2,\)\.$"
    ):
        checks.check_array([0, 1], [0, 1, 2], name="v")
    with pytest.raises(
        WrongAnswer,
        match=r"^Expected v to be \[0 1 2\], but received \[5 6 2\] "
        r"\(2 of 3 values differ, the first at index \(0,\)\)\.$",
    ):
        checks.check_array([5, 6, 2], [0, 1, 2], name="v")
    with pytest.raises(WrongAnswer, match=r"1 of 2 values differ, the first at index \(1,\)"):
        checks.check_array(["a", "c"], ["a", "b"], name="v")
    with pytest.raises(
        WrongAnswer, match=r"^Expected v to be an array of shape \(2,\), but received list \["
    ):
        checks.check_array([{"a": 1}, 2], [0, 1], name="v")
    checks.check_shape([[1, 2, 3]], (1, 3))
    checks.check_shape(np.zeros((2, 3)), [2, 3])
    with pytest.raises(
        WrongAnswer, match=r"^Expected v to be an array of shape \(2,\), but received int 3\.$"
    ):
        checks.check_shape(3, (2,), name="v")
    with pytest.raises(
        WrongAnswer, match=r"^Expected v to be of shape \(3, 2\), but received shape \(2, 3\)\.$"
    ):
        checks.check_shape(np.zeros((2, 3)), (3, 2), name="v")


def test_check_choice():
    checks.check_choice(" Yes", "yes", options=["yes", "no"])
    checks.check_choice(2, 2, options=[1, 2, 3])
    with pytest.raises(WrongAnswer, match=r"^Expected c to be 'yes', but received 'no'\.$"):
        checks.check_choice("no", "yes", options=["yes", "no"], name="c")
    with pytest.raises(WrongAnswer, match=r"^Expected c to be 2, but received 3\.$"):
        checks.check_choice(3, 2, options=[1, 2, 3], name="c")
    with pytest.raises(
        WrongAnswer, match=r"^Expected c to be one of \['yes', 'no'\], but received 'maybe'\.$"
    ):
        checks.check_choice("maybe", "yes", options=["yes", "no"], name="c")


@pytest.fixture(scope="module")
def keras_model():
    import course_utils

    course_utils.setup(seed=0)
    import keras

    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    return model


def test_check_model(keras_model):
    import keras

    checks.check_model(
        keras_model,
        n_params=4 * 8 + 8 + 8 * 3 + 3,
        layer_types=["Dense", "Dense"],
        output_shape=(None, 3),
    )
    with pytest.raises(
        WrongAnswer, match=r"^Expected the parameter count of m to be 100, but received 67\.$"
    ):
        checks.check_model(keras_model, n_params=100, name="m")
    with pytest.raises(
        WrongAnswer,
        match=r"^Expected the layers of m to be \['Dense'\], but received \['Dense', 'Dense'\]\.$",
    ):
        checks.check_model(keras_model, layer_types=["Dense"], name="m")
    with pytest.raises(
        WrongAnswer,
        match=r"^Expected the output shape of m to be \(None, 2\), but received \(None, 3\)\.$",
    ):
        checks.check_model(keras_model, output_shape=(None, 2), name="m")
    with pytest.raises(
        WrongAnswer,
        match=r"^Expected m to be a Keras model, but received LogisticRegression LogisticRegression",
    ):
        checks.check_model(LogisticRegression(), n_params=1, name="m")
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(NotAnswered, match=r"^Not answered yet: m has no weights yet\. "):
        checks.check_model(unbuilt, n_params=1, name="m")


def _trained_with_weights(model, weights, x, y):
    """Mark ``model`` as trained (one step at learning rate 0), then give it ``weights``."""
    import keras

    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    model.fit(x, keras.ops.convert_to_numpy(model(x)), epochs=1, batch_size=len(x), verbose=0)
    model.set_weights(weights)
    return model


def test_check_score_keras_not_trained(keras_model):
    import keras

    x = np.zeros((6, 4), dtype="float32")
    y = np.zeros(6, dtype=int)
    fresh = keras.models.clone_model(keras_model)
    message = (
        r"^Not answered yet: m has not been trained; compile it and call \.fit\(\.\.\.\) first\.$"
    )
    with pytest.raises(NotAnswered, match=message):
        checks.check_score(fresh, x, y, minimum=0.5, name="m")
    fresh.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    with pytest.raises(NotAnswered, match=message):
        checks.check_score(fresh, x, y, minimum=0.5, name="m")


def test_check_score_keras_softmax_accuracy():
    """A softmax layer with hand-set weights predicts the largest of (x0, x1, 0): the
    accuracy is known without asking Keras or the check."""
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
    x = np.array([[2, 1], [1, 3], [-1, -2], [5, 0], [0, 4], [-3, -1], [1, 0], [2, 2.5]], "float32")
    # predicted classes:   0,      1,      2,       0,      1,       2,       0,      1
    y = np.array([0, 1, 2, 1, 1, 0, 0, 2])  # 5 of 8 right
    _trained_with_weights(model, [np.array([[1, 0, 0], [0, 1, 0]], "float32"), np.zeros(3)], x, y)
    assert checks.check_score(model, x, y, minimum=0.6, name="m") == 5 / 8
    one_hot = np.eye(3)[y]
    assert checks.check_score(model, x, one_hot, minimum=0.6, name="m") == 5 / 8
    with pytest.raises(
        WrongAnswer,
        match=r"^Expected the accuracy of m to be at least 0\.700, but received 0\.625\.$",
    ):
        checks.check_score(model, x, y, minimum=0.7, name="m")


def test_check_score_keras_sigmoid_output():
    """One sigmoid output counts as class 1 from probability 0.5 on (x = 0 gives 0.5)."""
    import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    x = np.array([[-2.0], [-1.0], [0.0], [1.0], [2.0]], "float32")
    y = np.array([0, 1, 1, 1, 0])  # predicted 0, 0, 1, 1, 1: 3 of 5 right
    _trained_with_weights(model, [np.ones((1, 1), "float32"), np.zeros(1, "float32")], x, y)
    assert checks.check_score(model, x, y, minimum=0.5) == 3 / 5
    assert checks.check_score(model, x, y.reshape(-1, 1), minimum=0.5) == 3 / 5
    with pytest.raises(
        WrongAnswer,
        match=r"^Expected the accuracy of m to be at least 0\.700, but received 0\.600\.$",
    ):
        checks.check_score(model, x, y, minimum=0.7, name="m")


def test_check_score_sklearn():
    x, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    with pytest.raises(
        NotAnswered,
        match=r"^Not answered yet: clf has not been fitted; call \.fit\(\.\.\.\) first\.$",
    ):
        checks.check_score(LogisticRegression(), x, y, minimum=0.5, name="clf")
    fitted = LogisticRegression().fit(x, y)
    assert checks.check_score(fitted, x, y, minimum=0.5) == 1.0
    assert checks.check_score(fitted, x, [0, 1, 1, 1], minimum=0.5) == 0.75
    with pytest.raises(
        WrongAnswer,
        match=r"^Expected the accuracy of clf to be at least 1\.000, but received 0\.500\.$",
    ):
        checks.check_score(fitted, x, [1, 1, 1, 1], minimum=1.0, name="clf")
    with pytest.raises(
        WrongAnswer, match=r"^Expected clf to be a Keras model, but received str 'model'\.$"
    ):
        checks.check_score("model", x, y, minimum=0.5, name="clf")


def test_is_placeholder():
    assert [checks.is_placeholder(v) for v in (..., None, NotImplemented)] == [True] * 3
    assert [checks.is_placeholder(v) for v in (0, "", [], False, np.nan)] == [False] * 5
