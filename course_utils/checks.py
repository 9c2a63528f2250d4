"""Exercise checks: compare a learner's answer with the expected one.

Each check passes silently on a right answer. On a wrong answer it raises
:class:`WrongAnswer` whose message says what was received and what is wrong with it, in
words, then gives the hint, but never the expected answer: "n_params = 915 is not right:
it is too small. Hint: ...". The error also names its diagnosis, a short id of what is
wrong (``"too-small"``, ``"wrong-shape"``, or a known mistake of an exercise), which the
grader counts for the class report. Messages are shown in the course's current language
(:mod:`course_utils.i18n`). Numbers are said to be too small or too large, arrays name the
first index that differs and the value received there, shapes the axis that is off, choices
only that the choice is not the right one; thresholds that are part of the task (the
accuracy a model must reach) are stated. Instructors may pass ``reveal=True`` to any check
to add the expected answer to the message.

An answer still left as a placeholder (``...``, ``None``, a stub function's ``None``
result, an unfitted model) raises :class:`NotAnswered` instead, with the message "Not
answered yet: ...", so a learner never sees a traceback from deep inside Keras or
scikit-learn for an exercise they have not started. A check called with arguments of the
wrong kind (an expected value that is not a number, a negative tolerance) raises a
``TypeError`` or ``ValueError`` that names the argument: that is a mistake in the check,
not in the answer.

Introduced in the lesson "Perceptron to MLP"; every lesson's exercises use it.

Example:
    >>> check_number(2 + 2, 4, name="the sum")
    >>> for answer in [..., 5]:
    ...     try:
    ...         check_number(answer, 4, name="total", hint="add the two numbers.")
    ...     except AnswerError as error:
    ...         print(f"{type(error).__name__}: {error}")
    NotAnswered: Not answered yet: replace the ... placeholder of total with your answer.
    WrongAnswer: total = 5 is not right: it is too large. Hint: add the two numbers.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from course_utils.i18n import N_, _

__all__ = [
    "GENERIC_DIAGNOSES",
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
    "is_trained",
    "keras_model",
    "recording_expected",
    "training_steps",
]

#: The diagnoses of the general checks (a known mistake of an exercise has an id of its
#: own, see ``course_utils.exercises.Mistake``).
GENERIC_DIAGNOSES = frozenset(
    {
        "not-answered",
        "wrong",
        "check-failed",
        "unreadable-answer",
        "not-a-number",
        "nan",
        "wrong-value",
        "too-small",
        "too-large",
        "slightly-too-small",
        "slightly-too-large",
        "not-an-array",
        "wrong-shape",
        "wrong-values",
        "not-an-option",
        "wrong-choice",
        "not-a-model",
        "wrong-layers",
        "wrong-output-shape",
        "too-few-parameters",
        "too-many-parameters",
        "cannot-score",
        "cannot-predict",
        "score-below-minimum",
    }
)

#: The default absolute tolerance, relative to the largest magnitude in the expected value
#: (absolute when everything expected is 0): float noise such as 1e-17 for 0 passes.
DEFAULT_ATOL = 1e-8


class AnswerError(AssertionError):
    """Base class of the errors a check raises.

    ``diagnosis`` is a short id of what is wrong (``"not-answered"``, ``"too-small"``, a
    known mistake's id); ``exercise`` the label of the exercise whose check raised it, set
    by :func:`course_utils.exercises.check`.
    """

    def __init__(self, message: str, *, diagnosis: str = "", exercise: str | None = None):
        super().__init__(message)
        self.message = message
        self.diagnosis = diagnosis
        self.exercise = exercise

    def __str__(self) -> str:
        return self.message


class NotAnswered(AnswerError):
    """The answer is still a placeholder."""

    def __init__(self, message: str, *, diagnosis: str = "not-answered", **kwargs: Any):
        super().__init__(message, diagnosis=diagnosis, **kwargs)


class WrongAnswer(AnswerError):
    """The answer differs from the expected one."""

    def __init__(self, message: str, *, diagnosis: str = "wrong", **kwargs: Any):
        super().__init__(message, diagnosis=diagnosis, **kwargs)


# The expected values of the checks run inside ``recording_expected`` blocks (innermost last).
_recorders: list[list[tuple[str, Any]]] = []


@contextmanager
def recording_expected() -> Iterator[list[tuple[str, Any]]]:
    """Collect the expected value of every check that runs inside the block.

    Yields a list that fills with ``(check name, expected value)`` pairs: ``check_number``,
    ``check_shape``, ``check_array`` and ``check_choice`` add theirs. The course's tests use
    it to search student notebooks for the answers their checks expect.

    Example:
        >>> with recording_expected() as recorded:
        ...     check_number(931, 931)
        >>> recorded
        [('check_number', 931)]
    """
    recorded: list[tuple[str, Any]] = []
    _recorders.append(recorded)
    try:
        yield recorded
    finally:
        _recorders.remove(recorded)


def _record(function: str, expected: Any) -> None:
    for recorded in _recorders:
        recorded.append((function, expected))


def is_placeholder(value: Any) -> bool:
    """Return True for the values a student notebook uses as "no answer yet".

    Example:
        >>> is_placeholder(...), is_placeholder(None), is_placeholder(0)
        (True, True, False)
    """
    return value is Ellipsis or value is None or value is NotImplemented


def not_answered_placeholder(value: Any, name: str) -> NotAnswered:
    """The "not answered yet" error for a placeholder ``value`` of the answer ``name``."""
    shown = "..." if value is Ellipsis else repr(value)
    return NotAnswered(
        _(
            "Not answered yet: replace the {placeholder} placeholder of {name} with your answer."
        ).format(placeholder=shown, name=name)
    )


def _require_answer(value: Any, name: str) -> None:
    if is_placeholder(value):
        raise not_answered_placeholder(value, name)


def with_hint(problem: str, hint: str | None) -> str:
    """The problem, then the hint (translated) after "Hint:"."""
    if not hint:
        return problem
    return _("{problem} Hint: {hint}").format(problem=problem, hint=_(hint))


def _fail(
    problem: str,
    hint: str | None,
    *,
    diagnosis: str,
    reveal: bool = False,
    expected: str = "",
) -> None:
    """Raise WrongAnswer: the problem, the expected answer if revealed, then the hint."""
    message = problem
    if reveal and expected:
        message = _("{problem} Expected: {expected}.").format(problem=message, expected=expected)
    raise WrongAnswer(with_hint(message, hint), diagnosis=diagnosis)


# --- formatting -------------------------------------------------------------------------


def _short(value: Any, limit: int = 60) -> str:
    """``repr`` on one line, cut to ``limit`` characters."""
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_code_name(name: str) -> bool:
    return bool(name) and " " not in name.strip()


def _called(name: str) -> str:
    """How a message calls the answer: a name from the code as it is, words translated."""
    return name if _is_code_name(name) else _(name)


def _named(name: str, shown: str) -> str:
    """``"n = 3"`` for a name from the code (no spaces), ``"the answer, 3,"`` for words."""
    if _is_code_name(name):
        return f"{name} = {shown}"
    return _("{name}, {value},").format(name=_(name), value=shown)


def _show_number(value: Any, other: Any = None, digits: int = 6) -> str:
    """Format a number with ``digits`` significant digits, more where it would read like
    ``other``.

    ``other`` (the expected value) is only used to choose the precision, never shown, so
    that a message cannot read "0.3 is not right" for 0.30000001 when 0.3 is expected.

    Example:
        >>> _show_number(0.30000001), _show_number(0.30000001, 0.3), _show_number(12)
        ('0.3', '0.30000001', '12')
    """
    if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (complex, np.complexfloating)):
        return repr(complex(value))
    value = float(value)
    if not np.isfinite(value):
        return repr(value)
    try:
        other = None if other is None else float(other)
    except (TypeError, ValueError):
        other = None
    for precision in range(digits, 18):
        text = f"{value:.{precision}g}"
        if other is None or not np.isfinite(other) or text != f"{other:.{precision}g}":
            return text
    return repr(value)


def _show_value(value: Any, other: Any = None) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (numbers.Number, np.number)) and not isinstance(value, bool):
        return _show_number(value, other)
    return _short(value)


def _kind(value: Any) -> str:
    return type(value).__name__


def _a_kind(value: Any) -> str:
    """ "an int", "a str": the type of ``value`` with its article (in Korean, the type's
    name alone)."""
    kind = _kind(value)
    if kind[:1].lower() in "aeiou":
        return _("an {type}").format(type=kind)
    return _("a {type}").format(type=kind)


def _direction(answer: float, expected: float, tolerance: float) -> tuple[str, str]:
    """The diagnosis and its words: "too small" or "too large", "slightly" when within ten
    times the tolerance."""
    small = answer < expected
    if np.isfinite(answer) and tolerance > 0 and abs(answer - expected) <= 10 * tolerance:
        if small:
            return "slightly-too-small", _("slightly too small (close, but outside the tolerance)")
        return "slightly-too-large", _("slightly too large (close, but outside the tolerance)")
    return ("too-small", _("too small")) if small else ("too-large", _("too large"))


# --- argument checking (mistakes in a check, not in an answer) ---------------------------


def _require_text(value: Any, what: str, function: str, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    if not isinstance(value, str):
        message = (
            _("{function}: {what} must be a string or None, not {type} {value}")
            if optional
            else _("{function}: {what} must be a string, not {type} {value}")
        )
        raise TypeError(
            message.format(function=function, what=what, type=_kind(value), value=_short(value))
        )


def _require_real(
    value: Any, what: str, function: str, *, nonnegative: bool = False, optional: bool = False
) -> None:
    if optional and value is None:
        return
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            _("{function}: {what} must be a real number, not {type} {value}").format(
                function=function, what=what, type=_kind(value), value=_short(value)
            )
        )
    if nonnegative and not value >= 0:
        raise ValueError(
            _("{function}: {what} must be a number >= 0, not {value}").format(
                function=function, what=what, value=repr(value)
            )
        )


def _require_sequence(value: Any, what: str, function: str) -> None:
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise TypeError(
            _("{function}: {what} must be a list or tuple, not {type} {value}").format(
                function=function, what=what, type=_kind(value), value=_short(value)
            )
        )


def _scalar(value: Any) -> Any:
    """A size-1 array or tensor as its single element; anything else unchanged."""
    if not isinstance(value, (numbers.Number, np.generic, str, bytes)) and hasattr(
        value, "__array__"
    ):
        try:
            array = np.asarray(value)
        except Exception:
            return value
        if array.size == 1:
            return array.reshape(()).item()
        return array
    if isinstance(value, np.generic):
        return value.item()
    return value


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _default_atol(expected: np.ndarray) -> float:
    magnitudes = np.abs(expected[np.isfinite(expected)]) if expected.size else np.zeros(0)
    scale = float(magnitudes.max()) if magnitudes.size else 0.0
    return DEFAULT_ATOL * (scale if scale > 0 else 1.0)


# --- the checks --------------------------------------------------------------------------


def check_number(
    answer: Any,
    expected: float,
    *,
    name: str = N_("the answer"),
    rtol: float = 1e-6,
    atol: float | None = None,
    equal_nan: bool = True,
    hint: str | None = None,
    reveal: bool = False,
) -> None:
    """Check a single number, within a relative and absolute tolerance.

    Args:
        answer: the learner's number (a Python or NumPy scalar, or a size-1 array).
        expected: the right value.
        name: how the message calls the answer, for example ``"n_params"``.
        rtol: relative tolerance, as in ``numpy.isclose``.
        atol: absolute tolerance; by default ``1e-8`` times ``abs(expected)``, or ``1e-8``
            when ``expected`` is 0, so float noise such as ``1e-17`` for 0 passes.
        equal_nan: whether a NaN answer matches a NaN expected value.
        hint: a sentence added to the message of a wrong answer.
        reveal: add the expected value to the message (for instructors, never in lessons).

    Raises:
        NotAnswered: if ``answer`` is a placeholder.
        WrongAnswer: if ``answer`` is not a number or not close to ``expected``; the
            message says whether it is too small or too large, not what is expected.
        TypeError, ValueError: if ``expected`` or a tolerance is not a number, or a
            tolerance is negative.

    Example:
        >>> check_number(0.1 + 0.2, 0.3)
        >>> check_number(1e-17, 0.0)
        >>> check_number(3, 4, name="n", hint="count them.")
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: n = 3 is not right: it is too small. Hint: count them.
    """
    _require_text(name, "name", "check_number")
    _require_text(hint, "hint", "check_number", optional=True)
    expected = _scalar(expected)
    _require_real(expected, "expected", "check_number")
    _require_real(rtol, "rtol", "check_number", nonnegative=True)
    _require_real(atol, "atol", "check_number", nonnegative=True, optional=True)
    _record("check_number", expected)
    _require_answer(answer, name)
    shown_expected = _show_number(expected)
    answer = _scalar(answer)
    if isinstance(answer, (bool, np.bool_)):
        _fail(
            _("{answer} is a bool, not a number.").format(answer=_named(name, repr(bool(answer)))),
            hint,
            diagnosis="not-a-number",
            reveal=reveal,
            expected=shown_expected,
        )
    if isinstance(answer, np.ndarray):
        _fail(
            _("{name} is an array of shape {shape}, not a single number.").format(
                name=_called(name), shape=answer.shape
            ),
            hint,
            diagnosis="not-a-number",
            reveal=reveal,
            expected=shown_expected,
        )
    if not _is_real(answer):
        message = (
            _("{answer} is not a real number: it is {type}.")
            if isinstance(answer, numbers.Number)
            else _("{answer} is not a number: it is {type}.")
        )
        _fail(
            message.format(answer=_named(name, _short(answer)), type=_a_kind(answer)),
            hint,
            diagnosis="not-a-number",
            reveal=reveal,
            expected=shown_expected,
        )
    value, target = float(answer), float(expected)
    if atol is None:
        atol = _default_atol(np.asarray([target]))
    if np.isclose(value, target, rtol=rtol, atol=atol, equal_nan=equal_nan):
        return
    shown = _named(name, _show_number(answer, expected))
    direction = ""
    if np.isnan(value):
        diagnosis, problem = "nan", _("{answer} is not right: it is NaN (not a number).")
    elif np.isnan(target):
        diagnosis, problem = "wrong-value", _("{answer} is not right.")
    else:
        tolerance = atol + rtol * abs(target)
        diagnosis, direction = _direction(value, target, tolerance)
        problem = _("{answer} is not right: it is {direction}.")
    _fail(
        problem.format(answer=shown, direction=direction),
        hint,
        diagnosis=diagnosis,
        reveal=reveal,
        expected=_show_number(expected, answer),
    )


def _shape_of(answer: Any) -> tuple[int | None, ...] | None:
    """The shape of an array-like answer, or None when it is not one."""
    shape = getattr(answer, "shape", None)
    if shape is None:
        if not isinstance(answer, (list, tuple)):
            return None
        try:
            shape = np.shape(answer)
        except Exception:
            return None
    try:
        return tuple(int(s) if s is not None else None for s in shape)
    except (TypeError, ValueError):
        return None


def _shape_problem(shape: tuple, expected: tuple) -> str | None:
    """What is wrong with ``shape``, in words that do not give ``expected`` away."""
    if shape == expected:
        return None
    if len(shape) != len(expected):
        return _("it has too many axes") if len(shape) > len(expected) else _("it has too few axes")
    axes = [str(axis) for axis, (a, b) in enumerate(zip(shape, expected, strict=True)) if a != b]
    if len(axes) == 1:
        return _("axis {axis} has the wrong size").format(axis=axes[0])
    return _("axes {axes} and {last} have the wrong sizes").format(
        axes=", ".join(axes[:-1]), last=axes[-1]
    )


def _expected_shape(expected: Any, function: str) -> tuple[int | None, ...]:
    _require_sequence(expected, "expected", function)
    sizes = list(expected)
    if not all(
        s is None or (isinstance(s, numbers.Integral) and not isinstance(s, bool)) for s in sizes
    ):
        raise TypeError(
            _("{function}: expected must be a shape (a tuple of integers), not {value}").format(
                function=function, value=_short(expected)
            )
        )
    return tuple(None if s is None else int(s) for s in sizes)


def check_shape(
    answer: Any,
    expected: Sequence[int],
    *,
    name: str = N_("the array"),
    hint: str | None = None,
    reveal: bool = False,
) -> None:
    """Check the shape of an array (or anything with a ``.shape``).

    A wrong shape's message gives the shape received and which axis is off (or that it
    has too many or too few axes), never the expected shape.

    Example:
        >>> check_shape(np.zeros((2, 3)), (2, 3))
        >>> check_shape(np.zeros((3, 3)), (2, 3), name="x")
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: x has shape (3, 3): axis 0 has the wrong size.
    """
    _require_text(name, "name", "check_shape")
    _require_text(hint, "hint", "check_shape", optional=True)
    expected = _expected_shape(expected, "check_shape")
    _record("check_shape", expected)
    _require_answer(answer, name)
    shape = _shape_of(answer)
    if shape is None:
        message = (
            _("{answer} cannot be read as an array (its rows differ in length).")
            if isinstance(answer, (list, tuple))
            else _("{answer} is not an array: it is {type}.")
        )
        _fail(
            message.format(answer=_named(name, _short(answer)), type=_a_kind(answer)),
            hint,
            diagnosis="not-an-array",
            reveal=reveal,
            expected=_("shape {shape}").format(shape=expected),
        )
    problem = _shape_problem(shape, expected)
    if problem:
        _fail(
            _("{name} has shape {shape}: {problem}.").format(
                name=_called(name), shape=shape, problem=problem
            ),
            hint,
            diagnosis="wrong-shape",
            reveal=reveal,
            expected=_("shape {shape}").format(shape=expected),
        )


_NUMERIC_KINDS = "biufc"


def _kind_of_values(array: np.ndarray) -> str:
    if array.dtype.kind in _NUMERIC_KINDS:
        return _("numbers")
    if array.dtype.kind in "US":
        return _("text")
    return _("{dtype} values").format(dtype=array.dtype)


def check_array(
    answer: Any,
    expected: Any,
    *,
    name: str = N_("the array"),
    rtol: float = 1e-6,
    atol: float | None = None,
    equal_nan: bool = True,
    hint: str | None = None,
    reveal: bool = False,
) -> None:
    """Check an array's shape, then its values within a tolerance.

    Args:
        answer: the learner's array (anything ``numpy.asarray`` reads: a list, a tensor).
        expected: the right values.
        rtol: relative tolerance, as in ``numpy.isclose``.
        atol: absolute tolerance; by default ``1e-8`` times the largest magnitude in
            ``expected`` (``1e-8`` when it is all zeros), so float noise near 0 passes.
        equal_nan: whether NaN matches NaN.
        hint: a sentence added to the message of a wrong answer.
        reveal: add the expected array to the message (for instructors).

    A wrong array's message gives its shape (see :func:`check_shape`) or how many values
    differ and the first index that differs with the value received there, never the
    expected values.

    Example:
        >>> check_array([1, 2, 3], np.array([1, 2, 3]))
        >>> check_array([1e-12, 0.0], [0, 0])
        >>> try:
        ...     check_array([1, 2, 4], [1, 2, 3], name="y")
        ... except WrongAnswer as wrong:
        ...     print(wrong)
        y is not right: 1 of 3 values differs; the first is at index 2, where y has 4 (too large).
    """
    _require_text(name, "name", "check_array")
    _require_text(hint, "hint", "check_array", optional=True)
    _require_real(rtol, "rtol", "check_array", nonnegative=True)
    _require_real(atol, "atol", "check_array", nonnegative=True, optional=True)
    try:
        expected_array = np.asarray(expected)
    except Exception as error:
        raise TypeError(
            _("check_array: expected cannot be read as an array ({error})").format(error=error)
        ) from None
    if expected_array.dtype == object:
        raise TypeError(
            _("check_array: expected must be an array of numbers or text, not {value}").format(
                value=_short(expected)
            )
        )
    _record("check_array", expected_array)
    _require_answer(answer, name)
    with np.printoptions(threshold=12, precision=8):
        shown_expected = str(expected_array)
    try:
        answer_array = np.asarray(answer)
    except Exception:
        answer_array = None
    if answer_array is None or answer_array.dtype == object:
        _fail(
            _("{answer} cannot be read as an array of {values}: it is {type}.").format(
                answer=_named(name, _short(answer)),
                values=_kind_of_values(expected_array),
                type=_a_kind(answer),
            ),
            hint,
            diagnosis="not-an-array",
            reveal=reveal,
            expected=shown_expected,
        )
    if answer_array.ndim == 0 and expected_array.ndim > 0:
        _fail(
            _("{answer} is a single value, not an array.").format(
                answer=_named(name, _show_value(answer_array.item()))
            ),
            hint,
            diagnosis="not-an-array",
            reveal=reveal,
            expected=shown_expected,
        )
    problem = _shape_problem(answer_array.shape, expected_array.shape)
    if problem:
        _fail(
            _("{name} has shape {shape}: {problem}.").format(
                name=_called(name), shape=answer_array.shape, problem=problem
            ),
            hint,
            diagnosis="wrong-shape",
            reveal=reveal,
            expected=shown_expected,
        )
    numeric = expected_array.dtype.kind in _NUMERIC_KINDS
    if numeric != (answer_array.dtype.kind in _NUMERIC_KINDS):
        _fail(
            _("{name} holds {values}, not {expected_values}.").format(
                name=_called(name),
                values=_kind_of_values(answer_array),
                expected_values=_kind_of_values(expected_array),
            ),
            hint,
            diagnosis="wrong-values",
            reveal=reveal,
            expected=shown_expected,
        )
    if numeric:
        if atol is None:
            atol = _default_atol(np.abs(expected_array))
        close = np.isclose(answer_array, expected_array, rtol=rtol, atol=atol, equal_nan=equal_nan)
    else:
        close = answer_array == expected_array
    close = np.asarray(close)
    if np.all(close):
        return
    wrong = np.argwhere(~close)
    index = tuple(int(i) for i in wrong[0])
    received, target = answer_array[index], expected_array[index]
    shown_index = str(index[0]) if len(index) == 1 else str(index)
    shown = _show_value(received, target)
    what = ""
    real = not (np.iscomplexobj(answer_array) or np.iscomplexobj(expected_array))
    if numeric and np.isnan(received):
        what = "NaN"
    elif numeric and real and not np.isnan(target):
        tolerance = atol + rtol * abs(float(target))
        what = _direction(float(received), float(target), tolerance)[1]
    if not index:
        problem = (
            _("{answer} is not right: it is {direction}.") if what else _("{answer} is not right.")
        ).format(answer=_named(name, shown), direction=what)
    else:
        count = (
            _("1 of {n} values differs") if len(wrong) == 1 else _("{k} of {n} values differ")
        ).format(k=len(wrong), n=close.size)
        template = (
            _(
                "{name} is not right: {count}; the first is at index {index}, where {name} "
                "has {value} ({direction})."
            )
            if what
            else _(
                "{name} is not right: {count}; the first is at index {index}, where {name} "
                "has {value}."
            )
        )
        problem = template.format(
            name=_called(name), count=count, index=shown_index, value=shown, direction=what
        )
    _fail(problem, hint, diagnosis="wrong-values", reveal=reveal, expected=shown_expected)


def check_choice(
    answer: Any,
    expected: Any,
    *,
    options: Sequence[Any],
    name: str = N_("your choice"),
    hint: str | None = None,
    reveal: bool = False,
) -> None:
    """Check a multiple-choice answer, for example a prediction question.

    Strings are compared without regard to case or surrounding spaces. An answer that is
    not among ``options`` gets the options listed (they are part of the task); a wrong
    option is only said to be wrong.

    Raises:
        ValueError: if ``expected`` is not one of ``options``.

    Example:
        >>> check_choice("B ", "b", options=["a", "b", "c"])
        >>> check_choice("d", "b", options=["a", "b", "c"])
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: your choice, 'd', is not one of the options: 'a', 'b', 'c'.
        >>> check_choice("c", "b", options=["a", "b", "c"], name="pick")
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: pick = 'c' is not the right choice.
    """
    _require_text(name, "name", "check_choice")
    _require_text(hint, "hint", "check_choice", optional=True)
    _require_sequence(options, "options", "check_choice")
    if len(options) == 0:
        raise ValueError(_("check_choice: options must not be empty"))

    def normal(value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    choices = [normal(option) for option in options]
    if normal(expected) not in choices:
        raise ValueError(
            _("check_choice: expected {expected} is not one of the options {options}").format(
                expected=repr(expected), options=list(options)
            )
        )
    _record("check_choice", expected)
    _require_answer(answer, name)
    shown = _named(name, _short(answer))
    try:
        known = normal(answer) in choices
    except Exception:  # an answer that cannot be compared, e.g. an array
        known = False
    if not known:
        listed = ", ".join(_short(option) for option in options)
        _fail(
            _("{answer} is not one of the options: {options}.").format(
                answer=shown, options=listed
            ),
            hint,
            diagnosis="not-an-option",
            reveal=reveal,
            expected=repr(expected),
        )
    if normal(answer) != normal(expected):
        _fail(
            _("{answer} is not the right choice.").format(answer=shown),
            hint,
            diagnosis="wrong-choice",
            reveal=reveal,
            expected=repr(expected),
        )


def _not_a_model(model: Any, name: str, what: str, hint: str | None) -> None:
    shown = _short(model)
    described = (
        _a_kind(model)
        if shown.startswith(_kind(model))
        else _("{type} ({value})").format(type=_a_kind(model), value=shown)
    )
    _fail(
        _("{name} is not {what}: it is {type}.").format(
            name=_called(name), what=_(what), type=described
        ),
        hint,
        diagnosis="not-a-model",
    )


def keras_model(model: Any, name: str, hint: str | None = None) -> Any:
    """Return ``model`` if it is a Keras model with weights.

    The one "is it a Keras model?" test of the course's checks.

    Raises:
        NotAnswered: if ``model`` is a placeholder, or a Keras model without weights yet.
        WrongAnswer: if it is not a Keras model (diagnosis ``"not-a-model"``).

    Example:
        >>> try:
        ...     keras_model(3, "my_model")
        ... except WrongAnswer as error:
        ...     print(error.diagnosis, "|", error)
        not-a-model | my_model is not a Keras model: it is an int (3).
    """
    _require_answer(model, name)
    try:
        import keras
    except ImportError:  # pragma: no cover - keras is a dependency
        keras = None
    if keras is None or not isinstance(model, keras.Model):
        _not_a_model(model, name, N_("a Keras model"), hint)
    if not model.built:
        raise NotAnswered(
            _(
                "Not answered yet: {name} has no weights yet. Start it with keras.Input(...) "
                "so that Keras knows the input shape."
            ).format(name=_called(name))
        )
    return model


_keras_model_or_fail = keras_model


def check_model(
    model: Any,
    *,
    n_params: int | None = None,
    layer_types: Sequence[str] | None = None,
    output_shape: Sequence[int | None] | None = None,
    name: str = N_("the model"),
    hint: str | None = None,
    reveal: bool = False,
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
        reveal: add what was expected to the message (for instructors).

    A wrong model's message gives what the model has (its layers, its output shape, its
    parameter count) and what is off (too many layers, which layer, which axis, too few
    parameters), never what was expected.

    Raises:
        NotAnswered: if ``model`` is a placeholder or has no weights yet.
        WrongAnswer: if it is not a Keras model or differs in what was asked.
        TypeError: if ``n_params``, ``layer_types`` or ``output_shape`` are of the wrong kind.

    Example:
        >>> import keras  # doctest: +SKIP
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])  # doctest: +SKIP
        >>> check_model(model, n_params=15, layer_types=["Dense"])  # doctest: +SKIP
        >>> check_model(model, n_params=20, name="m")  # doctest: +SKIP
        Traceback (most recent call last):
        ...
        course_utils.checks.WrongAnswer: m has 15 parameters: that is too few.
    """
    _require_text(name, "name", "check_model")
    _require_text(hint, "hint", "check_model", optional=True)
    if n_params is not None and (
        isinstance(n_params, bool) or not isinstance(n_params, numbers.Integral)
    ):
        raise TypeError(
            _("check_model: n_params must be an integer or None, not {type} {value}").format(
                type=_kind(n_params), value=_short(n_params)
            )
        )
    if layer_types is not None:
        _require_sequence(layer_types, "layer_types", "check_model")
        if not all(isinstance(t, str) for t in layer_types):
            raise TypeError(
                _("check_model: layer_types must be class names (strings), not {value}").format(
                    value=_short(layer_types)
                )
            )
    if output_shape is not None:
        output_shape = _expected_shape(output_shape, "check_model")
    model = _keras_model_or_fail(model, name, hint)
    if layer_types is not None:
        actual_types = [
            type(layer).__name__ for layer in model.layers if type(layer).__name__ != "InputLayer"
        ]
        expected_types = list(layer_types)
        if actual_types != expected_types:
            if len(actual_types) != len(expected_types):
                more = len(actual_types) > len(expected_types)
                problem = (
                    _("there are too many of them") if more else _("there are too few of them")
                )
            else:
                pairs = zip(actual_types, expected_types, strict=True)
                first = next(i for i, (a, b) in enumerate(pairs) if a != b)
                problem = _("layer {number} ({type}) is not the right kind").format(
                    number=first + 1, type=actual_types[first]
                )
            _fail(
                _("the layers of {name} ({layers}) are not right: {problem}.").format(
                    name=_called(name), layers=", ".join(actual_types) or _("none"), problem=problem
                ),
                hint,
                diagnosis="wrong-layers",
                reveal=reveal,
                expected=", ".join(expected_types),
            )
    if output_shape is not None:
        actual = model.output_shape
        if isinstance(actual, list):
            problem = _("the model has several outputs")
        else:
            actual = tuple(actual)
            problem = _shape_problem(actual, output_shape)
        if problem:
            _fail(
                _("the output shape of {name} is {shape}: {problem}.").format(
                    name=_called(name), shape=actual, problem=problem
                ),
                hint,
                diagnosis="wrong-output-shape",
                reveal=reveal,
                expected=str(output_shape),
            )
    if n_params is not None:
        actual = model.count_params()
        if actual != n_params:
            message = (
                _("{name} has {count} parameters: that is too few.")
                if actual < n_params
                else _("{name} has {count} parameters: that is too many.")
            )
            _fail(
                message.format(name=_called(name), count=f"{actual:,}"),
                hint,
                diagnosis="too-few-parameters" if actual < n_params else "too-many-parameters",
                reveal=reveal,
                expected=_("{count} parameters").format(count=f"{int(n_params):,}"),
            )


# --- scores ------------------------------------------------------------------------------

# Words in the name of a Keras loss or metric (lowercase, underscores removed) that say
# whether the model classifies or regresses.
_CLASSIFICATION_WORDS = ("crossentropy", "hinge", "accuracy", "auc", "precision", "recall")
_CLASSIFICATION_NAMES = {"acc"}
_REGRESSION_WORDS = ("meansquared", "meanabsolute", "huber", "logcosh", "poisson", "r2score")
_REGRESSION_NAMES = {"mse", "mae", "mape", "msle", "rmse", "r2"}

# Layer variables whose initializer attribute is not ``<variable name>_initializer``.
_INITIALIZER_ATTRIBUTES = {"recurrent_kernel": "recurrent_initializer"}


def _objective_names(value: Any) -> list[str]:
    """The names of a compiled loss or metrics: strings, objects, functions, lists, dicts."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [n for item in value.values() for n in _objective_names(item)]
    if isinstance(value, (list, tuple)):
        return [n for item in value for n in _objective_names(item)]
    if isinstance(value, str):
        text = value
    else:
        text = getattr(value, "name", None) or getattr(value, "__name__", None)
        text = text if isinstance(text, str) else type(value).__name__
    return [text.lower().replace("_", "")]


def _task_of(names: list[str]) -> str | None:
    for text in names:
        if text in _CLASSIFICATION_NAMES or any(word in text for word in _CLASSIFICATION_WORDS):
            return "classification"
        if text in _REGRESSION_NAMES or any(word in text for word in _REGRESSION_WORDS):
            return "regression"
    return None


def _keras_task(model: Any) -> str:
    """ "regression" when the compiled loss (or else the metrics) say so; else classification."""
    if not getattr(model, "compiled", False):
        return "classification"
    task = _task_of(_objective_names(getattr(model, "loss", None)))
    if task is None:
        compiled_metrics = getattr(model, "_compile_metrics", None)
        task = _task_of(_objective_names(getattr(compiled_metrics, "_user_metrics", None)))
    return task or "classification"


def _own_variables(model: Any) -> list[tuple[Any, Any]]:
    """(layer, variable) for every variable of the model, each with the layer that owns it."""
    return [
        (layer, variable)
        for layer in model._flatten_layers(include_self=True, recursive=True)
        for variable in list(getattr(layer, "_trainable_variables", []))
        + list(getattr(layer, "_non_trainable_variables", []))
    ]


def _initial_value(layer: Any, variable: Any) -> np.ndarray | None:
    """The value ``variable`` got from its layer's initializer, computed again; None when
    the initializer is not known or not repeatable."""
    import keras

    short = str(variable.name).split("/")[-1]
    initializer = getattr(layer, _INITIALIZER_ATTRIBUTES.get(short, f"{short}_initializer"), None)
    if not isinstance(initializer, keras.initializers.Initializer) or isinstance(
        getattr(initializer, "seed", None), keras.random.SeedGenerator
    ):
        return None
    try:
        initial = np.asarray(initializer(tuple(variable.shape), dtype=variable.dtype))
    except Exception:
        return None
    return initial if initial.shape == tuple(variable.shape) else None


def _same(a: np.ndarray, b: Any) -> bool:
    return np.array_equal(a, np.asarray(b), equal_nan=True)


def _keras_weights_changed(model: Any) -> bool:
    """Whether some weight no longer holds the value its initializer gave it.

    Keras initializers without a seed draw one when they are created and give the same
    values on every call, so calling a layer's ``kernel_initializer`` (and the like) again
    reproduces the weight's initial value without storing it. Some layers initialize a
    weight otherwise (an LSTM's forget-gate bias starts at 1, attention layers adapt the
    kernel initializer's fans), so once a weight differs, a fresh clone of the model tells
    whether this kind of weight is reproduced at all; only then does the difference count.
    Without a clone (a subclassed model) every weight with a ``<name>_initializer``
    counts, except the bias of a recurrent layer with ``unit_forget_bias``.
    """
    import keras

    try:
        variables = _own_variables(model)
    except Exception:  # pragma: no cover - a private Keras API
        return False
    reference: list[tuple[Any, Any]] | None = None
    for index, (layer, variable) in enumerate(variables):
        initial = _initial_value(layer, variable)
        if initial is None or _same(initial, variable):
            continue
        if reference is None:  # the clone is made only once a weight differs
            try:
                reference = _own_variables(keras.models.clone_model(model))
            except Exception:
                reference = []
            if [str(v.name) for _, v in reference] != [str(v.name) for _, v in variables]:
                reference = []
        if reference:
            fresh_layer, fresh_variable = reference[index]
            fresh_initial = _initial_value(fresh_layer, fresh_variable)
            if fresh_initial is None or not _same(fresh_initial, fresh_variable):
                continue  # this kind of weight does not start at its initializer's value
        elif str(variable.name).endswith("bias") and getattr(layer, "unit_forget_bias", False):
            continue
        return True
    return False


def training_steps(model: Any) -> int:
    """How many weight updates the model's optimizer has made: 0 for a model that was never
    compiled or trained. Restored with the optimizer by ``keras.models.load_model``; a
    model whose weights were only set (``set_weights``, ``load_weights`` of a
    ``.weights.h5`` file into an uncompiled model) has 0."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return 0
    try:
        return int(np.asarray(optimizer.iterations))
    except Exception:  # pragma: no cover - an optimizer without iterations
        return 0


def is_trained(model: Any) -> bool:
    """Whether a Keras model has been trained: its optimizer has taken a step, or its
    weights are no longer the ones it was initialized with (restored with
    ``load_weights`` or ``set_weights``, or loaded with ``keras.models.load_model``).

    The one "is it trained?" test of the course's checks (:func:`check_score` uses it).
    A model the grader read back from a file carries the answer of this test in the
    student's kernel (its initializers, drawn anew when it was loaded, can no longer tell).
    """
    if training_steps(model) > 0:
        return True
    recorded = getattr(model, "_course_trained", None)
    if recorded is not None:
        return bool(recorded)
    return _keras_weights_changed(model)


_keras_trained = is_trained


def _r2(y_true: Any, y_pred: Any) -> float:
    from sklearn.metrics import r2_score

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_pred.shape != y_true.shape and y_pred.size == y_true.size:
        y_pred = y_pred.reshape(y_true.shape)
    return float(r2_score(y_true, y_pred))


def _keras_accuracy(labels: Any, probabilities: np.ndarray) -> float:
    if probabilities.ndim == 2 and probabilities.shape[1] > 1:
        predicted = probabilities.argmax(axis=1)
    else:
        predicted = (probabilities.reshape(-1) >= 0.5).astype(int)
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)
    labels = labels.reshape(-1)
    if labels.shape != predicted.shape:
        raise ValueError(
            _("check_score: x gives {predictions} predictions but y has {labels} labels").format(
                predictions=predicted.size, labels=labels.size
            )
        )
    return float(np.mean(predicted == labels))


def _metric_name(metric: Any, task: str) -> str:
    if callable(metric):
        return getattr(metric, "__name__", _("score")).replace("_", " ")
    if metric == "r2" or (metric is None and task == "regression"):
        return "R²"
    if metric == "accuracy" or (metric is None and task == "classification"):
        return _("accuracy")
    return _("score")


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return _short(text[0], 160).strip("'\"") if text else type(error).__name__


def check_score(
    model: Any,
    x: Any,
    y: Any,
    *,
    minimum: float,
    name: str = N_("the model"),
    hint: str | None = None,
    metric: str | Callable[[Any, Any], float] | None = None,
    reveal: bool = False,
) -> float:
    """Check that a fitted model reaches at least ``minimum`` on (x, y).

    The score is accuracy for a classifier and R² for a regressor, and the message names
    the one computed. Scikit-learn estimators are scored with their ``.score`` (accuracy
    for classifiers, R² for regressors, as ``sklearn.base.is_regressor`` tells). A Keras
    model is a regressor when its compiled loss (or else its metrics) is a regression one
    (mean squared or absolute error, Huber, ...), otherwise a classifier: the argmax of
    softmax outputs, or a 0.5 threshold on a single sigmoid output; ``y`` may be labels or
    one-hot rows. ``metric="accuracy"``, ``"r2"`` or a function ``metric(y, predictions)``
    (higher is better) chooses the score instead.

    A Keras model counts as trained when its optimizer has taken a step or when its
    weights are no longer those it was initialized with (restored with ``load_weights``
    or ``set_weights``, or loaded with ``keras.models.load_model``).

    Returns:
        The score, so the caller can show it.

    Raises:
        NotAnswered: if ``model``, ``x`` or ``y`` is a placeholder, or the model has not
            been fitted.
        WrongAnswer: if it is not a model, cannot predict ``x``, or scores below
            ``minimum`` (the message states the threshold: it is part of the task).

    Example:
        >>> from sklearn.linear_model import LogisticRegression
        >>> x, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> round(check_score(LogisticRegression().fit(x, y), x, y, minimum=0.75), 2)
        1.0
        >>> try:
        ...     check_score(LogisticRegression().fit(x, y), x, [0, 1, 1, 0], minimum=0.75)
        ... except WrongAnswer as wrong:
        ...     print(wrong)
        the accuracy of the model is 0.5, below the 0.75 the exercise asks for.
    """
    _require_text(name, "name", "check_score")
    _require_text(hint, "hint", "check_score", optional=True)
    _require_real(minimum, "minimum", "check_score")
    if not (metric is None or callable(metric) or metric in ("accuracy", "r2")):
        raise ValueError(
            _(
                'check_score: metric must be None, "accuracy", "r2" or a function, not {value}'
            ).format(value=repr(metric))
        )
    _require_answer(model, name)
    _require_answer(x, "x")
    _require_answer(y, "y")
    if hasattr(model, "fit") and hasattr(model, "score") and not hasattr(model, "predict_on_batch"):
        from sklearn.base import is_classifier, is_regressor
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted

        try:
            check_is_fitted(model)
        except NotFittedError:
            raise NotAnswered(
                _("Not answered yet: {name} has not been fitted; call .fit(...) first.").format(
                    name=_called(name)
                )
            ) from None
        except TypeError:
            _not_a_model(model, name, N_("a scikit-learn estimator or a Keras model"), hint)
        task = (
            "regression"
            if is_regressor(model)
            else "classification"
            if is_classifier(model)
            else "other"
        )
        try:
            if metric is None:
                score = float(model.score(x, y))
            elif metric == "accuracy":
                score = float(np.mean(np.asarray(model.predict(x)) == np.asarray(y)))
            elif metric == "r2":
                score = _r2(y, model.predict(x))
            else:
                score = float(metric(y, model.predict(x)))
        except Exception as error:
            _fail(
                _("{name} could not be scored on x: {error}").format(
                    name=_called(name), error=_first_line(error)
                ),
                hint,
                diagnosis="cannot-score",
            )
    else:
        model = _keras_model_or_fail(model, name, hint)
        if not _keras_trained(model):
            raise NotAnswered(
                _(
                    "Not answered yet: {name} has not been trained; compile it and call "
                    ".fit(...) first."
                ).format(name=_called(name))
            )
        task = _keras_task(model)
        try:
            predictions = np.asarray(model.predict(x, verbose=0))
        except Exception as error:
            _fail(
                _("{name} could not make predictions for x: {error}").format(
                    name=_called(name), error=_first_line(error)
                ),
                hint,
                diagnosis="cannot-predict",
            )
        if callable(metric):
            score = float(metric(y, predictions))
        elif metric == "r2" or (metric is None and task == "regression"):
            score = _r2(y, predictions)
        else:
            score = _keras_accuracy(y, predictions)
    if not score >= minimum:
        label = _metric_name(metric, task)
        _fail(
            _(
                "the {metric} of {name} is {score}, below the {minimum} the exercise asks for."
            ).format(
                metric=label,
                name=_called(name),
                score=_show_number(score, minimum, digits=3),
                minimum=_show_number(minimum),
            ),
            hint,
            diagnosis="score-below-minimum",
        )
    return score
