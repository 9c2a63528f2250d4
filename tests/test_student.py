"""The exercise format: the student-notebook command and its guarantees for every lesson."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import course_utils
from course_utils import checks
from course_utils.student import (
    NotebookFormatError,
    find_exercises,
    main,
    make_student_notebook,
    stub_solution,
)

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def exercise_cell(label="ex-a"):
    return new_markdown_cell(f":::{{exercise}}\n:label: {label}\n\nDo it.\n:::")


def solution_cells(code="### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"):
    return [
        new_markdown_cell("````{solution-start} ex-a\n:class: dropdown\n````"),
        new_markdown_cell("Because six times seven."),
        new_code_cell(code, metadata={"tags": ["solution"]}),
        new_markdown_cell("````{solution-end}\n````"),
    ]


def check_cell(code="checks.check_number(answer, 42, name='answer')"):
    return new_code_cell(code, metadata={"tags": ["check"]})


def notebook(*cells):
    nb = new_notebook()
    nb.cells = list(cells)
    return nb


def badge_cell():
    return new_markdown_cell(
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/org/repo/blob/main/notebooks/lesson.ipynb)"
    )


# --- stubs -----------------------------------------------------------------------------


def test_stub_keeps_lines_outside_the_block_and_sets_names_to_ellipsis():
    source = "x = 1\n### BEGIN SOLUTION\na, b = 1, 2\nc: int = 3\nc += 1\n### END SOLUTION\nprint(a)"
    stub, names = stub_solution(source)
    assert names == ["a", "b", "c"]
    assert stub.splitlines() == [
        "x = 1",
        "a = ...  # YOUR ANSWER HERE",
        "b = ...  # YOUR ANSWER HERE",
        "c = ...  # YOUR ANSWER HERE",
        "print(a)",
    ]


def test_stub_keeps_function_signatures():
    source = "### BEGIN SOLUTION\ndef build(units, *, rate=0.1):\n    return units * rate\n### END SOLUTION"
    stub, names = stub_solution(source)
    assert names == ["build"]
    namespace: dict = {}
    exec(stub, namespace)
    assert namespace["build"](3) is Ellipsis
    assert "units * rate" not in stub


def test_stub_of_a_block_without_names():
    stub, names = stub_solution("### BEGIN SOLUTION\nprint('hi')\n### END SOLUTION")
    assert names == [] and stub == "...  # YOUR CODE HERE"


@pytest.mark.parametrize(
    "source, match",
    [
        ("### BEGIN SOLUTION\nx = 1", r"never closed"),
        ("x = 1\n### END SOLUTION", r"line 2: ### END SOLUTION without"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", r"inside another"),
        ("### BEGIN SOLUTION\nx = = 1\n### END SOLUTION", r"not valid Python"),
    ],
)
def test_stub_rejects_malformed_blocks(source, match):
    with pytest.raises(ValueError, match=match):
        stub_solution(source)


# --- notebook format -------------------------------------------------------------------


def test_student_notebook_removes_solutions_and_rewrites_badge():
    nb = notebook(badge_cell(), exercise_cell(), *solution_cells(), check_cell())
    nb.cells[0]["outputs"] = []
    student = make_student_notebook(nb, badge_url="https://colab.research.google.com/github/o/r/blob/b/student/lesson.ipynb")
    sources = [cell.source for cell in student.cells]
    assert "student/lesson.ipynb" in sources[0] and "notebooks/lesson.ipynb" not in sources[0]
    assert sources[1].startswith(":::{exercise}")
    assert sources[2] == "answer = ...  # YOUR ANSWER HERE"
    assert student.cells[2].metadata["tags"] == ["exercise-stub"]
    assert sources[3].startswith("checks.check_number")
    assert len(student.cells) == 4
    assert "six times seven" not in json.dumps(student)
    assert nb.cells[4].source.startswith("### BEGIN")  # the input is unchanged


def test_find_exercises_reports_stub_names_and_cells():
    nb = notebook(exercise_cell(), *solution_cells(), check_cell(), new_markdown_cell("## Summary"))
    (exercise,) = find_exercises(nb)
    assert exercise.label == "ex-a" and exercise.solution_cells == [3]
    assert exercise.check_cells == [5] and exercise.stub_names == ["answer"]


@pytest.mark.parametrize(
    "cells, cell, reason",
    [
        ([new_markdown_cell(":::{exercise}\nno label\n:::")], 0, "exercise without a :label:"),
        ([exercise_cell(), exercise_cell()], 1, "used twice"),
        ([check_cell()], 0, "a check cell with no exercise before it"),
        ([exercise_cell(), new_markdown_cell("## Summary"), check_cell()], 2, "a check cell with no exercise"),
        ([new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", metadata={"tags": ["solution"]})],
         0, "a solution cell outside any exercise"),
        ([exercise_cell(), new_code_cell("x = 1", metadata={"tags": ["solution"]})], 1, "without a ### BEGIN SOLUTION"),
        ([exercise_cell(), new_code_cell("### BEGIN SOLUTION\nx = 1", metadata={"tags": ["solution"]})], 1, "never closed"),
        ([exercise_cell(), new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")], 1, "not tagged 'solution'"),
        ([exercise_cell(), new_markdown_cell("````{solution-start} ex-a\n````")], 1, "never closed by solution-end"),
        ([exercise_cell(), new_markdown_cell("````{solution-end}\n````")], 1, "solution-end without a solution-start"),
        ([exercise_cell(), new_markdown_cell("````{solution-start} ex-a\n````"), new_code_cell("x = 2")],
         2, "must be tagged 'solution'"),
        ([new_markdown_cell("````{solution-start} ex-a\n````")], 0, "solution toggle outside any exercise"),
    ],
)
def test_malformed_notebooks_name_cell_and_reason(cells, cell, reason):
    with pytest.raises(NotebookFormatError) as info:
        find_exercises(notebook(*cells), "lesson.ipynb")
    assert info.value.cell == cell
    assert reason in info.value.reason
    assert str(info.value).startswith(f"lesson.ipynb, cell {cell}: ")


def test_command_writes_both_versions(tmp_path, monkeypatch):
    source = tmp_path / "lesson.ipynb"
    nbformat.write(notebook(badge_cell(), exercise_cell(), *solution_cells(), check_cell()), source)
    out = tmp_path / "dist"
    code = main([str(source), "--output", str(out), "--repository-url",
                 "https://github.com/o/r.git", "--branch", "spring"])
    assert code == 0
    student = nbformat.read(out / "student" / "lesson.ipynb", as_version=4)
    instructor = nbformat.read(out / "instructor" / "lesson.ipynb", as_version=4)
    assert "https://colab.research.google.com/github/o/r/blob/spring/student/lesson.ipynb" in student.cells[0].source
    assert any("answer = 42" in c.source for c in instructor.cells)
    assert not any("answer = 42" in c.source for c in student.cells)
    assert sorted(p.name for p in out.rglob("*")) == ["instructor", "lesson.ipynb", "lesson.ipynb", "student"]


def test_command_reads_repository_from_config(tmp_path):
    source = tmp_path / "lesson.ipynb"
    nbformat.write(notebook(badge_cell()), source)
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/x/y\n  branch: dev\n")
    assert main([str(source), "--output", str(tmp_path / "d"), "--config", str(config)]) == 0
    text = (tmp_path / "d" / "student" / "lesson.ipynb").read_text()
    assert "github/x/y/blob/dev/student/lesson.ipynb" in text


def test_command_fails_on_malformed_notebook_and_writes_nothing(tmp_path, capsys):
    good = tmp_path / "a.ipynb"
    bad = tmp_path / "b.ipynb"
    nbformat.write(notebook(exercise_cell(), *solution_cells(), check_cell()), good)
    nbformat.write(notebook(check_cell()), bad)
    out = tmp_path / "dist"
    code = main([str(good), str(bad), "--output", str(out), "--repository-url", "u", "--branch", "b"])
    assert code == 1
    assert f"error: {bad}, cell 0: a check cell with no exercise before it" in capsys.readouterr().err
    assert not out.exists()


def test_command_bad_inputs(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert main([str(text), "--output", str(tmp_path / "o"), "--repository-url", "u", "--branch", "b"]) == 1
    assert "not a .ipynb file" in capsys.readouterr().err
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert main([str(broken), "--output", str(tmp_path / "o"), "--repository-url", "u", "--branch", "b"]) == 1
    assert "cannot be read" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="cannot read repository.url"):
        main([str(broken), "--config", str(tmp_path / "missing.yml")])


def test_command_runs_as_module(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "course_utils.student", "--output", str(tmp_path / "dist")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "dist" / "student").glob("*.ipynb"))) == len(LESSONS)


# --- every lesson ----------------------------------------------------------------------


class _Anything:
    """Stands in for any lesson variable a check cell mentions besides the answer."""

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self


class _LenientNames(dict):
    def __missing__(self, key):
        return _Anything()


@pytest.fixture(scope="module", params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson(request):
    path = request.param
    return path, nbformat.read(path, as_version=4)


def test_lesson_has_three_exercises_two_checked(lesson):
    path, nb = lesson
    exercises = find_exercises(nb, path.name)
    assert len(exercises) >= 3, f"{path.name} has {len(exercises)} exercises"
    checked = [e for e in exercises if e.check_cells]
    assert len(checked) >= 2, f"{path.name} has {len(checked)} auto-checked exercises"
    for exercise in checked:
        assert exercise.solution_cells, f"{exercise.label} has a check but no solution cell"
        assert exercise.stub_names, f"{exercise.label}'s solution assigns no name to check"


def test_student_version_contains_no_solution_code(lesson):
    path, nb = lesson
    student = make_student_notebook(nb, name=path.name)
    text = "\n".join(cell.source for cell in student.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert "{solution" not in text
    stubs = [c.source for c in student.cells if "exercise-stub" in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if "solution" not in cell.metadata.get("tags", []):
            continue
        blocks, block = [], None
        for line in cell.source.splitlines():
            if line.strip() == "### BEGIN SOLUTION":
                block = []
            elif line.strip() == "### END SOLUTION":
                blocks.append(block)
                block = None
            elif block is not None:
                block.append(line)
        for block in blocks:
            assert "\n".join(block) not in text, f"{path.name}: a solution block leaked"
            for line in block:
                if line.strip() and not line.strip().startswith("#"):
                    assert all(line not in stub for stub in stubs), (
                        f"{path.name}: solution line {line!r} is in a student stub"
                    )


def test_student_stubs_fail_their_checks_with_not_answered(lesson):
    path, nb = lesson
    for exercise in find_exercises(nb, path.name):
        for index in exercise.check_cells:
            names = _LenientNames(checks=checks, course_utils=course_utils, np=np)
            names.update({name: ... for name in exercise.stub_names})
            names["__builtins__"] = __builtins__
            with pytest.raises(checks.NotAnswered, match="^Not answered yet"):
                exec(compile(nb.cells[index].source, f"{path.name}:cell{index}", "exec"), {}, names)
