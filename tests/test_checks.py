from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from course_utils import checks
from course_utils.checks import NotAnswered, WrongAnswer


@pytest.mark.parametrize("placeholder", [..., None, NotImplemented])
@pytest.mark.parametrize(
    "call",
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
    with pytest.raises(NotAnswered, match=r"^Not answered yet: .*x"):
        call(placeholder)


def test_check_number():
    checks.check_number(np.float32(0.1) + np.float32(0.2), 0.3, rtol=1e-5)
    checks.check_number(np.array([4]), 4)
    with pytest.raises(WrongAnswer, match=r"^Expected n to be 4, but received 5\. Hint: add one\.$"):
        checks.check_number(5, 4, name="n", hint="add one.")
    with pytest.raises(WrongAnswer, match=r"a number close to 4, but received str '4'"):
        checks.check_number("4", 4, name="n")
    with pytest.raises(WrongAnswer, match=r"received bool True"):
        checks.check_number(True, 1, name="n")


def test_check_array_and_shape():
    checks.check_array(np.arange(3), [0, 1, 2])
    checks.check_array(["a", "b"], np.array(["a", "b"]))
    with pytest.raises(WrongAnswer, match=r"of shape \(3,\), but received shape \(2,\)"):
        checks.check_array([0, 1], [0, 1, 2], name="v")
    with pytest.raises(WrongAnswer, match=r"2 of 3 values differ, the first at index \(0,\)"):
        checks.check_array([5, 6, 2], [0, 1, 2], name="v")
    with pytest.raises(WrongAnswer, match=r"an array of shape \(2,\), but received"):
        checks.check_array([{"a": 1}, 2], [0, 1], name="v")
    checks.check_shape([[1, 2, 3]], (1, 3))
    with pytest.raises(WrongAnswer, match=r"an array of shape \(2,\), but received int 3"):
        checks.check_shape(3, (2,), name="v")


def test_check_choice():
    checks.check_choice(" Yes", "yes", options=["yes", "no"])
    checks.check_choice(2, 2, options=[1, 2, 3])
    with pytest.raises(WrongAnswer, match=r"Expected c to be 'yes', but received 'no'"):
        checks.check_choice("no", "yes", options=["yes", "no"], name="c")
    with pytest.raises(WrongAnswer, match=r"one of \['yes', 'no'\], but received 'maybe'"):
        checks.check_choice("maybe", "yes", options=["yes", "no"], name="c")


@pytest.fixture(scope="module")
def keras_model():
    import course_utils

    course_utils.setup(seed=0)
    import keras

    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
         keras.layers.Dense(3, activation="softmax")]
    )
    return model


def test_check_model(keras_model):
    import keras

    checks.check_model(keras_model, n_params=4 * 8 + 8 + 8 * 3 + 3,
                       layer_types=["Dense", "Dense"], output_shape=(None, 3))
    with pytest.raises(WrongAnswer, match=r"parameter count of m to be 100, but received 67"):
        checks.check_model(keras_model, n_params=100, name="m")
    with pytest.raises(WrongAnswer, match=r"layers of m to be \['Dense'\], but received \['Dense', 'Dense'\]"):
        checks.check_model(keras_model, layer_types=["Dense"], name="m")
    with pytest.raises(WrongAnswer, match=r"output shape of m to be \(None, 2\)"):
        checks.check_model(keras_model, output_shape=(None, 2), name="m")
    with pytest.raises(WrongAnswer, match=r"Expected m to be a Keras model, but received LogisticRegression"):
        checks.check_model(LogisticRegression(), n_params=1, name="m")
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(NotAnswered, match=r"has no weights yet"):
        checks.check_model(unbuilt, n_params=1, name="m")


def test_check_score_keras(keras_model):
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4)).astype("float32")
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 1).astype(int)
    fresh = keras.models.clone_model(keras_model)
    with pytest.raises(NotAnswered, match=r"has not been trained"):
        checks.check_score(fresh, x, y, minimum=0.5, name="m")
    fresh.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    with pytest.raises(NotAnswered, match=r"has not been trained"):
        checks.check_score(fresh, x, y, minimum=0.5, name="m")
    fresh.fit(x, y, epochs=30, verbose=0)
    score = checks.check_score(fresh, x, keras.utils.to_categorical(y, 3), minimum=0.6)
    assert 0.6 <= score <= 1.0
    with pytest.raises(WrongAnswer, match=r"accuracy of m to be at least 1.100"):
        checks.check_score(fresh, x, y, minimum=1.1, name="m")


def test_check_score_keras_sigmoid_output():
    import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    x = np.linspace(-2, 2, 40).reshape(-1, 1).astype("float32")
    y = (x[:, 0] > 0).astype(int)
    model.fit(x, y, epochs=40, verbose=0)
    assert checks.check_score(model, x, y, minimum=0.9) >= 0.9


def test_check_score_sklearn():
    x, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    with pytest.raises(NotAnswered, match=r"has not been fitted"):
        checks.check_score(LogisticRegression(), x, y, minimum=0.5, name="clf")
    fitted = LogisticRegression().fit(x, y)
    assert checks.check_score(fitted, x, y, minimum=1.0) == 1.0
    with pytest.raises(WrongAnswer, match=r"accuracy of clf to be at least 1.000, but received 0.500"):
        checks.check_score(fitted, x, [1, 1, 1, 1], minimum=1.0, name="clf")
    with pytest.raises(WrongAnswer, match=r"to be a Keras model, but received str"):
        checks.check_score("model", x, y, minimum=0.5, name="clf")


def test_is_placeholder():
    assert checks.is_placeholder(...) and checks.is_placeholder(None)
    assert not checks.is_placeholder(0) and not checks.is_placeholder("")
