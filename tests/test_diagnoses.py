"""Diagnoses are data, and every one is tested: the known mistakes of each exercise's check
(``Mistake`` entries next to the check) against the wrong-answer cells of the lessons, which
name the diagnosis each must get (``exercises.assert_rejects(..., diagnosis=...)``).

A lesson's execution runs those cells, so a check that stops recognising a mistake fails
there; these fast tests make sure that no known mistake goes untested and that no wrong
answer names a diagnosis its check does not have.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest

from course_utils import exercises
from course_utils.checks import GENERIC_DIAGNOSES

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _rejections(path: Path) -> list[tuple[int, str, str | None]]:
    """(cell number, label, diagnosis or None) of every assert_rejects call in a lesson's
    wrong-answer cells."""
    found = []
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(notebook.cells):
        if "wrong-answer" not in cell.metadata.get("tags", []):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "assert_rejects"
            ):
                label = ast.literal_eval(node.args[0])
                named = [k.value for k in node.keywords if k.arg == "diagnosis"]
                found.append((number, label, ast.literal_eval(named[0]) if named else None))
    return found


def _named_by_lesson() -> dict[str, set[str]]:
    named: dict[str, set[str]] = defaultdict(set)
    for path in LESSONS:
        for _, label, diagnosis in _rejections(path):
            if diagnosis:
                named[label].add(diagnosis)
    return named


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_every_wrong_answer_names_a_diagnosis_its_check_has(path):
    problems = []
    for number, label, diagnosis in _rejections(path):
        if diagnosis is None:
            problems.append(f"cell {number}: {label}'s wrong answer names no diagnosis")
            continue
        known = {m.id for m in exercises.get(label).mistakes} | GENERIC_DIAGNOSES
        if diagnosis not in known:
            problems.append(f"cell {number}: {label} has no diagnosis {diagnosis!r}")
    assert not problems, "\n".join(problems)


def test_every_known_mistake_is_named_by_a_wrong_answer():
    named = _named_by_lesson()
    untested = [
        f"{label}: {mistake.id}"
        for label, exercise in sorted(exercises.all_exercises().items())
        if exercise.function.__module__.startswith("course_utils.exercises.lesson")
        for mistake in exercise.mistakes
        if mistake.id not in named.get(label, set())
    ]
    assert not untested, "known mistakes no wrong-answer cell names:\n" + "\n".join(untested)


def test_a_lost_diagnosis_is_found(monkeypatch):
    """Removing a known mistake from a check makes the tests above fail."""
    exercise = exercises.get("ex-tab-updates")
    kept = tuple(m for m in exercise.mistakes if m.id != "full-batches-only")
    monkeypatch.setitem(
        exercises._REGISTRY,
        "ex-tab-updates",
        exercises.Exercise(
            exercise.label,
            exercise.function,
            exercise.answers,
            exercise.context,
            exercise.stated,
            kept,
        ),
    )
    with pytest.raises(AssertionError, match="has no diagnosis 'full-batches-only'"):
        test_every_wrong_answer_names_a_diagnosis_its_check_has(
            ROOT / "notebooks" / "03_tabular_mlp.ipynb"
        )
    with pytest.raises(KeyError, match="full-batches-only"):
        exercises.assert_rejects(
            "ex-tab-updates",
            {"chosen_batch": 64},
            diagnosis="full-batches-only",
            updates_per_epoch=12,
        )
