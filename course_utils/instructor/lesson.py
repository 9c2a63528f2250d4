"""Reading the lesson: what the grader takes from the instructor's notebook.

The instructor's notebook (the lesson with its solutions) says which exercises there are,
in which order; which names each exercise's answers have and which calls of a function
answer its check makes (its registration: ``course_utils.exercises`` for the course's
lessons, or registration cells in the notebook itself); which cells build the lesson's
context (everything but solutions, checks and wrong answers), which the checker runs once;
and which data sets the lesson loads, so that the grader can fetch them before any sandbox
(which has no network) starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

__all__ = ["Lesson", "LessonError", "LessonExercise", "load_lesson"]

_REGISTRATION = re.compile(r"(?:@\s*|\bexercises\s*\.\s*)exercise\s*\(")
_DATA_LOADERS = {
    "load_heart": "load_heart",
    "load_heart_split": "load_heart",
    "load_mnist": "load_mnist",
}


class LessonError(ValueError):
    """The instructor's notebook cannot be used for grading."""


@dataclass
class LessonExercise:
    """One exercise: its label, the names of its answers, the probes of function answers,
    and the sources of its check cells (for a lesson whose checks are not registered)."""

    label: str
    answers: tuple[str, ...]
    probes: dict[str, tuple[tuple[Any, ...], ...]] = field(default_factory=dict)
    registered: bool = True
    check_sources: list[str] = field(default_factory=list)


@dataclass
class Lesson:
    """What the grader takes from the instructor's notebook."""

    path: Path
    exercises: list[LessonExercise]
    context_cells: list[str]  # the code the checker runs to build the lesson's context
    registrations: list[str] = field(default_factory=list)
    data_sets: tuple[str, ...] = ()
    language: str = "en"

    @property
    def labels(self) -> list[str]:
        return [exercise.label for exercise in self.exercises]

    def exercise(self, label: str) -> LessonExercise:
        return next(e for e in self.exercises if e.label == label)


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(line) for line in source)
    return source if isinstance(source, str) else ""


def _registered(registrations: list[str]) -> dict[str, Any]:
    """The course's registered exercises, and those the lesson's own cells register (run
    here, in the grader's process: they are the instructor's code)."""
    from IPython.core.inputtransformer2 import TransformerManager

    from course_utils import exercises

    known = dict(exercises.all_exercises())
    before = dict(exercises._REGISTRY)
    try:
        for source in registrations:
            code = TransformerManager().transform_cell(source)
            exec(compile(code, "<the lesson's checks>", "exec"), {"__name__": "course_lesson"})
        known.update(exercises._REGISTRY)
    except Exception as error:
        raise LessonError(f"the lesson's own checks cannot be registered: {error}") from None
    finally:
        exercises._REGISTRY.clear()
        exercises._REGISTRY.update(before)
    return known


def _bound(source: str) -> list[tuple[str, bool]]:
    """The names a solution cell's answer blocks bind, each with whether it is a function."""
    from course_utils.instructor.exercise_format import solution_blocks
    from course_utils.instructor.notebooks import _Bindings

    found = []
    for block in solution_blocks(source):
        bindings = _Bindings()
        bindings.statements(block.tree.body)
        found += [(name, node is not None) for name, node in bindings.functions.items()]
    return found


def load_lesson(path: Path) -> Lesson:
    """Read the instructor's notebook.

    Raises:
        LessonError: if the file cannot be read, breaks the exercise format or has no
            exercise.
    """
    from course_utils.instructor.exercise_format import CHECK, SOLUTION, WRONG_ANSWER, parse

    path = Path(path)
    if not path.is_file():
        raise LessonError(f"{path}: no such file")
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        raise LessonError(
            f"{path}: not a notebook ({' '.join(str(error).split())[:200]})"
        ) from None
    try:
        parsed = parse(notebook, str(path))
    except ValueError as error:
        raise LessonError(str(error)) from None
    if not parsed.exercises:
        raise LessonError(
            f"{path}: the lesson has no exercise (a markdown cell with an {{exercise}} "
            "directive and a :label:)"
        )
    code = [
        (cell, role)
        for cell, role in zip(notebook.cells, parsed.roles, strict=True)
        if cell.cell_type == "code"
    ]
    registrations = [_source(c) for c, _ in code if _REGISTRATION.search(_source(c))]
    registered = _registered(registrations)
    exercises = []
    for item in parsed.exercises:
        check_sources = [_source(notebook.cells[i]) for i in item.check_cells]
        if item.label in registered:
            known = registered[item.label]
            exercises.append(
                LessonExercise(item.label, tuple(known.answers), dict(known.probes), True, [])
            )
            continue
        names: list[str] = []
        for index in item.solution_cells:
            for name, function in _bound(_source(notebook.cells[index])):
                if function:
                    raise LessonError(
                        f"{path}: the answer {name} of {item.label} is a function, which the "
                        "grader knows only by its results on the calls its check makes: "
                        "register the check with course_utils.exercises.exercise(..., "
                        f"probes={{{name!r}: [...]}})"
                    )
                if name not in names:
                    names.append(name)
        exercises.append(LessonExercise(item.label, tuple(names), {}, False, check_sources))
    unchecked = [e.label for e in exercises if not e.registered and not any(e.check_sources)]
    if unchecked:
        raise LessonError(f"{path}: no check for {', '.join(unchecked)}")
    context = [_source(c) for c, role in code if role not in (SOLUTION, CHECK, WRONG_ANSWER)]
    text = "\n".join(context)
    data_sets = tuple(sorted({d for name, d in _DATA_LOADERS.items() if f"{name}(" in text}))
    language = str(notebook.metadata.get("language", "en"))
    return Lesson(path, exercises, context, registrations, data_sets, language)


def fetch_data(lesson: Lesson) -> None:
    """Fetch the data sets the lesson loads into the course's data folder (from the
    internet or the offline mirror), so that kernels without a network find them."""
    import course_utils

    for name in lesson.data_sets:
        getattr(course_utils, name)()
