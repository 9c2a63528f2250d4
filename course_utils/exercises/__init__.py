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
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from course_utils.checks import AnswerError, NotAnswered, WrongAnswer, is_placeholder

__all__ = [
    "Exercise",
    "all_exercises",
    "assert_not_answered",
    "assert_rejects",
    "check",
    "exercise",
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


def exercise(label: str, *, answers: list[str]) -> Callable[[Check], Check]:
    """Register ``function`` as the check of the exercise ``label``.

    ``answers`` names the parameters that the student provides; every other parameter is
    taken from the lesson. Registering one label twice is an error.
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
        _REGISTRY[label] = Exercise(label, function, tuple(answers), context)
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
    get(label).run(namespace)


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
