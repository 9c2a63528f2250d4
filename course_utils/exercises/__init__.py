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

A passing check says so in one line ("✔ ex-tab-updates: right."). A wrong answer raises
:class:`~course_utils.checks.WrongAnswer` with a sentence that says what is wrong and
gives a hint, without the expected answer; an answer not given yet raises
:class:`~course_utils.checks.NotAnswered`. In a notebook the error shows as that one line,
never as a traceback (which would show the check's code): :func:`show_verdicts_briefly`,
which ``course_utils.setup`` and :func:`check` call, tells IPython so. Messages are in the
course's current language (:mod:`course_utils.i18n`).

**Known mistakes are data.** Each exercise lists the mistakes its check recognises, next
to the check, as :class:`Mistake` entries: an id, the message (marked for translation with
``N_``), and a test of the answers. The check tests them in order before its own
comparison, and the error it raises carries the mistake's id as its ``diagnosis``. Every
exercise carries wrong answers of its own, in hidden cells of its lesson, each naming the
diagnosis it must get::

    exercises.assert_rejects(
        "ex-tab-updates", globals(), diagnosis="full-batches-only", updates_per_epoch=12
    )

which fails unless the check rejects that answer with exactly that diagnosis; the tests
check that every known mistake of every exercise is named by one of its lesson's wrong
answers.

Writing a check (see the instructor guide)::

    @exercise(
        "ex-tab-updates",
        answers=["updates_per_epoch"],
        mistakes=[
            Mistake(
                "full-batches-only",
                N_("updates_per_epoch counts only the full batches. Hint: ..."),
                lambda updates_per_epoch: is_number(updates_per_epoch, 206 // 16),
            ),
        ],
    )
    def _(updates_per_epoch):
        checks.check_number(updates_per_epoch, 13, name="updates_per_epoch", hint=N_("..."))

Parameters of the function are looked up in the namespace by name; those listed in
``answers`` are the student's (a placeholder there is "not answered yet"), the others are
the lesson's context. A mistake's test takes any of them by name and returns something
true (or a dict of values for the message's ``{fields}``) when the mistake is present; a
mistake whose test is None is raised by the check itself, with :func:`reject`.
"""

from __future__ import annotations

import contextvars
import importlib
import inspect
import numbers
import pkgutil
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import numpy as np

from course_utils.checks import (
    GENERIC_DIAGNOSES,
    AnswerError,
    NotAnswered,
    WrongAnswer,
    is_placeholder,
    not_answered_placeholder,
    recording_expected,
)
from course_utils.exercises.answers import ProbedError, Unreadable
from course_utils.i18n import N_, _

__all__ = [
    "N_",
    "Exercise",
    "Mistake",
    "all_exercises",
    "answers_in_sight",
    "assert_answers_hidden",
    "assert_not_answered",
    "assert_rejects",
    "check",
    "exercise",
    "expected_values",
    "get",
    "reject",
    "show_verdicts_briefly",
]

Check = Callable[..., None]

_MISTAKE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Mistake:
    """A known mistake of an exercise: its id, the message a student gets, and its test.

    ``message`` is English, marked with ``N_`` so that it is translated when shown; it may
    hold ``{fields}`` that the test fills in by returning a dict. ``test`` takes any of the
    check's parameters by name and returns something true when the answer makes this
    mistake; None means the check raises it itself, with :func:`reject`.

    Example:
        >>> mistake = Mistake("off-by-one", N_("total is one off. Hint: count again."),
        ...                   lambda total: total in (41, 43))
        >>> mistake.applies({"total": 41}), mistake.applies({"total": 42})
        ({}, None)
    """

    id: str
    message: str
    test: Callable[..., Any] | None = None
    parameters: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _MISTAKE_ID.match(self.id):
            raise ValueError(
                f"a mistake's id is lower-case words joined by '-', like 'leaky-scaler'; "
                f"received {self.id!r}"
            )
        if self.id in GENERIC_DIAGNOSES:
            raise ValueError(f"mistake id {self.id!r} is one of the general checks' diagnoses")
        if not isinstance(self.message, str) or not self.message.strip():
            raise ValueError(f"mistake {self.id!r} needs a message")
        if self.test is not None:
            names = tuple(inspect.signature(self.test).parameters)
            object.__setattr__(self, "parameters", names)

    def applies(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The message's fields if the answers in ``values`` make this mistake, else None."""
        if self.test is None:
            return None
        found = self.test(**{name: values[name] for name in self.parameters})
        if not found:
            return None
        return dict(found) if isinstance(found, Mapping) else {}

    def error(self, fields: Mapping[str, Any] | None = None) -> WrongAnswer:
        """The WrongAnswer that reports this mistake, its message translated and filled in."""
        return WrongAnswer(_(self.message).format(**(fields or {})), diagnosis=self.id)


_running: contextvars.ContextVar[Exercise | None] = contextvars.ContextVar(
    "course_exercise", default=None
)


@dataclass(frozen=True)
class Exercise:
    """A registered exercise: its label, the check, which of its inputs are answers, and
    the known mistakes its check recognises."""

    label: str
    function: Check
    answers: tuple[str, ...]
    context: tuple[str, ...]
    stated: tuple[Any, ...] = ()  # values the task itself gives (not searched for)
    mistakes: tuple[Mistake, ...] = ()
    probes: Mapping[str, tuple[tuple[Any, ...], ...]] = field(default_factory=dict)

    def mistake(self, mistake_id: str) -> Mistake:
        """The known mistake ``mistake_id`` of this exercise; a KeyError names the known ids."""
        for mistake in self.mistakes:
            if mistake.id == mistake_id:
                return mistake
        known = ", ".join(m.id for m in self.mistakes) or "none"
        raise KeyError(f"{self.label} has no known mistake {mistake_id!r} (known: {known})")

    def values(self, namespace: Mapping[str, Any]) -> dict[str, Any]:
        """The check's inputs from ``namespace``; NotAnswered for a missing or placeholder
        answer, or missing lesson context."""
        values = {}
        for name in self.answers:
            if name not in namespace:
                raise NotAnswered(
                    _("Not answered yet: define {name} (it does not exist yet).").format(name=name)
                )
            if is_placeholder(namespace[name]):
                raise not_answered_placeholder(namespace[name], name)
            if isinstance(namespace[name], Unreadable):
                raise WrongAnswer(
                    _(
                        "the grader could not read your answer {name}: {reason}. Hint: store "
                        "in {name} what the exercise asks for (a number, an array, a Keras "
                        "model, a scikit-learn pipeline)."
                    ).format(name=name, reason=namespace[name].reason),
                    diagnosis="unreadable-answer",
                )
            values[name] = namespace[name]
        for name in self.context:
            if name not in namespace:
                raise NotAnswered(
                    _(
                        "Not answered yet: {name} from the lesson is missing; run the lesson's "
                        "cells above the exercise first."
                    ).format(name=name)
                )
            values[name] = namespace[name]
        return values

    def run(self, namespace: Mapping[str, Any]) -> None:
        """Run the check on the values the namespace holds; raise an AnswerError if wrong.

        The known mistakes are tested first, in order; then the check's own comparison
        runs. An error the check did not expect (the answer broke it) becomes a
        WrongAnswer with the diagnosis ``"check-failed"`` that names the error, so that a
        student sees one sentence, not a traceback of the check.
        """
        token = _running.set(self)
        try:
            values = self.values(namespace)
            for mistake in self.mistakes:
                fields = mistake.applies(values)
                if fields is not None:
                    raise mistake.error(fields)
            self.function(**values)
        except AnswerError as error:
            error.exercise = self.label
            raise
        except Exception as error:
            text = " ".join(str(error).split())[:200]
            if isinstance(error, ProbedError):  # the student's function raised it, as named
                shown = text
            else:
                shown = f"{type(error).__name__}: {text}" if text else type(error).__name__
            raise WrongAnswer(
                _(
                    "your answer could not be checked: using it raised {error}. Hint: compare "
                    "what you stored with what the exercise asks for (its kind, its shape)."
                ).format(error=shown),
                diagnosis="check-failed",
                exercise=self.label,
            ) from None
        finally:
            _running.reset(token)


def reject(mistake_id: str, **fields: Any) -> NoReturn:
    """Reject the answer being checked with the known mistake ``mistake_id`` of its
    exercise (for a mistake the check finds itself, in the middle of its comparison)."""
    current = _running.get()
    if current is None:
        raise RuntimeError("reject() is called inside an exercise's check")
    raise current.mistake(mistake_id).error(fields)


_REGISTRY: dict[str, Exercise] = {}


def exercise(
    label: str,
    *,
    answers: list[str],
    stated: Sequence[Any] = (),
    mistakes: Sequence[Mistake] = (),
    probes: Mapping[str, Sequence[Sequence[Any]]] | None = None,
) -> Callable[[Check], Check]:
    """Register ``function`` as the check of the exercise ``label``.

    ``answers`` names the parameters that the student provides; every other parameter is
    taken from the lesson. ``stated`` lists expected values that the task itself gives (a
    number the question is about, such as the best epoch in "the loss is lowest in epoch
    12"): :func:`assert_answers_hidden` does not search for them. ``mistakes`` are the known
    mistakes the check recognises (see :class:`Mistake`), tested in order before the
    check's own comparison. ``probes`` gives, for an answer that is a function, every
    call its check (and its mistakes' tests) make of it, as tuples of arguments: the grader
    takes the function's results on them from the student's kernel (see
    :mod:`course_utils.exercises.answers`). Registering one label twice is an error, and so
    are two mistakes with one id, a mistake whose test takes a name the check does not
    have, and probes of a name that is not an answer.
    """
    probes = {name: tuple(tuple(call) for call in calls) for name, calls in (probes or {}).items()}
    if not set(probes) <= set(answers):
        raise ValueError(
            f"exercise {label!r}: probes {sorted(set(probes) - set(answers))} are not answers"
        )

    def register(function: Check) -> Check:
        parameters = list(inspect.signature(function).parameters)
        unknown = [name for name in answers if name not in parameters]
        if unknown:
            raise ValueError(
                f"exercise {label!r}: answers {unknown} are not parameters of its check "
                f"(parameters: {parameters})"
            )
        ids = [mistake.id for mistake in mistakes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"exercise {label!r}: a mistake id occurs twice in {ids}")
        for mistake in mistakes:
            missing = [name for name in mistake.parameters if name not in parameters]
            if missing:
                raise ValueError(
                    f"exercise {label!r}: the test of mistake {mistake.id!r} takes {missing}, "
                    f"which the check does not (parameters: {parameters})"
                )
        if label in _REGISTRY and _REGISTRY[label].function.__module__ != function.__module__:
            raise ValueError(f"exercise {label!r} is registered twice")
        context = tuple(name for name in parameters if name not in answers)
        _REGISTRY[label] = Exercise(
            label, function, tuple(answers), context, tuple(stated), tuple(mistakes), probes
        )
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


def _verdict_line(error: AnswerError) -> str:
    """One line for a notebook: the mark, the exercise's label and the message."""
    where = f"{error.exercise}: " if error.exercise else ""
    if isinstance(error, NotAnswered):
        return f"\x1b[1;33m… {where}\x1b[0m{error}"
    return f"\x1b[1;31m✘ {where}\x1b[0m{error}"


def _show_verdict(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
    """IPython's handler of a check's error: the verdict in one line, no traceback."""
    line = _verdict_line(value) if isinstance(value, AnswerError) else str(value)
    shell._showtraceback(etype, value, [line])
    return [line]


def show_verdicts_briefly() -> bool:
    """In IPython (Jupyter, Colab), show a check's error as its one-line verdict instead of
    a traceback, at any ``%xmode``; the cell still fails, so "Run all" stops there as for
    any error. Returns False outside IPython, where errors propagate as usual.

    ``course_utils.setup`` calls it, and so does :func:`check`.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every notebook
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if getattr(shell, "custom_exceptions", ()) != (AnswerError,):
        shell.set_custom_exc((AnswerError,), _show_verdict)
    return True


#: Set to 1 (the lessons' executions in CI do) to run every check a second time on the
#: answers as the grader reads them (written to files and read back, see
#: :mod:`course_utils.exercises.answers`) and fail when the verdicts differ.
VERIFY_VARIABLE = "COURSE_VERIFY_ANSWERS"


def _outcome(exercise_: Exercise, namespace: Mapping[str, Any]) -> tuple[str, str]:
    """("passed", "") or the error's class name and diagnosis, for a run of the check."""
    try:
        exercise_.run(namespace)
    except AnswerError as error:
        return type(error).__name__, error.diagnosis
    return "passed", ""


def _as_the_grader_sees(
    exercise_: Exercise, namespace: Mapping[str, Any], live: tuple[str, str]
) -> None:
    """Fail if the check's verdict on the answers as the grader reads them is not ``live``."""
    import os

    if os.environ.get(VERIFY_VARIABLE) != "1":
        return
    from course_utils.exercises.answers import roundtrip

    present = {name: namespace[name] for name in exercise_.answers if name in namespace}
    graded = _outcome(exercise_, {**namespace, **roundtrip(present, exercise_.probes)})
    if graded != live:
        raise AssertionError(
            f"{exercise_.label}: the grader, reading the answers from files, would say "
            f"{graded}, the notebook says {live}: make the check compare values (not objects) "
            "and give a function answer its probes"
        )


def check(label: str, namespace: Mapping[str, Any]) -> None:
    """Check the answer to exercise ``label`` with the variables in ``namespace``.

    Prints one line on a right answer; raises :class:`~course_utils.checks.WrongAnswer`
    or :class:`~course_utils.checks.NotAnswered` otherwise (in a notebook shown as one
    line, see :func:`show_verdicts_briefly`).

    Example (an exercise registered the way the lesson modules do it):
        >>> from course_utils import checks
        >>> @exercise("ex-demo-sum", answers=["total"])
        ... def _(total):
        ...     checks.check_number(total, 4, name="total", hint="add the two numbers.")
        >>> check("ex-demo-sum", {"total": 4})
        ✔ ex-demo-sum: right.
        >>> check("ex-demo-sum", {"total": ...})
        Traceback (most recent call last):
        ...
        course_utils.checks.NotAnswered: Not answered yet: replace the ... placeholder of total with your answer.
    """
    show_verdicts_briefly()
    exercise_ = get(label)
    try:
        with recording_expected() as recorded:
            exercise_.run(namespace)
    except AnswerError as error:
        _as_the_grader_sees(exercise_, namespace, (type(error).__name__, error.diagnosis))
        raise
    _as_the_grader_sees(exercise_, namespace, ("passed", ""))
    _EXPECTED[label] = list(recorded)  # only a passing check's: the solution's answers
    print(_("✔ {label}: right.").format(label=label))


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


_NUMBERED_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+[^\d\n]*\d+[ \t]*$", re.MULTILINE)


def answers_in_sight(
    cells: Sequence[Mapping[str, str]], expected: Mapping[str, list[tuple[str, Any]]]
) -> list[str]:
    """Where the cells show an expected answer: one line per answer found.

    ``cells`` are ``{"cell_type": ..., "source": ...}`` mappings (a student notebook's
    cells); ``expected`` is what :func:`expected_values` returns. A number counts as shown
    when the text has it as a whole number (10 or more; with or without thousands
    separators) or, for a fraction, to 3 or 4 significant digits; an array or shape when
    its values appear in order; a choice when code has it as a quoted string. A markdown
    heading that ends in its only number (``### Exercise 17``, ``### 연습 17``) is the
    exercise's place in the lesson, not an answer, and is not searched.

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
                    source = cell.get("source", "")
                    if cell.get("cell_type") == "markdown":
                        source = _NUMBERED_HEADING.sub("", source)
                    match = re.search(pattern, source)
                    if match:
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


def assert_rejects(
    label: str, namespace: Mapping[str, Any], *, diagnosis: str | None = None, **wrong: Any
) -> str:
    """Fail unless exercise ``label``'s check rejects the wrong answer given as keywords,
    with the diagnosis ``diagnosis``: one of the exercise's known mistakes (a
    :class:`Mistake` id) or a general check's diagnosis (``"too-large"``,
    ``"wrong-shape"``, ... see ``course_utils.checks.GENERIC_DIAGNOSES``).

    The namespace is left as it is: the wrong values replace the namesakes only for this
    call. Returns the check's message, which must not be empty. An answer that is accepted,
    rejected with another diagnosis, reported as not answered, or that makes the check
    crash is an AssertionError that says so.

    Example:
        >>> from course_utils import checks
        >>> @exercise("ex-demo-sum", answers=["total"])
        ... def _(total):
        ...     checks.check_number(total, 4, name="total", hint="add the two numbers.")
        >>> message = assert_rejects("ex-demo-sum", {}, diagnosis="too-large", total=5)
        >>> "5" in message and "add the two numbers" in message
        True
        >>> assert_rejects("ex-demo-sum", {}, diagnosis="too-small", total=5)
        Traceback (most recent call last):
        ...
        AssertionError: ex-demo-sum: the wrong answer (total) was rejected as 'too-large', not 'too-small': total = 5 is not right: it is too large. Hint: add the two numbers.
    """
    exercise_ = get(label)
    unknown = [name for name in wrong if name not in exercise_.answers + exercise_.context]
    if unknown:
        raise ValueError(f"{label}: {unknown} are not inputs of its check {exercise_.answers}")
    if diagnosis is not None and diagnosis not in GENERIC_DIAGNOSES:
        exercise_.mistake(diagnosis)  # a KeyError names the exercise's known mistakes
    try:
        exercise_.run({**namespace, **wrong})
    except WrongAnswer as error:
        _as_the_grader_sees(exercise_, {**namespace, **wrong}, ("WrongAnswer", error.diagnosis))
        message = str(error)
        if not message.strip():
            raise AssertionError(
                f"{label}: the check rejected the wrong answer silently"
            ) from error
        if diagnosis is not None and error.diagnosis != diagnosis:
            raise AssertionError(
                f"{label}: the wrong answer ({', '.join(wrong)}) was rejected as "
                f"{error.diagnosis!r}, not {diagnosis!r}: {message}"
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
    exercise_ = get(label)
    try:
        exercise_.run(namespace)
    except NotAnswered as error:
        _as_the_grader_sees(exercise_, namespace, ("NotAnswered", error.diagnosis))
        return str(error)
    except Exception as error:
        raise AssertionError(
            f"{label}: with the stubs in place the check should say 'not answered yet', "
            f"but it raised {type(error).__name__}: {error}"
        ) from error
    raise AssertionError(f"{label}: with the stubs in place the check passed")
