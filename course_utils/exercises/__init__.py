"""The course's exercise checks, kept out of the notebooks.

A lesson's check cell names its exercise and hands over the notebook's variables::

    from course_utils import exercises
    exercises.check("ex-tab-updates", globals())

The check itself lives in this package (one module per lesson, ``lesson01`` ... ``lesson09``),
so the expected answer is not in plain sight in the notebook, the website or a student
notebook, and the batch grader (:mod:`course_utils.grade`) runs these checks, never the
check cells of a submission. A check takes the names it needs from the namespace: the
student's answers and, where it must compare with the lesson's own objects (the training
data, the lesson's baseline model), those too. A name that is missing or still ``...``
means "not answered yet".

A check passes silently. A wrong answer raises :class:`~course_utils.checks.WrongAnswer`
with a sentence that says what is wrong and gives a hint, without the expected answer; an
answer not given yet raises :class:`~course_utils.checks.NotAnswered`.

Every exercise carries wrong answers of its own, in hidden cells of its lesson::

    exercises.assert_rejects("ex-tab-minmax", globals(), minmax_pipeline=baseline_pipeline)

which fails unless the check rejects that answer with ``WrongAnswer``.

Writing a check (see the instructor guide)::

    @exercise("ex-tab-updates", answers=["updates_per_epoch"])
    def _(updates_per_epoch):
        checks.check_number(updates_per_epoch, 13, name="updates_per_epoch", hint="...")

Parameters of the function are looked up in the namespace by name; those listed in
``answers`` are the student's (a placeholder there is "not answered yet"), the others are
the lesson's context.
"""

from __future__ import annotations

import importlib
import inspect
import numbers
import pkgutil
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils.checks import (
    AnswerError,
    NotAnswered,
    WrongAnswer,
    is_placeholder,
    recording_expected,
)

__all__ = [
    "Exercise",
    "all_exercises",
    "answers_in_sight",
    "assert_answers_hidden",
    "assert_not_answered",
    "assert_rejects",
    "check",
    "exercise",
    "expected_values",
    "get",
]

Check = Callable[..., None]


@dataclass(frozen=True)
class Exercise:
    """A registered exercise: its label, the check, and which of its inputs are answers."""

    label: str
    function: Check
    answers: tuple[str, ...]
    context: tuple[str, ...]
    stated: tuple[Any, ...] = ()  # values the task itself gives (not searched for)

    def run(self, namespace: Mapping[str, Any]) -> None:
        """Run the check on the values the namespace holds; raise an AnswerError if wrong."""
        values = {}
        for name in self.answers:
            if name not in namespace:
                raise NotAnswered(f"Not answered yet: define {name} (it does not exist yet).")
            if is_placeholder(namespace[name]):
                value = namespace[name]
                shown = "..." if value is Ellipsis else repr(value)
                raise NotAnswered(
                    f"Not answered yet: replace the {shown} placeholder of {name} with your answer."
                )
            values[name] = namespace[name]
        for name in self.context:
            if name not in namespace:
                raise NotAnswered(
                    f"Not answered yet: {name} from the lesson is missing; run the lesson's "
                    "cells above the exercise first."
                )
            values[name] = namespace[name]
        self.function(**values)


_REGISTRY: dict[str, Exercise] = {}


def exercise(
    label: str, *, answers: list[str], stated: Sequence[Any] = ()
) -> Callable[[Check], Check]:
    """Register ``function`` as the check of the exercise ``label``.

    ``answers`` names the parameters that the student provides; every other parameter is
    taken from the lesson. ``stated`` lists expected values that the task itself gives (a
    number the question is about, such as the best epoch in "the loss is lowest in epoch
    12"): :func:`assert_answers_hidden` does not search for them. Registering one label
    twice is an error.
    """

    def register(function: Check) -> Check:
        parameters = list(inspect.signature(function).parameters)
        unknown = [name for name in answers if name not in parameters]
        if unknown:
            raise ValueError(
                f"exercise {label!r}: answers {unknown} are not parameters of its check "
                f"(parameters: {parameters})"
            )
        if label in _REGISTRY and _REGISTRY[label].function.__module__ != function.__module__:
            raise ValueError(f"exercise {label!r} is registered twice")
        context = tuple(name for name in parameters if name not in answers)
        _REGISTRY[label] = Exercise(label, function, tuple(answers), context, tuple(stated))
        return function

    return register


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("lesson"):
            importlib.import_module(f"{__name__}.{module.name}")


def all_exercises() -> dict[str, Exercise]:
    """Every registered exercise, by label."""
    _load_all()
    return dict(_REGISTRY)


def get(label: str) -> Exercise:
    """The exercise registered under ``label``; a KeyError names the known labels."""
    exercises = all_exercises()
    if label not in exercises:
        known = ", ".join(sorted(exercises))
        raise KeyError(f"no exercise is labelled {label!r}; known labels: {known}")
    return exercises[label]


def check(label: str, namespace: Mapping[str, Any]) -> None:
    """Check the answer to exercise ``label`` with the variables in ``namespace``.

    Passes silently on a right answer; raises :class:`~course_utils.checks.WrongAnswer`
    or :class:`~course_utils.checks.NotAnswered` otherwise.

    Example (an exercise registered the way the lesson modules do it):
        >>> from course_utils import checks
        >>> @exercise("ex-demo-sum", answers=["total"])
        ... def _(total):
        ...     checks.check_number(total, 4, name="total", hint="add the two numbers.")
        >>> check("ex-demo-sum", {"total": 4})
        >>> check("ex-demo-sum", {"total": ...})
        Traceback (most recent call last):
        ...
        course_utils.checks.NotAnswered: Not answered yet: replace the ... placeholder of total with your answer.
    """
    with recording_expected() as recorded:
        get(label).run(namespace)
    _EXPECTED[label] = list(recorded)  # only a passing check's: the solution's answers


# label -> the expected values (check name, value) of its last passing check in this process.
_EXPECTED: dict[str, list[tuple[str, Any]]] = {}


def expected_values() -> dict[str, list[tuple[str, Any]]]:
    """The expected values of every exercise whose check passed in this process, by label.

    Recorded by :func:`check` (through :func:`course_utils.checks.recording_expected`);
    :func:`assert_answers_hidden` searches a student notebook for them.
    """
    return {label: list(values) for label, values in _EXPECTED.items()}


def _number_patterns(value: float) -> list[str]:
    """Regular expressions for the ways a notebook could write ``value`` distinctively."""
    if not np.isfinite(value):
        return []
    if float(value).is_integer():
        whole = int(value)
        if abs(whole) < 10:  # small counts (2 layers, 3 classes) are everywhere in a lesson
            return []
        forms = {str(whole), f"{whole:,}", f"{whole:_}"}
        return [rf"(?<![\w.,]){re.escape(form)}(?![\w]|[.,]\d)" for form in forms]
    forms = {f"{value:.3g}", f"{value:.4g}", repr(float(value))}
    forms = {form for form in forms if len(form.replace("-", "").lstrip("0.")) >= 3}
    return [rf"(?<![\w.]){re.escape(form)}(?!\d)" for form in forms]


def _patterns(function: str, expected: Any) -> list[str]:
    if function == "check_choice":
        if isinstance(expected, str) and len(expected.strip()) >= 2:
            text = re.escape(expected.strip())
            return [rf"(?i)(['\"]){text}\1"]  # as a quoted literal in code
        return []
    array = np.asarray(expected, dtype=object if function == "check_shape" else None)
    if array.size == 1 and array.dtype.kind in "iuf":
        return _number_patterns(float(array.reshape(-1)[0]))
    values = [v for v in array.reshape(-1).tolist() if isinstance(v, numbers.Real)]
    if len(values) < 2 or (function != "check_shape" and len(values) > 50):
        return []
    if all(abs(float(v)) < 10 and float(v).is_integer() for v in values) and len(values) < 3:
        return []
    shown = [str(int(v)) if float(v).is_integer() else f"{v:.3g}" for v in values]
    return [r"(?<![\w.])" + r"\W{1,3}".join(re.escape(v) for v in shown) + r"(?![\w]|\.\d)"]


def answers_in_sight(
    cells: Sequence[Mapping[str, str]], expected: Mapping[str, list[tuple[str, Any]]]
) -> list[str]:
    """Where the cells show an expected answer: one line per answer found.

    ``cells`` are ``{"cell_type": ..., "source": ...}`` mappings (a student notebook's
    cells); ``expected`` is what :func:`expected_values` returns. A number counts as shown
    when the text has it as a whole number (10 or more; with or without thousands
    separators) or, for a fraction, to 3 or 4 significant digits; an array or shape when
    its values appear in order; a choice when code has it as a quoted string.

    Example:
        >>> cells = [{"cell_type": "markdown", "source": "The model has 1,931 weights."}]
        >>> answers_in_sight(cells, {"ex-a": [("check_number", 1931)], "ex-b": [("check_number", 19)]})
        ["ex-a: the expected 1931 (check_number) is shown in cell 0: 'The model has 1,931 weights.'"]
    """
    found = []
    for label, values in expected.items():
        for function, value in values:
            for pattern in _patterns(function, value):
                for index, cell in enumerate(cells):
                    if function == "check_choice" and cell.get("cell_type") != "code":
                        continue
                    match = re.search(pattern, cell.get("source", ""))
                    if match:
                        source = cell["source"]
                        line = source[source.rfind("\n", 0, match.start()) + 1 :].split("\n")[0]
                        shown = value.tolist() if isinstance(value, np.ndarray) else value
                        found.append(
                            f"{label}: the expected {shown!r} ({function}) is shown in cell "
                            f"{index}: {line.strip()[:120]!r}"
                        )
    return sorted(set(found))


def _is_stated(value: Any, stated: Sequence[Any]) -> bool:
    for given in stated:
        try:
            if np.array_equal(np.asarray(value, dtype=object), np.asarray(given, dtype=object)):
                return True
        except (TypeError, ValueError):  # pragma: no cover - values that cannot be compared
            continue
    return False


def assert_answers_hidden(
    cells: Sequence[Mapping[str, str]], labels: Sequence[str] | None = None
) -> int:
    """Fail if the cells (a student notebook's) show an answer a passing check expected.

    Searches for the expected values that :func:`check` recorded in this process, for the
    exercises ``labels`` (default all recorded), less those their tasks state (the
    ``stated`` values of :func:`exercise`). Returns how many expected values were
    searched for; an AssertionError lists each one found (see :func:`answers_in_sight`).
    """
    recorded = expected_values()
    chosen = {
        label: [(f, v) for f, v in recorded[label] if not _is_stated(v, get(label).stated)]
        for label in (labels or recorded)
        if label in recorded
    }
    missing = [label for label in (labels or []) if label not in recorded]
    if missing:
        raise AssertionError(f"no passing check recorded expected values for {missing}")
    shown = answers_in_sight(cells, chosen)
    if shown:
        raise AssertionError("a student notebook shows expected answers:\n" + "\n".join(shown))
    return sum(len(values) for values in chosen.values())


def assert_rejects(label: str, namespace: Mapping[str, Any], **wrong: Any) -> str:
    """Fail unless exercise ``label``'s check rejects the wrong answer given as keywords.

    The namespace is left as it is: the wrong values replace the namesakes only for this
    call. Returns the check's message, which must not be empty. An answer that is accepted,
    reported as not answered, or that makes the check crash is an AssertionError that says
    so.

    Example:
        >>> from course_utils import checks
        >>> @exercise("ex-demo-sum", answers=["total"])
        ... def _(total):
        ...     checks.check_number(total, 4, name="total", hint="add the two numbers.")
        >>> message = assert_rejects("ex-demo-sum", {}, total=5)
        >>> "5" in message and "add the two numbers" in message
        True
    """
    exercise_ = get(label)
    unknown = [name for name in wrong if name not in exercise_.answers + exercise_.context]
    if unknown:
        raise ValueError(f"{label}: {unknown} are not inputs of its check {exercise_.answers}")
    try:
        exercise_.run({**namespace, **wrong})
    except WrongAnswer as error:
        message = str(error)
        if not message.strip():
            raise AssertionError(
                f"{label}: the check rejected the wrong answer silently"
            ) from error
        return message
    except NotAnswered as error:
        raise AssertionError(
            f"{label}: a wrong answer ({', '.join(wrong)}) was reported as not answered: {error}"
        ) from error
    except AnswerError as error:  # pragma: no cover - no other kind exists today
        return str(error)
    raise AssertionError(f"{label}: the check accepted a wrong answer ({', '.join(wrong)})")


def assert_not_answered(label: str, namespace: Mapping[str, Any]) -> str:
    """Fail unless exercise ``label``'s check reports "not answered yet" on ``namespace``.

    Used where a student notebook is executed by the tests: with the stubs in place, every
    check must raise :class:`~course_utils.checks.NotAnswered` and nothing else.
    Returns its message.

    Example:
        >>> from course_utils import checks
        >>> @exercise("ex-demo-sum", answers=["total"])
        ... def _(total):
        ...     checks.check_number(total, 4, name="total", hint="add the two numbers.")
        >>> assert_not_answered("ex-demo-sum", {"total": ...})
        'Not answered yet: replace the ... placeholder of total with your answer.'
    """
    try:
        get(label).run(namespace)
    except NotAnswered as error:
        return str(error)
    except Exception as error:
        raise AssertionError(
            f"{label}: with the stubs in place the check should say 'not answered yet', "
            f"but it raised {type(error).__name__}: {error}"
        ) from error
    raise AssertionError(f"{label}: with the stubs in place the check passed")
