from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from course_utils import checks
from course_utils.checks import NotAnswered, WrongAnswer


def _message(call) -> str:
    with pytest.raises(WrongAnswer) as caught:
        call()
    return str(caught.value)


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
        lambda a: checks.check_score(LogisticRegression(), a, [0], minimum=0.5),
        lambda a: checks.check_score(LogisticRegression(), [[0]], a, minimum=0.5, name="m"),
    ],
)
def test_every_check_says_not_answered_for_placeholders(call, placeholder):
    """Also the data of check_score: a ``...`` for x or y is "not answered", not a crash."""
    shown = re.escape("..." if placeholder is Ellipsis else repr(placeholder))
    message = rf"^Not answered yet: replace the {shown} placeholder of [xy] with your answer\.$"
    with pytest.raises(NotAnswered, match=message):
        call(placeholder)


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


# Each wrong answer with a distinctive expected value, and the texts of that value that its
# message must not contain.
LEAK_CASES = {
    "number": (lambda: checks.check_number(915, 931, name="n"), ["931"]),
    "fraction": (lambda: checks.check_number(0.8, 0.8125, name="f"), ["0.8125", "8125"]),
    "fraction, NaN": (lambda: checks.check_number(np.nan, 0.8125, name="f"), ["8125"]),
    "fraction, text": (lambda: checks.check_number("0.81", 0.8125, name="f"), ["8125"]),
    "array": (lambda: checks.check_array([3, 1, 5], [3, 1, 4], name="v"), ["[3, 1, 4]", "4"]),
    "array, shape": (lambda: checks.check_array([3, 1], [3, 1, 4], name="v"), ["4", "(3,)"]),
    "array, text": (
        lambda: checks.check_array(["ab", "cd"], ["ab", "xy"], name="v"),
        ["xy"],
    ),
    "shape": (lambda: checks.check_shape(np.zeros((7, 4)), (7, 5), name="s"), ["(7, 5)", "5"]),
    "shape, axes": (lambda: checks.check_shape(np.zeros((7, 4, 1)), (7, 5), name="s"), ["5"]),
    "choice": (
        lambda: checks.check_choice(
            "decision tree",
            "logistic regression",
            options=["logistic regression", "decision tree", "k-nearest neighbours"],
            name="c",
        ),
        ["logistic"],
    ),
    "choice, numbers": (lambda: checks.check_choice(2, 7, options=[2, 7, 9]), ["7"]),
}


@pytest.mark.parametrize("case", list(LEAK_CASES))
def test_a_wrong_answer_does_not_give_the_expected_value_away(case):
    call, forbidden = LEAK_CASES[case]
    message = _message(call)
    for text in forbidden:
        assert text not in message, (case, text, message)
    assert "Expected" not in message and "expected" not in message


@pytest.mark.parametrize(
    ("arguments", "forbidden"),
    [
        ({"n_params": 931}, "931"),
        ({"layer_types": ["Dense", "Conv2D"]}, "Conv2D"),
        ({"layer_types": ["Dense", "Dense", "LSTM"]}, "LSTM"),
        ({"output_shape": (None, 7)}, "7"),
    ],
)
def test_a_wrong_model_does_not_give_the_expected_model_away(keras_model, arguments, forbidden):
    message = _message(lambda: checks.check_model(keras_model, name="m", **arguments))
    assert forbidden not in message, message


def test_reveal_shows_the_expected_answer_before_the_hint():
    message = _message(lambda: checks.check_number(915, 931, name="n", hint="h.", reveal=True))
    assert message == "n = 915 is not right: it is too small. Expected: 931. Hint: h."
    message = _message(lambda: checks.check_choice("a", "b", options=["a", "b"], reveal=True))
    assert message.endswith("Expected: 'b'.")
    message = _message(lambda: checks.check_array([1, 2], [1, 3], reveal=True))
    assert message.endswith("Expected: [1 3].")
    message = _message(lambda: checks.check_shape(np.zeros(2), (3,), reveal=True))
    assert message.endswith("Expected: shape (3,).")


def test_check_number():
    checks.check_number(np.float32(0.1) + np.float32(0.2), 0.3, rtol=1e-5)
    checks.check_number(np.array([4]), 4)
    checks.check_number(100.5, 100, atol=0.5)
    with pytest.raises(
        WrongAnswer, match=r"^n = 5 is not right: it is too large\. Hint: add one\.$"
    ):
        checks.check_number(5, 4, name="n", hint="add one.")
    with pytest.raises(WrongAnswer, match=r"^the answer, 3, is not right: it is too small\.$"):
        checks.check_number(3, 4)
    with pytest.raises(WrongAnswer, match=r"^double\(21\) = 41 is not right: it is too small\.$"):
        checks.check_number(41, 42, name="double(21)")
    with pytest.raises(
        WrongAnswer,
        match=r"^n = 0\.300001 is not right: it is slightly too large "
        r"\(close, but outside the tolerance\)\.$",
    ):
        checks.check_number(0.300001, 0.3, name="n")  # outside the default rtol of 1e-6
    with pytest.raises(WrongAnswer, match=r"^n = 130 is not right: it is too large\.$"):
        checks.check_number(130, 100, atol=0.5, name="n")
    with pytest.raises(WrongAnswer, match=r"^n = '4' is not a number: it is a str\.$"):
        checks.check_number("4", 4, name="n")
    with pytest.raises(WrongAnswer, match=r"^n = True is a bool, not a number\.$"):
        checks.check_number(True, 1, name="n")
    with pytest.raises(WrongAnswer, match=r"^n is an array of shape \(2,\), not a single number\."):
        checks.check_number(np.array([1, 2]), 1, name="n")
    with pytest.raises(WrongAnswer, match=r"^n = 1j is not a real number: it is a complex\.$"):
        checks.check_number(1j, 1, name="n")


def test_check_number_accepts_float_noise_near_zero():
    checks.check_number(1e-17, 0.0)
    checks.check_number(-3e-12, 0)
    with pytest.raises(WrongAnswer, match=r"too large"):
        checks.check_number(1e-6, 0.0)
    # The default atol is scaled to the expected value: a tiny expected value is not 0.
    with pytest.raises(WrongAnswer, match=r"too small"):
        checks.check_number(0.0, 1e-12)
    with pytest.raises(WrongAnswer):
        checks.check_number(1e-17, 0.0, atol=0.0)


@pytest.mark.parametrize(
    ("answer", "expected", "rtol", "shown"),
    [
        (0.30000001, 0.3, 0.0, "0.30000001"),
        (0.1 + 0.2, 0.3, 0.0, "0.30000000000000004"),
        (1.0000001, 1, 1e-9, "1.0000001"),
        (12.99999999, 13, 0.0, "12.99999999"),
    ],
)
def test_a_number_is_shown_with_the_digits_that_make_it_wrong(answer, expected, rtol, shown):
    """Never "n = 0.3 is not right" when 0.3 is expected and 0.30000001 received."""
    message = _message(lambda: checks.check_number(answer, expected, name="n", rtol=rtol, atol=0))
    assert message.startswith(f"n = {shown} is not right"), message


def test_matching_nans_match():
    checks.check_number(np.nan, float("nan"))
    checks.check_array([1.0, np.nan], [1, np.nan])
    with pytest.raises(WrongAnswer, match=r"^n = nan is not right: it is NaN \(not a number\)\.$"):
        checks.check_number(np.nan, 1.0, name="n")
    with pytest.raises(WrongAnswer, match=r"^n = 1 is not right\.$"):
        checks.check_number(1, np.nan, name="n")
    with pytest.raises(WrongAnswer):
        checks.check_number(np.nan, np.nan, equal_nan=False)
    with pytest.raises(WrongAnswer, match=r"index 1, where v has nan \(NaN\)\.$"):
        checks.check_array([1.0, np.nan], [1, 2], name="v")
    with pytest.raises(WrongAnswer, match=r"index 1, where v has 2\.$"):
        checks.check_array([1.0, 2.0], [1, np.nan], name="v")
    with pytest.raises(WrongAnswer):
        checks.check_array([np.nan], [np.nan], equal_nan=False)


def test_check_array():
    checks.check_array(np.arange(3), [0, 1, 2])
    checks.check_array(["a", "b"], np.array(["a", "b"]))
    checks.check_array([0.1 + 0.2, 1.0], [0.3, 1.0])
    checks.check_array([True, False], [1, 0])
    with pytest.raises(WrongAnswer, match=r"^v has shape \(2,\): axis 0 has the wrong size\.$"):
        checks.check_array([0, 1], [0, 1, 2], name="v")
    with pytest.raises(
        WrongAnswer,
        match=r"^v is not right: 2 of 3 values differ; the first is at index 0, where v has 5 "
        r"\(too large\)\. Hint: h\.$",
    ):
        checks.check_array([5, 6, 2], [0, 1, 2], name="v", hint="h.")
    with pytest.raises(
        WrongAnswer,
        match=r"^v is not right: 1 of 4 values differs; the first is at index \(1, 0\), where v "
        r"has -1 \(too small\)\.$",
    ):
        checks.check_array([[1, 2], [-1, 4]], [[1, 2], [3, 4]], name="v")
    with pytest.raises(
        WrongAnswer, match=r"^v is not right: 1 of 2 values differs; the first is at index 1, "
    ):
        checks.check_array(["a", "c"], ["a", "b"], name="v")
    with pytest.raises(WrongAnswer, match=r"^v holds text, not numbers\.$"):
        checks.check_array(["a", "b"], [0, 1], name="v")
    with pytest.raises(
        WrongAnswer,
        match=r"^v = \[\{'a': 1\}, 2\] cannot be read as an array of numbers: it is a list\.$",
    ):
        checks.check_array([{"a": 1}, 2], [0, 1], name="v")
    with pytest.raises(WrongAnswer, match=r"^v = 3 is a single value, not an array\.$"):
        checks.check_array(3, [0, 1], name="v")
    with pytest.raises(WrongAnswer, match=r"^v = 3 is not right: it is too large\.$"):
        checks.check_array(3, 2, name="v")


def test_check_array_accepts_float_noise_near_zero():
    checks.check_array([1e-12, -1e-12, 1.0], [0, 0, 1])
    checks.check_array(np.full((2, 2), 3e-12), np.zeros((2, 2)))
    # The default atol is relative to the largest expected magnitude.
    with pytest.raises(WrongAnswer, match=r"index 1"):
        checks.check_array([1e-12, 2e-12], [1e-12, 1e-12])
    with pytest.raises(WrongAnswer, match=r"index 0"):
        checks.check_array([1e-12, 0.0], [0.0, 0.0], atol=0.0)


def test_check_shape():
    checks.check_shape([[1, 2, 3]], (1, 3))
    checks.check_shape(np.zeros((2, 3)), [2, 3])
    with pytest.raises(WrongAnswer, match=r"^v = 3 is not an array: it is an int\.$"):
        checks.check_shape(3, (2,), name="v")
    with pytest.raises(
        WrongAnswer,
        match=r"^v = \[\[1, 2\], \[3\]\] cannot be read as an array \(its rows differ in length\)",
    ):
        checks.check_shape([[1, 2], [3]], (2, 2), name="v")
    with pytest.raises(
        WrongAnswer,
        match=r"^v has shape \(2, 3\): axes 0 and 1 have the wrong sizes\.$",
    ):
        checks.check_shape(np.zeros((2, 3)), (3, 2), name="v")
    with pytest.raises(WrongAnswer, match=r"^v has shape \(2, 3, 1\): it has too many axes\.$"):
        checks.check_shape(np.zeros((2, 3, 1)), (2, 3), name="v")
    with pytest.raises(WrongAnswer, match=r"it has too few axes\. Hint: h\.$"):
        checks.check_shape(np.zeros(2), (2, 3), name="v", hint="h.")


def test_check_choice():
    checks.check_choice(" Yes", "yes", options=["yes", "no"])
    checks.check_choice(2, 2, options=[1, 2, 3])
    with pytest.raises(WrongAnswer, match=r"^c = 'no' is not the right choice\. Hint: h\.$"):
        checks.check_choice("no", "yes", options=["yes", "no"], name="c", hint="h.")
    with pytest.raises(WrongAnswer, match=r"^c = 3 is not the right choice\.$"):
        checks.check_choice(3, 2, options=[1, 2, 3], name="c")
    with pytest.raises(
        WrongAnswer, match=r"^c = 'maybe' is not one of the options: 'yes', 'no'\.$"
    ):
        checks.check_choice("maybe", "yes", options=["yes", "no"], name="c")
    with pytest.raises(WrongAnswer, match=r"^your choice, array\(\[1, 2\]\), is not one of the "):
        checks.check_choice(np.array([1, 2]), 1, options=[1, 2])


BAD_ARGUMENTS = [
    ("check_number", (1, "4"), {}, TypeError, "expected must be a real number, not str '4'"),
    ("check_number", (1, 1), {"rtol": "0.1"}, TypeError, "rtol must be a real number, not str"),
    ("check_number", (1, 1), {"atol": -1}, ValueError, "atol must be a number >= 0, not -1"),
    ("check_number", (1, 1), {"name": 3}, TypeError, "name must be a string, not int 3"),
    ("check_array", ([1], [{}]), {}, TypeError, "expected must be an array of numbers or text"),
    ("check_shape", ([1], "23"), {}, TypeError, "expected must be a list or tuple, not str '23'"),
    ("check_shape", ([1], (1.5,)), {}, TypeError, "expected must be a shape (a tuple of integ"),
    ("check_choice", ("a", "a"), {"options": "ab"}, TypeError, "options must be a list or tuple"),
    (
        "check_choice",
        ("a", "c"),
        {"options": ["a", "b"]},
        ValueError,
        "expected 'c' is not one of the options ['a', 'b']",
    ),
    ("check_model", (None,), {"n_params": 1.5}, TypeError, "n_params must be an integer or None"),
    ("check_model", (None,), {"layer_types": "Dense"}, TypeError, "layer_types must be a list"),
    ("check_score", (None, [[0]], [0]), {"minimum": "0.9"}, TypeError, "minimum must be a real"),
    (
        "check_score",
        (None, [[0]], [0]),
        {"minimum": 0.5, "metric": "f1"},
        ValueError,
        'metric must be None, "accuracy", "r2" or a function, not \'f1\'',
    ),
]


@pytest.mark.parametrize(("function", "arguments", "options", "error", "message"), BAD_ARGUMENTS)
def test_bad_arguments_of_a_check_are_errors_that_say_what_was_expected(
    function, arguments, options, error, message
):
    """A mistake in the check itself, not in the answer: checked before the answer."""
    with pytest.raises(error, match=f"^{re.escape(function)}: {re.escape(message)}"):
        getattr(checks, function)(*arguments, **options)


def test_check_model(keras_model):
    import keras

    checks.check_model(
        keras_model,
        n_params=4 * 8 + 8 + 8 * 3 + 3,
        layer_types=["Dense", "Dense"],
        output_shape=(None, 3),
    )
    with pytest.raises(WrongAnswer, match=r"^m has 67 parameters: that is too few\. Hint: h\.$"):
        checks.check_model(keras_model, n_params=100, name="m", hint="h.")
    with pytest.raises(WrongAnswer, match=r"^m has 67 parameters: that is too many\.$"):
        checks.check_model(keras_model, n_params=50, name="m")
    with pytest.raises(
        WrongAnswer,
        match=r"^the layers of m \(Dense, Dense\) are not right: there are too many of them\.$",
    ):
        checks.check_model(keras_model, layer_types=["Dense"], name="m")
    with pytest.raises(
        WrongAnswer,
        match=r"^the layers of m \(Dense, Dense\) are not right: layer 1 \(Dense\) is not the "
        r"right kind\.$",
    ):
        checks.check_model(keras_model, layer_types=["Flatten", "Dense"], name="m")
    with pytest.raises(
        WrongAnswer,
        match=r"^the output shape of m is \(None, 3\): axis 1 has the wrong size\.$",
    ):
        checks.check_model(keras_model, output_shape=(None, 2), name="m")
    with pytest.raises(
        WrongAnswer, match=r"^m is not a Keras model: it is a LogisticRegression\.$"
    ):
        checks.check_model(LogisticRegression(), n_params=1, name="m")
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(NotAnswered, match=r"^Not answered yet: m has no weights yet\. "):
        checks.check_model(unbuilt, n_params=1, name="m")


NOT_TRAINED = (
    r"^Not answered yet: m has not been trained; compile it and call \.fit\(\.\.\.\) first\.$"
)


def test_check_score_keras_not_trained(keras_model):
    import keras

    x = np.zeros((6, 4), dtype="float32")
    y = np.zeros(6, dtype=int)
    fresh = keras.models.clone_model(keras_model)
    with pytest.raises(NotAnswered, match=NOT_TRAINED):
        checks.check_score(fresh, x, y, minimum=0.5, name="m")
    fresh.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    with pytest.raises(NotAnswered, match=NOT_TRAINED):
        checks.check_score(fresh, x, y, minimum=0.5, name="m")


def test_check_score_keras_not_trained_for_weights_that_do_not_start_at_their_initializer():
    """An LSTM's forget-gate bias starts at 1, not at its bias_initializer's 0; attention
    adapts its kernels' initializer: weights still as built are not "trained"."""
    import keras

    sequences = np.zeros((2, 3, 2), "float32")
    lstm = keras.Sequential([keras.Input((3, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)])
    inputs = keras.Input((3, 2))
    attention = keras.Model(inputs, keras.layers.MultiHeadAttention(1, 2)(inputs, inputs))

    class Subclassed(keras.Model):  # no clone to compare with
        def __init__(self):
            super().__init__()
            self.lstm = keras.layers.LSTM(2)

        def call(self, x):
            return self.lstm(x)

    subclassed = Subclassed()
    subclassed(sequences)
    for model in (lstm, attention, subclassed):
        with pytest.raises(NotAnswered, match=NOT_TRAINED):
            checks.check_score(model, sequences, [0, 1], minimum=0.5, name="m")
    subclassed.set_weights([w + 1 for w in subclassed.get_weights()])
    assert checks.check_score(subclassed, sequences, [0, 1], minimum=0.0, name="m") >= 0.0


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # save_weights
def test_check_score_keras_restored_weights_count_as_trained(keras_model, tmp_path):
    """Weights restored with set_weights or load_weights: trained, not "not trained"."""
    import keras

    x = np.eye(4, dtype="float32")[:3]
    y = np.array([0, 1, 2])
    restored = keras.models.clone_model(keras_model)
    restored.set_weights(keras_model.get_weights())
    assert checks.check_score(restored, x, y, minimum=0.0, name="m") >= 0.0
    path = tmp_path / "model.weights.h5"
    keras_model.save_weights(path)
    loaded = keras.models.clone_model(keras_model)
    loaded.load_weights(path)
    loaded.compile(optimizer="adam", loss="sparse_categorical_crossentropy")  # iterations 0
    assert checks.check_score(loaded, x, y, minimum=0.0, name="m") >= 0.0


def test_check_score_keras_softmax_accuracy():
    """A softmax layer with hand-set weights predicts the largest of (x0, x1, 0): the
    accuracy is known without asking Keras or the check."""
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
    x = np.array([[2, 1], [1, 3], [-1, -2], [5, 0], [0, 4], [-3, -1], [1, 0], [2, 2.5]], "float32")
    # predicted classes:   0,      1,      2,       0,      1,       2,       0,      1
    y = np.array([0, 1, 2, 1, 1, 0, 0, 2])  # 5 of 8 right
    model.set_weights([np.array([[1, 0, 0], [0, 1, 0]], "float32"), np.zeros(3)])
    assert checks.check_score(model, x, y, minimum=0.6, name="m") == 5 / 8
    one_hot = np.eye(3)[y]
    assert checks.check_score(model, x, one_hot, minimum=0.6, name="m") == 5 / 8
    with pytest.raises(
        WrongAnswer,
        match=r"^the accuracy of m is 0\.625, below the 0\.7 the exercise asks for\. Hint: h\.$",
    ):
        checks.check_score(model, x, y, minimum=0.7, name="m", hint="h.")
    with pytest.raises(ValueError, match=r"^check_score: x gives 8 predictions but y has 3 "):
        checks.check_score(model, x, [0, 1, 2], minimum=0.5, name="m")
    with pytest.raises(WrongAnswer, match=r"^m could not make predictions for x: "):
        checks.check_score(model, np.zeros((2, 5)), [0, 1], minimum=0.5, name="m")


def test_check_score_keras_sigmoid_output():
    """One sigmoid output counts as class 1 from probability 0.5 on (x = 0 gives 0.5)."""
    import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    x = np.array([[-2.0], [-1.0], [0.0], [1.0], [2.0]], "float32")
    y = np.array([0, 1, 1, 1, 0])  # predicted 0, 0, 1, 1, 1: 3 of 5 right
    model.set_weights([np.ones((1, 1), "float32"), np.zeros(1, "float32")])
    model.compile(loss="binary_crossentropy", metrics=["mae"])  # the loss says: classifier
    assert checks.check_score(model, x, y, minimum=0.5) == 3 / 5
    assert checks.check_score(model, x, y.reshape(-1, 1), minimum=0.5) == 3 / 5
    with pytest.raises(WrongAnswer, match=r"^the accuracy of m is 0\.6, below the 0\.7 "):
        checks.check_score(model, x, y, minimum=0.7, name="m")


def test_check_score_names_the_metric_of_a_regressor():
    """A regressor's score is R², computed here by hand: predictions x for targets y."""
    import keras

    x = np.array([[0.0], [1.0], [2.0], [3.0]], "float32")
    y = np.array([0.0, 1.0, 1.0, 4.0])
    r2 = 1 - np.sum((y - x[:, 0]) ** 2) / np.sum((y - y.mean()) ** 2)  # 1 - 2 / 9
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.set_weights([np.ones((1, 1), "float32"), np.zeros(1, "float32")])
    model.compile(loss="mse")
    assert checks.check_score(model, x, y, minimum=0.5) == pytest.approx(r2)
    with pytest.raises(
        WrongAnswer, match=r"^the R² of m is 0\.778, below the 0\.9 the exercise asks for\.$"
    ):
        checks.check_score(model, x, y, minimum=0.9, name="m")
    # The compiled loss decides, or else the metrics; without either, accuracy.
    for loss, metrics, task in [  # (compiling without metrics keeps the earlier ones)
        ("cosine_similarity", None, "classification"),
        (keras.losses.Huber(), None, "regression"),
        (keras.losses.mean_absolute_error, ["accuracy"], "regression"),
        ("cosine_similarity", ["mae"], "regression"),
        ("categorical_hinge", ["mse"], "classification"),
    ]:
        model.compile(loss=loss, metrics=metrics)
        assert checks._keras_task(model) == task, (loss, metrics)
    regressor = LinearRegression().fit(x, [0.0, 1.0, 2.0, 3.0])
    assert checks.check_score(regressor, x, y, minimum=0.5) == pytest.approx(r2)
    with pytest.raises(WrongAnswer, match=r"^the R² of reg is 0\.778, below the 0\.9 "):
        checks.check_score(regressor, x, y, minimum=0.9, name="reg")
    classifier = LogisticRegression().fit(x, [0, 0, 1, 1])
    with pytest.raises(WrongAnswer, match=r"^the R² of clf is -0\.333, below the 0\.5 "):
        checks.check_score(classifier, x, [0, 0, 1, 0], minimum=0.5, name="clf", metric="r2")


def test_check_score_shows_a_score_with_the_digits_that_make_it_too_low():
    fitted = LogisticRegression().fit([[0.0], [1.0]], [0, 1])

    def almost(y_true, y_pred):
        return 0.8996

    with pytest.raises(
        WrongAnswer, match=r"^the almost of m is 0\.8996, below the 0\.9 the exercise asks for\.$"
    ):
        checks.check_score(fitted, [[0.0]], [0], minimum=0.9, name="m", metric=almost)


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
        match=r"^the accuracy of clf is 0\.5, below the 1 the exercise asks for\.$",
    ):
        checks.check_score(fitted, x, [1, 1, 1, 1], minimum=1.0, name="clf")
    with pytest.raises(WrongAnswer, match=r"^clf could not be scored on x: X has 2 features"):
        checks.check_score(fitted, [[0.0, 1.0]], [0], minimum=0.5, name="clf")
    with pytest.raises(WrongAnswer, match=r"^clf is not a Keras model: it is a str \('model'\)\.$"):
        checks.check_score("model", x, y, minimum=0.5, name="clf")


def test_is_placeholder():
    assert [checks.is_placeholder(v) for v in (..., None, NotImplemented)] == [True] * 3
    assert [checks.is_placeholder(v) for v in (0, "", [], False, np.nan)] == [False] * 5
