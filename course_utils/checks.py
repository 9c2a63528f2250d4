"""Exercise checks: compare a learner's answer with the expected one.

Each check passes silently on a right answer. On a wrong answer it raises
:class:`WrongAnswer` whose message is one plain sentence: what was expected, what was
received, and a hint. An answer still left as a placeholder (``...``, ``None``, a stub
function's ``None`` result, an unfitted model) raises :class:`NotAnswered` instead, with
the message "Not answered yet: ...", so a learner never sees a traceback from deep inside
Keras or scikit-learn for an exercise they have not started.

Introduced in the lesson "Perceptron to MLP"; every lesson's exercises use it.

Example:
    >>> check_number(2 + 2, 4, name="the sum")
    >>> check_number(..., 4, name="the sum")
    Traceback (most recent call last):
    ...
    course_utils.checks.NotAnswered: Not answered yet: replace the ... placeholder of the sum with your answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "AnswerError",
    "NotAnswered",
    "WrongAnswer",
    "check_array",
    "check_choice",
    "check_model",
    "check_number",
    "check_score",
    "check_shape",
    "is_placeholder",
]


class AnswerError(AssertionError):
    """Base class of the errors a check raises."""


class NotAnswered(AnswerError):
    """The answer is still a placeholder."""


class WrongAnswer(AnswerError):
    """The answer differs from the expected one."""


def is_placeholder(value: Any) -> bool:
    """Return True for the values a student notebook uses as "no answer yet".

    Example:
        >>> is_placeholder(...), is_placeholder(None), is_placeholder(0)
        (True, True, False)
    """
    return value is Ellipsis or value is None or value is NotImplemented


def _require_answer(value: Any, name: str) -> None:
    if is_placeholder(value):
        shown = "..." if value is Ellipsis else repr(value)
        raise NotAnswered(
            f"Not answered yet: replace the {shown} placeholder of {name} with your answer."
        )


def _fail(name: str, expected: str, received: str, hint: str | None) -> None:
    message = f"Expected {name} to be {expected}, but received {received}."
    if hint:
        message += f" Hint: {hint}"
    raise WrongAnswer(message)


def _format(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return repr(value)


def check_number(
    answer: Any,
    expected: float,
    *,
    name: str = "the answer",
    rtol: float = 1e-6,
    atol: float = 0.0,
    hint: str | None = None,
) -> None:
    """Check a single number, within a relative and absolute tolerance.

    Args:
        answer: the learner's number (a Python or NumPy scalar, or a 0-d array).
        expected: the right value.
        name: how the message calls the answer, for example ``"n_params"``.
        rtol: relative tolerance, as in ``math.isclose``.
        atol: absolute tolerance.
        hint: a sentence added to the message of a wrong answer.

    Raises:
        NotAnswered: if ``answer`` is a placeholder.
        WrongAnswer: if ``answer`` is not a number or not close to ``expected``.

    Example:
        >>> check_number(0.1 + 0.2, 0.3)
        >>> check_number(3, 4, name="n_layers", hint="count the Dense layers.")
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: Expected n_layers to be 4, but received 3. Hint: count the Dense layers.
    """
    _require_answer(answer, name)
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.reshape(()).item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(
        answer, (int, float, np.integer, np.floating)
    ):
        _fail(
            name,
            f"a number close to {_format(expected)}",
            f"{type(answer).__name__} {answer!r}",
            hint,
        )
    if not np.isclose(float(answer), float(expected), rtol=rtol, atol=atol):
        _fail(name, _format(expected), _format(answer), hint)


def check_shape(
    answer: Any,
    expected: Sequence[int],
    *,
    name: str = "the array",
    hint: str | None = None,
) -> None:
    """Check the shape of an array (or anything with a ``.shape``).

    Example:
        >>> check_shape(np.zeros((2, 3)), (2, 3))
        >>> check_shape(np.zeros((3, 2)), (2, 3), name="x")
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: Expected x to be of shape (2, 3), but received shape (3, 2).
    """
    _require_answer(answer, name)
    shape = getattr(answer, "shape", None)
    if shape is None:
        try:
            shape = np.shape(answer)
        except Exception:
            shape = None
    if shape is None or (not hasattr(answer, "shape") and not isinstance(answer, (list, tuple))):
        _fail(
            name,
            f"an array of shape {tuple(expected)}",
            f"{type(answer).__name__} {answer!r}",
            hint,
        )
    shape = tuple(int(s) if s is not None else None for s in shape)
    if shape != tuple(expected):
        _fail(name, f"of shape {tuple(expected)}", f"shape {shape}", hint)


def check_array(
    answer: Any,
    expected: Any,
    *,
    name: str = "the array",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    hint: str | None = None,
) -> None:
    """Check an array's shape, then its values within a tolerance.

    Example:
        >>> check_array([1, 2, 3], np.array([1, 2, 3]))
        >>> check_array([1, 2, 4], [1, 2, 3], name="y")
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: Expected y to be [1 2 3], but received [1 2 4] (1 of 3 values differ, the first at index (2,)).
    """
    _require_answer(answer, name)
    expected_array = np.asarray(expected)
    try:
        answer_array = np.asarray(answer)
    except Exception:
        answer_array = None
    if answer_array is None or answer_array.dtype == object:
        _fail(
            name,
            f"an array of shape {expected_array.shape}",
            f"{type(answer).__name__} {answer!r}",
            hint,
        )
    check_shape(answer_array, expected_array.shape, name=name, hint=hint)
    if np.issubdtype(expected_array.dtype, np.number) and np.issubdtype(
        answer_array.dtype, np.number
    ):
        close = np.isclose(answer_array, expected_array, rtol=rtol, atol=atol)
    else:
        close = answer_array == expected_array
    if not np.all(close):
        wrong = np.argwhere(~np.asarray(close))
        with np.printoptions(threshold=12, precision=4):
            _fail(
                name,
                str(expected_array),
                f"{answer_array} ({len(wrong)} of {close.size} values differ, the first "
                f"at index {tuple(int(i) for i in wrong[0])})",
                hint,
            )


def check_choice(
    answer: Any,
    expected: Any,
    *,
    options: Sequence[Any],
    name: str = "your choice",
    hint: str | None = None,
) -> None:
    """Check a multiple-choice answer, for example a prediction question.

    Strings are compared without regard to case or surrounding spaces.

    Example:
        >>> check_choice("B ", "b", options=["a", "b", "c"])
        >>> check_choice("d", "b", options=["a", "b", "c"])
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: Expected your choice to be one of ['a', 'b', 'c'], but received 'd'.
    """
    _require_answer(answer, name)

    def normal(value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    choices = [normal(option) for option in options]
    if normal(answer) not in choices:
        _fail(name, f"one of {list(options)}", repr(answer), hint)
    if normal(answer) != normal(expected):
        _fail(name, repr(expected), repr(answer), hint)


def _keras_model_or_fail(model: Any, name: str, hint: str | None) -> Any:
    _require_answer(model, name)
    try:
        import keras
    except ImportError:  # pragma: no cover - keras is a dependency
        keras = None
    if keras is None or not isinstance(model, keras.Model):
        _fail(name, "a Keras model", f"{type(model).__name__} {model!r}", hint)
    if not model.built:
        raise NotAnswered(
            f"Not answered yet: {name} has no weights yet. Start it with keras.Input(...) "
            "so that Keras knows the input shape."
        )
    return model


def check_model(
    model: Any,
    *,
    n_params: int | None = None,
    layer_types: Sequence[str] | None = None,
    output_shape: Sequence[int | None] | None = None,
    name: str = "the model",
    hint: str | None = None,
) -> None:
    """Check a Keras model's parameter count, layer types or output shape.

    Args:
        model: the learner's ``keras.Model``.
        n_params: the expected ``model.count_params()``.
        layer_types: the expected class names of the layers in order, for example
            ``["Dense", "Dense"]`` (``InputLayer`` is not counted).
        output_shape: the expected output shape, batch dimension as ``None``.
        name: how the message calls the model.
        hint: a sentence added to the message of a wrong answer.

    Raises:
        NotAnswered: if ``model`` is a placeholder or has no weights yet.
        WrongAnswer: if it is not a Keras model or differs in what was asked.

    Example:
        >>> import keras  # doctest: +SKIP
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])  # doctest: +SKIP
        >>> check_model(model, n_params=15, layer_types=["Dense"])  # doctest: +SKIP
    """
    model = _keras_model_or_fail(model, name, hint)
    if layer_types is not None:
        actual_types = [
            type(layer).__name__ for layer in model.layers if type(layer).__name__ != "InputLayer"
        ]
        if actual_types != list(layer_types):
            _fail(f"the layers of {name}", str(list(layer_types)), str(actual_types), hint)
    if output_shape is not None:
        actual_shape = (
            tuple(model.output_shape)
            if not isinstance(model.output_shape, list)
            else model.output_shape
        )
        if actual_shape != tuple(output_shape):
            _fail(f"the output shape of {name}", str(tuple(output_shape)), str(actual_shape), hint)
    if n_params is not None:
        actual = model.count_params()
        if actual != n_params:
            _fail(f"the parameter count of {name}", f"{n_params:,}", f"{actual:,}", hint)


def check_score(
    model: Any,
    x: Any,
    y: Any,
    *,
    minimum: float,
    name: str = "the model",
    hint: str | None = None,
) -> float:
    """Check that a fitted classifier reaches at least ``minimum`` accuracy on (x, y).

    Works for scikit-learn estimators (their ``.score``) and Keras classifiers (the
    argmax of softmax outputs, or a 0.5 threshold on a single sigmoid output; ``y`` may be
    labels or one-hot rows).

    Returns:
        The accuracy, so the caller can show it.

    Raises:
        NotAnswered: if ``model`` is a placeholder or has not been fitted.
        WrongAnswer: if it is not a model or its accuracy is below ``minimum``.

    Example:
        >>> from sklearn.linear_model import LogisticRegression
        >>> x, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> round(check_score(LogisticRegression().fit(x, y), x, y, minimum=0.75), 2)
        1.0
    """
    _require_answer(model, name)
    if hasattr(model, "fit") and hasattr(model, "score") and not hasattr(model, "predict_on_batch"):
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted

        try:
            check_is_fitted(model)
        except NotFittedError:
            raise NotAnswered(
                f"Not answered yet: {name} has not been fitted; call .fit(...) first."
            ) from None
        score = float(model.score(x, y))
    else:
        model = _keras_model_or_fail(model, name, hint)
        if (
            not model.compiled
            or getattr(model, "optimizer", None) is None
            or int(model.optimizer.iterations.numpy()) == 0
        ):
            raise NotAnswered(
                f"Not answered yet: {name} has not been trained; compile it and call "
                ".fit(...) first."
            )
        probabilities = np.asarray(model.predict(x, verbose=0))
        if probabilities.ndim == 2 and probabilities.shape[1] > 1:
            predicted = probabilities.argmax(axis=1)
        else:
            predicted = (probabilities.reshape(-1) >= 0.5).astype(int)
        labels = np.asarray(y)
        if labels.ndim == 2 and labels.shape[1] > 1:
            labels = labels.argmax(axis=1)
        score = float(np.mean(predicted == labels.reshape(-1)))
    if score < minimum:
        _fail(f"the accuracy of {name}", f"at least {minimum:.3f}", f"{score:.3f}", hint)
    return score
